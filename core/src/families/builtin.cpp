// The lists of built-in families: a new backbone or prompt-source family adds its line here.
#include "families/families.h"

namespace coz::families {

std::vector<std::shared_ptr<const BackboneFamily>> builtin_backbone_families() {
  return {
      esrgan_family(),
      sd3_family(),
      baseline_family(),
  };
}

std::vector<std::shared_ptr<const PromptSourceFamily>> builtin_prompt_families() {
  return {
      null_prompt_family(),
      dape_prompt_family(),
      vlm_prompt_family(),
  };
}

}  // namespace coz::families
