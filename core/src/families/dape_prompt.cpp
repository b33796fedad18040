// The DAPE prompt family (CoZ's prompt_type "dape"): the RAM Swin-L tagger with CoZ's DAPE LoRA tags
// the upscaled crop of every zoom step; the tags are the generated prompt. Files as the model manager
// leaves them (core/hub/models.json: ram-swin-large, dape-lora, bundle dape): the RAM checkpoint in
// the Hugging Face cache, the tag list and thresholds in <models>/ram/, DAPE in <models>/dape/.
#include <torch/torch.h>

#include "coz/error.h"
#include "families/families.h"
#include "json_file.h"
#include "models/ram_head.h"
#include "weights/hf_cache.h"

namespace coz::families {
namespace {
namespace fs = std::filesystem;

constexpr const char* kRamRepo = "xinyu1205/recognize_anything_model";
constexpr const char* kRamRevision = "a4f945fe0720892020c28309624df3bd1f3ad3dc";
constexpr const char* kRamFile = "ram_swin_large_14m.pth";

class DAPEPromptSource : public PromptSource {
 public:
  explicit DAPEPromptSource(std::shared_ptr<models::RamTagger> tagger) : tagger_(std::move(tagger)) {}
  PromptMode mode() const override { return PromptMode::DAPE; }
  std::string generate(const PromptContext& ctx, const RunControl& ctl) override {
    ctl.check_cancel();
    if (!ctx.lq.defined()) throw InvalidInput("DAPE prompt: no image for step " + std::to_string(ctx.step));
    return tagger_->tag(ctx.lq).at(0);
  }

 private:
  std::shared_ptr<models::RamTagger> tagger_;
};

class DAPEPromptFamily : public PromptSourceFamily {
 public:
  std::vector<PromptSourceInfo> sources() const override {
    return {{PromptMode::DAPE, prompt_mode_name(PromptMode::DAPE), "ram-dape",
             "tags of each zoomed crop from the RAM tagger with CoZ's degradation-aware LoRA (DAPE)", true}};
  }
  fs::path location(const PromptSourceInfo&, const ModelOptions& o) const override { return o.models_dir / "dape"; }
  bool installed(const PromptSourceInfo&, const ModelOptions& o) const override {
    try {
      const auto p = paths(o);
      std::error_code ec;
      return !p.checkpoint.empty() && fs::is_regular_file(p.checkpoint, ec) && fs::is_regular_file(p.dape, ec) &&
             fs::is_regular_file(p.tag_list, ec) && fs::is_regular_file(p.thresholds, ec);
    } catch (const Error&) {
      return false;
    }
  }
  std::string install_hint(const PromptSourceInfo&, const ModelOptions& o) const override {
    return "run: coz models pull dape (the RAM Swin-L checkpoint " + std::string(kRamFile) + " from " + kRamRepo +
           " into the Hugging Face cache, its tag list and thresholds into " + (o.models_dir / "ram").string() +
           ", CoZ's DAPE.pth into " + (o.models_dir / "dape").string() + ")";
  }
  std::string options_key(const ModelOptions& o) const override { return o.dape.ram + "|" + o.dape.dape; }
  std::shared_ptr<PromptSource> load(const PromptSourceInfo& s, const torch::Device& device, Precision precision,
                                     const ModelOptions& o) const override {
    const auto p = paths(o);
    if (p.checkpoint.empty())
      throw ModelLoadError(std::string(kRamFile) + " is not in the Hugging Face cache (" + kRamRepo + "); " +
                           install_hint(s, o));
    const torch::Dtype dtype = precision_dtype(resolve_precision(precision, device));
    auto tagger = guard_model_file(p.checkpoint, [&] { return models::RamTagger::load(p, device, dtype); });
    return std::make_shared<DAPEPromptSource>(std::move(tagger));
  }

 private:
  static models::RamPaths paths(const ModelOptions& o) {
    models::RamPaths p;
    if (!o.dape.ram.empty()) {
      p.checkpoint = o.dape.ram;
    } else if (auto snap = weights::find_hf_snapshot(kRamRepo, kRamRevision, kRamFile)) {
      p.checkpoint = *snap / kRamFile;
    } else if (std::error_code ec; fs::is_regular_file(o.models_dir / "ram" / kRamFile, ec)) {
      p.checkpoint = o.models_dir / "ram" / kRamFile;  // copied in by hand
    }
    // The tag files: beside a RAM checkpoint given by path when they are there, else <models>/ram.
    fs::path tags = o.models_dir / "ram";
    std::error_code ec;
    if (!o.dape.ram.empty() && fs::is_regular_file(p.checkpoint.parent_path() / "ram_tag_list.txt", ec))
      tags = p.checkpoint.parent_path();
    p.tag_list = tags / "ram_tag_list.txt";
    p.thresholds = tags / "ram_tag_list_threshold.txt";
    p.dape = o.dape.dape.empty() ? o.models_dir / "dape" / "DAPE.pth" : fs::path(o.dape.dape);
    return p;
  }
};

}  // namespace

std::shared_ptr<const PromptSourceFamily> dape_prompt_family() { return std::make_shared<DAPEPromptFamily>(); }

}  // namespace coz::families
