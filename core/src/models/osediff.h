// CoZ's one-step SR on Stable Diffusion 3 (OSEDiff_SD3_TEST in bryanswkim/Chain-of-Zoom
// osediff_sd3.py, REFERENCE.md §1.6–1.9, §2.7): VAE-encode the bicubic-upscaled crop (LoRA-adapted
// encoder), one flow-matching Euler step at t = 1000 with the LoRA-adapted MMDiT, VAE-decode.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "coz/device.h"
#include "cuda_graph.h"
#include "coz/super_resolver.h"
#include "models/clip_text.h"
#include "models/sd3_mmdit.h"
#include "models/sd3_vae.h"
#include "models/t5_encoder.h"
#include "text/clip_tokenizer.h"
#include "text/t5_tokenizer.h"
#include "weights/weight_store.h"

namespace coz::models {

struct SD3Paths {
  std::filesystem::path root;      // diffusers folder with model_index.json
  std::filesystem::path lora;      // CoZ transformer LoRA (torch.save list of tensors, e.g. model_20001.pkl)
  std::filesystem::path vae_lora;  // CoZ VAE-encoder LoRA (torch.save state dict, e.g. vae_encoder_20001.pt)
};

// The SD3-medium diffusers folder: `user` if given (must hold model_index.json), else the Hugging
// Face cache ($HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub). Throws ModelLoadError saying
// where it looked and what to do.
std::filesystem::path find_sd3_folder(const std::string& user = {});

struct OSEDiffOptions {
  torch::Device text_device = torch::kCPU;
  torch::Device transformer_device = torch::kCPU;
  torch::Device vae_device = torch::kCPU;
  Precision precision = Precision::FP32;
  bool use_t5 = true;            // false: zeros in T5's place (SD3 allows it), saves ~9 GB
  bool deterministic = false;    // use the latent mean instead of sampling
  bool reference_fp16_modulation = true;  // reproduce the LoRA layers' fp16 outputs (§1.8)
  int lora_rank = 4;
  int vae_tile = 0;              // image pixels; 0 = untiled
  // Keep every component in host memory and move only the running one to its device (for GPUs with
  // little memory; costs the transfers).
  bool low_memory = false;
  // CUDA speed-ups (no effect elsewhere, both on by default): fixed-shape work (text encoders, VAE
  // encode, transformer + VAE decode) replayed as CUDA graphs; the VAE in channels-last with the
  // engine's fused GroupNorm+SiLU kernel. Graphs need every component resident (not low_memory) and
  // an untiled VAE.
  bool cuda_graphs = true;
  bool fused_kernels = true;
};

struct PromptEmbeds {
  torch::Tensor context;  // [1, 77 + T5 length, joint_attention_dim]
  torch::Tensor pooled;   // [1, pooled_projection_dim]
};

// Merges CoZ's transformer LoRA (list: up0, down0, up1, down1, ... in module order: block i norm1,
// then norm1_context for every block whose norm1_context is AdaLayerNormZero) into the weights:
// W += up @ down. Throws ModelLoadError naming `source` on a count, shape or rank mismatch.
void merge_transformer_lora(SD3TransformerImpl& tr, const std::vector<torch::Tensor>& list, int rank,
                            const std::string& source);
// Loads CoZ's VAE-encoder file (PEFT keys with base_layer / lora_A.default_encoder /
// lora_B.default_encoder) into vae.encoder, merging W += (alpha/r) * B @ A (alpha 8).
void load_vae_encoder_lora(SD3VAEImpl& vae, const weights::WeightStore& store, int rank);

class OSEDiffSD3 {
 public:
  static std::shared_ptr<OSEDiffSD3> load(const SD3Paths& paths, const OSEDiffOptions& opt);

  PromptEmbeds encode_prompt(const std::string& prompt);  // cached per prompt string
  PromptEmbeds encode_ids(const torch::Tensor& ids1, const torch::Tensor& ids2, const torch::Tensor& ids3);
  // lq: [1,3,H,W] in [-1,1] (H, W multiples of 16). eps: optional noise [1,16,H/8,W/8]; otherwise
  // drawn from `seed`. Returns the decoded image [1,3,H,W] in about [-1,1], unclamped, on the CPU.
  torch::Tensor step(const torch::Tensor& lq, const PromptEmbeds& prompt, const torch::Tensor& eps = {},
                     uint64_t seed = 0, const RunControl& ctl = {});
  // The same from a prompt string (embeddings cached per string).
  torch::Tensor run(const torch::Tensor& lq, const std::string& prompt, const torch::Tensor& eps = {},
                    uint64_t seed = 0, const RunControl& ctl = {});
  // The scaled latent the step starts from (for tests): (mean + std * eps) * scaling_factor.
  torch::Tensor encode_latent(const torch::Tensor& lq, const torch::Tensor& eps, uint64_t seed);
  torch::Tensor velocity(const torch::Tensor& z, const PromptEmbeds& prompt);
  // Transformer step and VAE decode from the scaled latent z.
  torch::Tensor finish(const torch::Tensor& z, const PromptEmbeds& prompt, const RunControl& ctl = {});

  // Switches the CUDA speed-ups of OSEDiffOptions after loading (benchmarks compare them).
  void set_speedups(bool cuda_graphs, bool fused_kernels);

  const OSEDiffOptions& options() const { return opt_; }
  size_t cached_prompts() const { return prompt_cache_.size(); }
  void clear_prompt_cache();
  SD3Transformer& transformer() { return transformer_; }

 private:
  OSEDiffOptions opt_;
  torch::Dtype dtype_ = torch::kFloat32;
  CLIPTextModel clip_l_{nullptr}, clip_g_{nullptr};
  T5EncoderModel t5_{nullptr};
  SD3Transformer transformer_{nullptr};
  SD3VAE vae_{nullptr};
  std::optional<text::CLIPTokenizer> tok_l_, tok_g_;
  std::optional<text::T5Tokenizer> tok_t5_;
  int64_t t5_length_ = 512;
  std::mutex mu_;
  std::map<std::string, PromptEmbeds> prompt_cache_;
  // Graph captures hold fixed input/output tensors: one step at a time.
  std::recursive_mutex work_mu_;
  std::unique_ptr<GraphedCall> text_graph_, encode_graph_, finish_graph_;
  bool graphs_on(const torch::Device& d) const;
  std::vector<torch::Tensor> text_forward(const torch::Tensor& ids1, const torch::Tensor& ids2, const torch::Tensor& ids3);
  torch::Tensor latent_from(const torch::Tensor& x, const torch::Tensor& eps, bool tiled);
  // The transformer's velocity at t = 1000, and the VAE decoder's input after the Euler step.
  torch::Tensor velocity_at_t1000(const torch::Tensor& z, const torch::Tensor& context, const torch::Tensor& pooled);
  torch::Tensor vae_input(const torch::Tensor& z, const torch::Tensor& v);
  // Low-memory mode: moves a module to `dev` for the scope, and back to the CPU after.
  class Resident;
};

// The backbone "sd3-osediff": takes the bicubic-upscaled crop (SRInput::Upscaled), returns the
// output clamped to [0,1].
std::shared_ptr<const SuperResolver> make_osediff_resolver(const SD3Paths& paths, const OSEDiffOptions& opt);

}  // namespace coz::models
