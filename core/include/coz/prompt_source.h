// Where a zoom step's text prompt comes from. Prompt-source families register with the Engine the
// way backbone families do (engine.h); the null family is built in, DAPE and VLM plug in next.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>
#include <torch/types.h>

#include "coz/api.h"
#include "coz/control.h"
#include "coz/device.h"

namespace coz {

// How the generated text and the user's text make the prompt (compose_prompt), and which family
// generates it.
enum class PromptMode { Null, DAPE, VLM };

struct PromptContext {
  torch::Tensor lq;        // the upscaled crop the SR step will see, [1,3,H,W] in [0,1]
  torch::Tensor previous;  // the previous step's full output, [1,3,H,W]
  int step = 1;            // 1-based
  bool multiscale = false; // recursive-multiscale: a VLM sees `previous`, then `lq`
};

// One loaded prompt source. generate() may keep per-run state (caches); the Engine gives each
// run's calls in order from one thread.
class COZ_API PromptSource {
 public:
  virtual ~PromptSource() = default;
  virtual PromptMode mode() const = 0;
  // The generated part of the prompt (tags or a sentence); "" for the null source.
  virtual std::string generate(const PromptContext& ctx, const RunControl& ctl) = 0;
};

COZ_API std::unique_ptr<PromptSource> make_null_prompt_source();

// The reference's rule (§1.5): null -> user text; dape/vlm -> "gen, user," when user text is
// non-empty, else exactly gen.
COZ_API std::string compose_prompt(PromptMode mode, const std::string& generated, const std::string& user);

// "null" (also "none" and "custom": the user's text alone), "dape", "vlm"; throws InvalidInput.
COZ_API PromptMode parse_prompt_mode(const std::string& s);
COZ_API const char* prompt_mode_name(PromptMode m);

struct ModelOptions;  // engine.h

struct PromptSourceInfo {
  PromptMode mode = PromptMode::Null;
  std::string id;            // prompt_mode_name(mode)
  std::string family;        // "null", "ram-dape", "qwen2.5-vl"
  std::string description;
  bool needs_files = false;
};

// A prompt-source family: the modes it provides, whether their files are there, and how to load
// one. Register it with Engine::register_prompt_source.
class COZ_API PromptSourceFamily {
 public:
  virtual ~PromptSourceFamily() = default;
  virtual std::vector<PromptSourceInfo> sources() const = 0;
  virtual bool installed(const PromptSourceInfo& s, const ModelOptions& o) const = 0;
  virtual std::string install_hint(const PromptSourceInfo& s, const ModelOptions& o) const = 0;
  virtual std::filesystem::path location(const PromptSourceInfo& s, const ModelOptions& o) const = 0;
  // The options this family reads, in a canonical text form (part of the cache key).
  virtual std::string options_key(const ModelOptions&) const { return ""; }
  // Throws ModelLoadError naming the file.
  virtual std::shared_ptr<PromptSource> load(const PromptSourceInfo& s, const torch::Device& device,
                                             Precision precision, const ModelOptions& o) const = 0;
};

struct PromptSourceStatus {
  PromptSourceInfo info;
  bool installed = false;
  std::filesystem::path location;
  std::string install_hint;
};

}  // namespace coz
