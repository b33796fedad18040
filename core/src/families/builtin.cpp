// The one list of built-in backbone families: a new family adds its line here.
#include "families/families.h"

namespace coz::families {

std::vector<std::shared_ptr<const BackboneFamily>> builtin_backbone_families() {
  return {
      esrgan_family(),
      sd3_family(),
      baseline_family(),
  };
}

}  // namespace coz::families
