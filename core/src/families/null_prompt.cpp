// The null prompt family: no generated text, the user's prompt alone (CoZ's "null" mode).
#include "coz/engine.h"
#include "families/families.h"

namespace coz::families {
namespace {

class NullPromptFamily : public PromptSourceFamily {
 public:
  std::vector<PromptSourceInfo> sources() const override {
    return {{PromptMode::Null, prompt_mode_name(PromptMode::Null), "null",
             "no generated prompt: the user's text alone (or nothing)", false}};
  }
  bool installed(const PromptSourceInfo&, const ModelOptions&) const override { return true; }
  std::string install_hint(const PromptSourceInfo&, const ModelOptions&) const override { return ""; }
  std::filesystem::path location(const PromptSourceInfo&, const ModelOptions&) const override { return {}; }
  std::shared_ptr<PromptSource> load(const PromptSourceInfo&, const torch::Device&, Precision,
                                     const ModelOptions&) const override {
    return make_null_prompt_source();
  }
};

}  // namespace

std::shared_ptr<const PromptSourceFamily> null_prompt_family() { return std::make_shared<NullPromptFamily>(); }

}  // namespace coz::families
