// The VLM prompt family (CoZ's prompt_type "vlm"): Qwen2.5-VL-3B-Instruct looks at the upscaled
// crop of every zoom step (recursive, onestep) or at the previous step's full output and then the
// crop (recursive-multiscale) and answers the reference's system message with a set of words; the
// answer is the generated prompt. The folder is the Hugging Face snapshot the model manager pulls
// (core/hub/models.json: qwen2.5-vl-3b) or the one given with --vlm.
#include <torch/torch.h>

#include "coz/error.h"
#include "families/families.h"
#include "json_file.h"
#include "models/qwen_vl.h"
#include "weights/hf_cache.h"

namespace coz::families {
namespace {
namespace fs = std::filesystem;

constexpr const char* kRepo = "Qwen/Qwen2.5-VL-3B-Instruct";
constexpr const char* kRevision = "main";
// The reference's system messages (inference_coz.py, get_validation_prompt).
constexpr const char* kOneImage = "What is in this image? Give me a set of words.";
constexpr const char* kTwoImages =
    "The second image is a zoom-in of the first image. Based on this knowledge, what is in the second image? "
    "Give me a set of words.";

class VLMPromptSource : public PromptSource {
 public:
  VLMPromptSource(std::shared_ptr<models::QwenVL> vlm, torch::Device device, bool offload)
      : vlm_(std::move(vlm)), device_(device), offload_(offload) {}
  PromptMode mode() const override { return PromptMode::VLM; }
  std::string generate(const PromptContext& ctx, const RunControl& ctl) override {
    ctl.check_cancel();
    if (!ctx.lq.defined()) throw InvalidInput("VLM prompt: no image for step " + std::to_string(ctx.step));
    std::vector<models::QwenImage> images;
    if (ctx.multiscale) {
      if (!ctx.previous.defined())
        throw InvalidInput("VLM prompt: recursive-multiscale step " + std::to_string(ctx.step) + " has no previous output");
      images.push_back(models::qwen_preprocess(ctx.previous, vlm_->config()));
    }
    images.push_back(models::qwen_preprocess(ctx.lq, vlm_->config()));
    // Memory mode: the model waits on the CPU while the SR model runs (the reference's
    // --efficient_memory), and comes to the GPU for its answer.
    if (offload_) vlm_->to(device_);
    struct Park {
      models::QwenVL& m;
      bool on;
      ~Park() {
        if (on) m.to(torch::kCPU);
      }
    } park{*vlm_, offload_};
    return vlm_->describe(ctx.multiscale ? kTwoImages : kOneImage, images, &ctl);
  }

 private:
  std::shared_ptr<models::QwenVL> vlm_;
  torch::Device device_;
  bool offload_;
};

class VLMPromptFamily : public PromptSourceFamily {
 public:
  std::vector<PromptSourceInfo> sources() const override {
    return {{PromptMode::VLM, prompt_mode_name(PromptMode::VLM), "qwen2.5-vl",
             "a set of words from Qwen2.5-VL-3B-Instruct for each zoomed crop (with the previous scale in "
             "recursive-multiscale)",
             true}};
  }
  fs::path location(const PromptSourceInfo&, const ModelOptions& o) const override {
    if (auto d = folder(o)) return *d;
    return weights::hf_hub_cache_dir() / weights::hf_repo_folder_name(kRepo);
  }
  bool installed(const PromptSourceInfo&, const ModelOptions& o) const override {
    const auto d = folder(o);
    if (!d) return false;
    std::error_code ec;
    for (const char* f : {"config.json", "tokenizer.json", "model.safetensors.index.json"})
      if (!fs::is_regular_file(*d / f, ec)) return false;
    return true;
  }
  std::string install_hint(const PromptSourceInfo&, const ModelOptions& o) const override {
    if (!o.vlm.path.empty())
      return "the folder " + o.vlm.path + " (--vlm) lacks config.json, tokenizer.json or model.safetensors.index.json";
    return std::string("run: coz models pull qwen2.5-vl-3b (") + kRepo + ", 7.5 GB, into the Hugging Face cache), or "
           "give the model folder with --vlm PATH";
  }
  std::string options_key(const ModelOptions& o) const override { return o.vlm.path + (o.vlm.offload ? "|offload" : ""); }
  std::shared_ptr<PromptSource> load(const PromptSourceInfo& s, const torch::Device& device, Precision precision,
                                     const ModelOptions& o) const override {
    const auto d = folder(o);
    if (!d || !installed(s, o)) throw ModelLoadError("the VLM prompt has no model: " + install_hint(s, o));
    // bf16 by default on the GPU; fp16 is not offered (Qwen2.5-VL overflows it), bf16 stands in.
    Precision p = resolve_precision(precision, device);
    if (p == Precision::FP16) p = Precision::BF16;
    const torch::Device load_on = o.vlm.offload && device.is_cuda() ? torch::Device(torch::kCPU) : device;
    auto vlm = guard_model_file(*d / "config.json", [&] { return models::QwenVL::load(*d, load_on, precision_dtype(p)); });
    return std::make_shared<VLMPromptSource>(std::move(vlm), device, o.vlm.offload && device.is_cuda());
  }

 private:
  static std::optional<fs::path> folder(const ModelOptions& o) {
    if (!o.vlm.path.empty()) return fs::path(o.vlm.path);
    return weights::find_hf_snapshot(kRepo, kRevision, "config.json");
  }
};

}  // namespace

std::shared_ptr<const PromptSourceFamily> vlm_prompt_family() { return std::make_shared<VLMPromptFamily>(); }

}  // namespace coz::families
