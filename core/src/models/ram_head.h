// RAM's tagging path as CoZ's DAPE runs it (ram/models/ram_lora.py RAMLora.generate_tag, bert_lora.py
// in mode "tagging"; REFERENCE.md §3): Swin image encoder -> image_proj -> a BERT head whose queries
// are ReLU(wordvec_proj(label_embed)) and whose layers hold cross-attention + feed-forward only ->
// fc -> one logit per tag; tags whose sigmoid exceeds the class threshold, in class order, joined
// with ", ". Loading merges DAPE's loralib LoRAs (scaling alpha/r = 1/r) into the Swin qkv (q and v
// rows) and the head's query/key, including the deltas of the tag_encoder layers tied to the head.
#pragma once
#include <torch/torch.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cuda_graph.h"
#include "models/ram_swin.h"
#include "weights/weight_store.h"

namespace coz::models {

class RamHeadLayerImpl : public torch::nn::Module {
 public:
  explicit RamHeadLayerImpl(const RamConfig& c);
  // q: [B, C, H] label queries, image: [B, T, W] image embeddings -> [B, C, H]
  torch::Tensor forward(const torch::Tensor& q, const torch::Tensor& image);
  Dense query{nullptr}, key{nullptr}, value{nullptr};

 private:
  int64_t heads_;
  Dense attn_dense_{nullptr}, inter_dense_{nullptr}, out_dense_{nullptr};
  torch::nn::LayerNorm attn_norm_{nullptr}, out_norm_{nullptr};
};
TORCH_MODULE(RamHeadLayer);

// Registered under the checkpoint's names: visual_encoder.*, image_proj, label_embed, wordvec_proj,
// fc, tagging_head.encoder.layer.N.{crossattention.{self,output},intermediate,output}.*
class RamModelImpl : public torch::nn::Module {
 public:
  explicit RamModelImpl(const RamConfig& c);
  // image: [B,3,S,S] normalised (preprocess()) -> logits [B, num_class] (before the sigmoid)
  torch::Tensor forward(const torch::Tensor& image);
  RamSwin visual_encoder{nullptr};
  std::vector<RamHeadLayer> head;

 private:
  Dense image_proj_{nullptr}, wordvec_proj_{nullptr}, fc_{nullptr};
  torch::Tensor label_embed_;
};
TORCH_MODULE(RamModel);

struct RamPaths {
  std::filesystem::path checkpoint;  // ram_swin_large_14m.pth: {"model": state_dict}
  std::filesystem::path dape;        // DAPE.pth (flat state dict); empty: plain RAM, no LoRA
  std::filesystem::path tag_list;    // ram_tag_list.txt, one tag a line
  std::filesystem::path thresholds;  // ram_tag_list_threshold.txt, one float a line
};

// Loaded once, then called from one thread at a time (the Engine's per-source mutex): on CUDA the
// fixed-shape preprocess + forward is captured once per input shape as a CUDA graph and replayed.
class RamTagger {
 public:
  // Reads and checks every file, merges the LoRAs in fp32, then moves to `device` in `dtype`.
  // Throws ModelLoadError naming the file (wrong model, missing/mis-shaped tensor, tag list or
  // thresholds whose count differs from the model's label embedding).
  static std::shared_ptr<RamTagger> load(const RamPaths& paths, const torch::Device& device = torch::kCPU,
                                         torch::Dtype dtype = torch::kFloat32);
  // CUDA graphs on (default) or off; off, or off CUDA, every call runs eagerly.
  void set_cuda_graphs(bool on);

  // rgb: [B,3,H,W] in [0,1] (any device) -> [B,3,S,S]: bilinear antialiased resize to S = image
  // size, ImageNet normalisation, in fp32, then the model's dtype (CoZ's ram_transforms). Throws
  // InvalidInput for anything but 3 channels and for sides under 8 px.
  torch::Tensor preprocess(const torch::Tensor& rgb) const;
  // Pre-sigmoid logits [B, num_class], float32 on the CPU.
  torch::Tensor logits(const torch::Tensor& rgb);
  // The tag strings (one per batch item), "" when no tag passes its threshold.
  std::vector<std::string> tag(const torch::Tensor& rgb);
  // Selection for one row of logits as the model's dtype gives it: sigmoid(logit) > threshold.
  std::string tags_from_logits(const torch::Tensor& row) const;

  const RamConfig& config() const { return config_; }
  const std::vector<std::string>& tag_list() const { return tags_; }
  const torch::Tensor& thresholds() const { return thresholds_; }
  const weights::LoadReport& report() const { return report_; }
  torch::Dtype dtype() const { return dtype_; }
  RamModel& model() { return model_; }

 private:
  RamConfig config_;
  RamModel model_{nullptr};
  std::vector<std::string> tags_;
  torch::Tensor thresholds_;  // [num_class] float32, CPU
  weights::LoadReport report_;
  torch::Device device_ = torch::kCPU;
  torch::Dtype dtype_ = torch::kFloat32;
  torch::Tensor mean_, std_;  // [1,3,1,1] fp32 on the device (no host copies inside a graph)
  bool graphs_ = true;
  std::unique_ptr<GraphedCall> graph_ = std::make_unique<GraphedCall>("the RAM tagger");

  torch::Tensor check_input(const torch::Tensor& rgb) const;          // -> fp32 on the device
  torch::Tensor resize_normalize(const torch::Tensor& x) const;       // fp32 device -> model dtype
  torch::Tensor forward_raw(const torch::Tensor& rgb);                // logits in the model dtype
};

// The tag list (f.read().splitlines()) and the thresholds (CoZ's rule, §3.6), each checked against
// `num_class`; ModelLoadError names the file, the count and what was expected.
std::vector<std::string> read_ram_tag_list(const std::filesystem::path& file, int64_t num_class);
torch::Tensor read_ram_thresholds(const std::filesystem::path& file, int64_t num_class);

}  // namespace coz::models
