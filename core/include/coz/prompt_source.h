// Where a zoom step's text prompt comes from (null/user now; DAPE and VLM plug in later).
#pragma once
#include <memory>
#include <string>
#include <torch/types.h>

#include "coz/control.h"

namespace coz {

enum class PromptMode { Null, DAPE, VLM };

struct PromptContext {
  torch::Tensor lq;        // the upscaled crop the SR step will see, [1,3,H,W] in [0,1]
  torch::Tensor previous;  // the previous step's full output, [1,3,H,W]
  int step = 1;            // 1-based
};

class PromptSource {
 public:
  virtual ~PromptSource() = default;
  virtual PromptMode mode() const = 0;
  // The generated part of the prompt (tags or a sentence); "" for the null source.
  virtual std::string generate(const PromptContext& ctx, const RunControl& ctl) = 0;
};

std::unique_ptr<PromptSource> make_null_prompt_source();

// The reference's rule (§1.5): null -> user text; dape/vlm -> "gen, user," when user text is
// non-empty, else exactly gen.
std::string compose_prompt(PromptMode mode, const std::string& generated, const std::string& user);

PromptMode parse_prompt_mode(const std::string& s);  // "null"|"none"|"dape"|"vlm"
const char* prompt_mode_name(PromptMode m);

}  // namespace coz
