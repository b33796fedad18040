// CoZ's one-step SR on Stable Diffusion 3 (OSEDiff_SD3_TEST in bryanswkim/Chain-of-Zoom
// osediff_sd3.py, REFERENCE.md §1.6–1.9, §2.7): VAE-encode the bicubic-upscaled crop (LoRA-adapted
// encoder), one flow-matching Euler step at t = 1000 with the LoRA-adapted MMDiT, VAE-decode.
//
// Split as whisper.cpp splits its context and state: OSEDiffSD3 holds the loaded networks and is
// immutable once loaded, so one copy serves any number of users; OSEDiffState holds what a user's
// runs accumulate (prompt cache, CUDA graphs). Every run takes the state it works in.
#pragma once
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "coz/device.h"
#include "coz/super_resolver.h"
#include "cuda_graph.h"
#include "models/clip_text.h"
#include "models/coz_lora.h"
#include "models/sd3_mmdit.h"
#include "models/sd3_vae.h"
#include "models/t5_encoder.h"
#include "text/clip_tokenizer.h"
#include "text/t5_tokenizer.h"

namespace coz::models {

struct SD3Paths {
  std::filesystem::path root;      // diffusers folder with model_index.json
  std::filesystem::path lora;      // CoZ transformer LoRA (torch.save list of tensors, e.g. model_20001.pkl)
  std::filesystem::path vae_lora;  // CoZ VAE-encoder LoRA (torch.save state dict, e.g. vae_encoder_20001.pt)
};

// The Hugging Face id CoZ hard-codes (REFERENCE.md §1.1).
inline constexpr const char* kSD3RepoId = "stabilityai/stable-diffusion-3-medium-diffusers";

// The SD3-medium diffusers folder: `user` if given (must hold model_index.json), else the Hugging
// Face cache (weights/hf_cache.h). Throws ModelLoadError saying where it looked and what to do.
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
  // little memory; costs the transfers). Runs on one OSEDiffSD3 then take turns.
  bool low_memory = false;
  // CUDA speed-ups (no effect elsewhere, both on by default): fixed-shape work (text encoders, VAE
  // encode, transformer + VAE decode) replayed as CUDA graphs (the states' default); the VAE in
  // channels-last with the engine's fused GroupNorm+SiLU kernel. Graphs need every component
  // resident (not low_memory) and an untiled VAE.
  bool cuda_graphs = true;
  bool fused_kernels = true;
};

struct PromptEmbeds {
  torch::Tensor context;  // [1, 77 + T5 length, joint_attention_dim]
  torch::Tensor pooled;   // [1, pooled_projection_dim]
};

class OSEDiffSD3;

// What one user's runs accumulate: embeddings of recent prompts and the CUDA graphs captured for
// its input shapes. Not thread-safe: one run at a time per state (the resolver holds a mutex). A
// state works with the one OSEDiffSD3 it first ran with (its graphs hold that model's tensors).
class OSEDiffState {
 public:
  explicit OSEDiffState(bool cuda_graphs = true);
  ~OSEDiffState();
  OSEDiffState(const OSEDiffState&) = delete;
  OSEDiffState& operator=(const OSEDiffState&) = delete;

  size_t cached_prompts() const { return prompt_order_.size(); }
  void clear_prompt_cache();
  // Graphs on or off; either way the captured ones are dropped.
  void set_cuda_graphs(bool on);
  bool cuda_graphs() const { return cuda_graphs_; }

  static constexpr size_t kMaxPrompts = 16;  // a zoom asks for a new prompt every step

 private:
  friend class OSEDiffSD3;
  void bind(const OSEDiffSD3* model);
  const PromptEmbeds* cached(const std::string& prompt) const;
  void remember(const std::string& prompt, const PromptEmbeds& pe);

  const OSEDiffSD3* model_ = nullptr;
  bool cuda_graphs_;
  std::map<std::string, PromptEmbeds> prompts_;
  std::deque<std::string> prompt_order_;  // oldest first
  // Encode, then transformer + decode, always in this order on one stream: one pool for both.
  std::unique_ptr<GraphedCall> text_graph_, encode_graph_, finish_graph_;
};

// The loaded networks, LoRAs merged. Immutable after load (compute methods are const); share one
// through shared_ptr<const OSEDiffSD3>.
class OSEDiffSD3 {
 public:
  static std::shared_ptr<OSEDiffSD3> load(const SD3Paths& paths, const OSEDiffOptions& opt);
  ~OSEDiffSD3();

  // A state with this model's CUDA-graph setting.
  std::unique_ptr<OSEDiffState> make_state() const { return std::make_unique<OSEDiffState>(opt_.cuda_graphs); }

  PromptEmbeds encode_prompt(OSEDiffState& st, const std::string& prompt) const;  // cached in `st`
  PromptEmbeds encode_ids(OSEDiffState& st, const torch::Tensor& ids1, const torch::Tensor& ids2,
                          const torch::Tensor& ids3) const;
  // lq: [1,3,H,W] in [-1,1] (H, W multiples of 16). eps: optional noise [1,16,H/8,W/8]; otherwise
  // drawn from `seed`. Returns the decoded image [1,3,H,W] in about [-1,1], unclamped, on the CPU.
  // Progress: `base` once for an untiled VAE, else per VAE tile (stages VaeEncode, VaeDecode).
  torch::Tensor step(OSEDiffState& st, const torch::Tensor& lq, const PromptEmbeds& prompt, const torch::Tensor& eps = {},
                     uint64_t seed = 0, const RunControl& ctl = {}, const Progress& base = {}) const;
  // The same from a prompt string (embeddings cached in `st`).
  torch::Tensor run(OSEDiffState& st, const torch::Tensor& lq, const std::string& prompt, const torch::Tensor& eps = {},
                    uint64_t seed = 0, const RunControl& ctl = {}, const Progress& base = {}) const;
  // The scaled latent the step starts from (for tests): (mean + std * eps) * scaling_factor.
  torch::Tensor encode_latent(OSEDiffState& st, const torch::Tensor& lq, const torch::Tensor& eps, uint64_t seed,
                              const RunControl& ctl = {}, const Progress& base = {}) const;
  torch::Tensor velocity(const torch::Tensor& z, const PromptEmbeds& prompt) const;
  // Transformer step and VAE decode from the scaled latent z.
  torch::Tensor finish(OSEDiffState& st, const torch::Tensor& z, const PromptEmbeds& prompt, const RunControl& ctl = {},
                       const Progress& base = {}) const;

  // Benchmarks only: the VAE's layout for the fused kernels. Changes the weights, so call it
  // before the model is shared and drop every state's graphs (OSEDiffState::set_cuda_graphs).
  void set_fused_kernels(bool on);

  const OSEDiffOptions& options() const { return opt_; }

 private:
  OSEDiffSD3() = default;
  // The networks: read-only after load, but LibTorch's forward() is not const, so they are
  // reached through this pointer. Low-memory mode moves them between devices during a call:
  // `move_mu` makes such calls take turns.
  struct Nets;
  std::unique_ptr<Nets> nets_;
  OSEDiffOptions opt_;
  torch::Dtype dtype_ = torch::kFloat32;
  std::optional<text::CLIPTokenizer> tok_l_, tok_g_;
  std::optional<text::T5Tokenizer> tok_t5_;
  int64_t t5_length_ = 512;

  std::unique_lock<std::recursive_mutex> hold_devices() const;
  bool graphs_on(const OSEDiffState& st, const torch::Device& d) const;
  bool vae_tiled(int64_t height, int64_t width) const;  // image pixels
  std::vector<torch::Tensor> text_forward(const torch::Tensor& ids1, const torch::Tensor& ids2, const torch::Tensor& ids3) const;
  torch::Tensor latent_from(const torch::Tensor& x, const torch::Tensor& eps, bool tiled, const RunControl& ctl,
                            const Progress& base) const;
  // The transformer's velocity at t = 1000, and the VAE decoder's input after the Euler step.
  torch::Tensor velocity_at_t1000(const torch::Tensor& z, const torch::Tensor& context, const torch::Tensor& pooled) const;
  torch::Tensor vae_input(const torch::Tensor& z, const torch::Tensor& v) const;
  // Low-memory mode: moves a module to `dev` for the scope, and back to the CPU after.
  class Resident;
};

// The backbone "sd3-osediff": takes the bicubic-upscaled crop (SRInput::Upscaled), returns the
// output clamped to [0,1]. Each resolver has its own OSEDiffState (behind a mutex); resolvers made
// from one model share its weights and nothing else.
class OSEDiffResolver : public SuperResolver {
 public:
  explicit OSEDiffResolver(std::shared_ptr<const OSEDiffSD3> model);
  std::string id() const override { return "sd3-osediff"; }
  int scale() const override { return 4; }
  SRInput input_kind() const override { return SRInput::Upscaled; }
  bool uses_prompt() const override { return true; }
  torch::Tensor upscale(const SRRequest& req, const RunControl& ctl, const Progress& base = {}) const override;

  const std::shared_ptr<const OSEDiffSD3>& model() const { return model_; }
  size_t cached_prompts() const;

 private:
  std::shared_ptr<const OSEDiffSD3> model_;
  mutable std::mutex mu_;                   // one upscale at a time on this resolver's state
  std::unique_ptr<OSEDiffState> state_;     // guarded by mu_
};

std::shared_ptr<const SuperResolver> make_osediff_resolver(const SD3Paths& paths, const OSEDiffOptions& opt);
std::shared_ptr<const SuperResolver> make_osediff_resolver(std::shared_ptr<const OSEDiffSD3> model);

}  // namespace coz::models
