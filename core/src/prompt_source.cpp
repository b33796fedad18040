#include "coz/prompt_source.h"

#include "coz/error.h"

namespace coz {
namespace {

class NullPromptSource : public PromptSource {
 public:
  PromptMode mode() const override { return PromptMode::Null; }
  std::string generate(const PromptContext&, const RunControl&) override { return ""; }
};

}  // namespace

std::unique_ptr<PromptSource> make_null_prompt_source() { return std::make_unique<NullPromptSource>(); }

std::string compose_prompt(PromptMode mode, const std::string& generated, const std::string& user) {
  if (mode == PromptMode::Null) return user;
  if (user.empty()) return generated;
  return generated + ", " + user + ",";
}

PromptMode parse_prompt_mode(const std::string& s) {
  if (s == "null" || s == "none" || s == "custom") return PromptMode::Null;
  if (s == "dape") return PromptMode::DAPE;
  if (s == "vlm") return PromptMode::VLM;
  throw InvalidInput("unknown prompt mode '" + s + "': use null, dape or vlm");
}

const char* prompt_mode_name(PromptMode m) {
  switch (m) {
    case PromptMode::Null: return "null";
    case PromptMode::DAPE: return "dape";
    case PromptMode::VLM: return "vlm";
  }
  return "?";
}

}  // namespace coz
