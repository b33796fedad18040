// Qwen2.5-VL (Qwen2_5_VLForConditionalGeneration, transformers 4.49-5.x; REFERENCE.md §4) as CoZ's
// VLM prompt source uses it: the image path of qwen-vl-utils + Qwen2VLImageProcessor, the vision
// tower (2-D RoPE, window attention with full-attention blocks, patch merger), the language model
// (GQA, M-RoPE, RMSNorm) and greedy generation with the checkpoint's repetition penalty.
//
// Loading reads the Hugging Face folder: config.json (flat legacy layout or text_config), the
// generation and preprocessor configs, tokenizer.json (+ tokenizer_config.json's chat template) and
// the safetensors shards through their index, under the published names (visual.*, model.*,
// lm_head.weight; transformers 5's model.visual.* / model.language_model.* are accepted too). The
// q/k/v and gate/up projections are fused into one matrix each at load.
//
// Speed on CUDA: window attention runs per window group (windows of one size batched, no dense
// mask); rotary tables and window orders are cached per image grid; generation uses a static KV
// cache and the decode step (embedding -> 36 layers -> penalty -> argmax) is one CUDA graph whose
// only host synchronisation is reading the token. In the step, the one-row projections and lm_head
// are the engine's GEMV kernel and attention is a split-KV kernel that reads only the filled part of
// the cache (its length from a device tensor, so the graph stays valid).
//
// Two paths. The default (fast) one fuses and batches as above; on the H200 its fp32 ids equal
// transformers' generate (128 of 128), its bf16 ids part after 8-17 on random weights, where the top
// logits lie within bf16 rounding of each other and any other accumulation order picks another id.
// QwenGenerateOptions::exact runs transformers' own op sequence instead (modeling_qwen2_5_vl.py
// with SDPA: separate q/k/v and gate/up Linears, its RMSNorm/rotary formulas and casts, the Conv3d
// patch embedding, one attention call per window, a cat-grown cache with SDPA over exactly the
// filled length, the same residual order and fp32 logits processing, no CUDA graph), so that on the
// same LibTorch build every bf16 rounding is the reference's: the path for proving equal ids, not
// for speed. It matches transformers on the tiny goldens (CPU, fp32) and, on the H200, in bf16 and
// fp32 128 of 128 ids with every hidden state bit-equal, once neither side uses cuDNN's attention
// (whose bf16 results vary from run to run, transformers' own included; docs/PERFORMANCE.md).
#pragma once
#include <torch/torch.h>

#include <array>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coz/control.h"
#include "cuda_graph.h"
#include "text/qwen_tokenizer.h"

namespace coz::models {

struct QwenVisionConfig {
  int64_t depth = 32, hidden = 1280, heads = 16, intermediate = 3420, in_channels = 3;
  int64_t patch = 14, temporal_patch = 2, merge = 2, window = 112, out_hidden = 2048;
  std::vector<int64_t> fullatt_blocks{7, 15, 23, 31};
};

struct QwenTextConfig {
  int64_t hidden = 2048, layers = 36, heads = 16, kv_heads = 2, intermediate = 11008, vocab = 151936;
  double eps = 1e-6, theta = 1e6;
  std::vector<int64_t> mrope_section{16, 24, 24};
  bool tied = true;
  int64_t image_token = 151655, video_token = 151656, vision_start = 151652, vision_end = 151653;
  int64_t head_dim() const { return hidden / heads; }
};

struct QwenGenerationConfig {
  std::vector<int64_t> eos{151645, 151643};
  double repetition_penalty = 1.0;
  // Qwen2.5-VL's config samples with top_k 1 (greedy in effect); the temperature scales the logits
  // before that, and ties then go to the highest id (see qwen_choose).
  bool do_sample = false;
  double temperature = 1.0;
  int64_t max_new_tokens = 128;  // what CoZ passes to generate()
};

struct QwenPreprocessConfig {
  int64_t min_pixels = 3136, max_pixels = 12845056;
  std::array<float, 3> mean{0.48145466f, 0.4578275f, 0.40821073f};
  std::array<float, 3> std{0.26862954f, 0.26130258f, 0.27577711f};
};

struct QwenConfig {
  QwenVisionConfig vision;
  QwenTextConfig text;
  QwenGenerationConfig generation;
  QwenPreprocessConfig preprocess;
  // Reads config.json, generation_config.json and preprocessor_config.json of `dir` (the last two
  // optional, defaults above). Throws ModelLoadError naming the file and the value.
  static QwenConfig from_folder(const std::filesystem::path& dir);
};

// qwen-vl-utils' smart_resize: (height, width) as multiples of `factor` within the pixel bounds,
// aspect ratio below 200 (InvalidInput otherwise). Python's round() (half to even) on exact halves.
std::pair<int64_t, int64_t> qwen_smart_resize(int64_t height, int64_t width, int64_t factor, int64_t min_pixels,
                                             int64_t max_pixels);

// One preprocessed image: the resized pixels and their patch grid. The patch rows (normalised,
// temporally duplicated, in merge-block order) are made where the model runs: patches(device).
struct QwenImage {
  torch::Tensor pixels;  // [grid_h*patch, grid_w*patch, 3] uint8, CPU
  int64_t grid_t = 1, grid_h = 0, grid_w = 0;
  std::array<float, 3> mean{}, std{};
  int64_t temporal_patch = 2, patch = 14, merge = 2;
  int64_t tokens() const { return grid_t * grid_h * grid_w / (merge * merge); }
  // [grid_t*grid_h*grid_w, 3*temporal_patch*patch*patch] float32 on `device`.
  torch::Tensor patches(const torch::Device& device = torch::kCPU) const;
};

// rgb: [H,W,3] uint8, or [1,3,H,W] / [3,H,W] float in [0,1] (rounded to 8 bits, as the reference
// reads the step's PNG). fetch_image (smart_resize factor 28, 4*28*28 .. 16384*28*28 pixels, Pillow
// BICUBIC), then the image processor (smart_resize with its min/max pixels, rescale, normalise,
// temporal duplication, patchify). Too small images are resized up. Throws InvalidInput.
QwenImage qwen_preprocess(const torch::Tensor& rgb, const QwenConfig& config);

// A named intermediate tensor of a run, for comparisons with the reference layer by layer.
using QwenTensorTap = std::function<void(const std::string& name, const torch::Tensor& t)>;

struct QwenGenerateOptions {
  int64_t max_new_tokens = -1;  // -1: the generation config's
  bool ignore_eos = false;      // EOS never chosen (benchmarks: exactly max_new_tokens tokens)
  std::function<void(int64_t)> on_token;  // each new id as it is chosen (may be empty)
  // transformers' op sequence (see the top of this file), for equal ids in bf16 as well.
  bool exact = false;
  // Exact path only: "pixel_values" [N, 1176] fp32, "vision" [tokens, hidden], and per step S (0 =
  // the prefill) "h.S.J" (J = 0: input embeddings, 1..layers-1: the outputs of layers 0..layers-2,
  // layers: the final norm's output; transformers' output_hidden_states) and "logits.S" [vocab] fp32;
  // per decode step S > 0 also "cos.S"/"sin.S" and per layer I "attn.S.I"/"mlp.S.I" (the attention's
  // and the MLP's outputs before their residual adds); at the end "k.I"/"v.I", the caches.
  QwenTensorTap on_tensor;
};

struct QwenTimings {
  double vision_ms = 0, prefill_ms = 0, decode_ms = 0;  // prefill includes the first token
  int64_t prompt_tokens = 0, new_tokens = 0;
};

class QwenVL {
 public:
  // Throws ModelLoadError naming the file (missing shard, wrong model type, missing/mis-shaped
  // tensor, a tokenizer.json of another family, a chat template that is not Qwen2-VL's).
  static std::shared_ptr<QwenVL> load(const std::filesystem::path& dir, const torch::Device& device = torch::kCPU,
                                      torch::Dtype dtype = torch::kFloat32);
  ~QwenVL();

  const QwenConfig& config() const { return config_; }
  const text::QwenTokenizer& tokenizer() const { return *tokenizer_; }
  const torch::Device& device() const { return device_; }
  torch::Dtype dtype() const { return dtype_; }
  void set_cuda_graphs(bool on);
  // Moves the weights to `device` (the memory mode that parks the VLM on the CPU while the SR model
  // runs). The CPU copy is kept pinned, so parking frees the GPU copy without a transfer and coming
  // back is one fast host-to-device copy. Drops the KV cache and the captured graph.
  void to(const torch::Device& device);

  // CoZ's chat text for `system` and n images (§4.5), before the image pads are expanded.
  static std::string chat_text(const std::string& system, int n_images);

  // The merged vision tokens of the images, concatenated: [sum tokens, text hidden], model dtype.
  torch::Tensor vision(const std::vector<QwenImage>& images);
  // Prompt ids: chat_text tokenized with each <|image_pad|> expanded to the image's token count.
  std::vector<int64_t> prompt_ids(const std::string& system, const std::vector<QwenImage>& images) const;
  // The M-RoPE position ids [3, L] (int64, CPU) and rope delta of a prompt (get_rope_index).
  std::pair<torch::Tensor, int64_t> rope_index(const std::vector<int64_t>& ids,
                                               const std::vector<QwenImage>& images) const;
  // Logits of every prompt position, [L, vocab] float32 on the CPU (tests).
  torch::Tensor prefill_logits(const std::vector<int64_t>& ids, const std::vector<QwenImage>& images);
  // Greedy generation with the repetition penalty; the new ids (an EOS that ended it included).
  // Cancellable between tokens through `ctl`.
  std::vector<int64_t> generate(const std::vector<int64_t>& ids, const std::vector<QwenImage>& images,
                                const QwenGenerateOptions& opt = {}, const RunControl* ctl = nullptr,
                                QwenTimings* timings = nullptr);
  // system + images -> the decoded answer (special tokens skipped).
  std::string describe(const std::string& system, const std::vector<QwenImage>& images,
                       const RunControl* ctl = nullptr, QwenTimings* timings = nullptr);

  struct Weights;
  struct Vision;
  struct Decoder;

 private:
  QwenVL() = default;
  QwenConfig config_;
  std::shared_ptr<const text::QwenTokenizer> tokenizer_;
  torch::Device device_ = torch::kCPU;
  torch::Dtype dtype_ = torch::kFloat32;
  std::unique_ptr<Weights> w_;
  std::unique_ptr<Weights> host_;  // pinned CPU copy, made on the first move to the GPU from the CPU
  std::unique_ptr<Vision> vision_cache_;
  std::unique_ptr<Decoder> decoder_;
  bool graphs_ = true;

  const Vision& vision_layout(const std::vector<QwenImage>& images);
  torch::Tensor vision_exact(const std::vector<QwenImage>& images, const QwenTensorTap& tap);
  std::vector<int64_t> generate_exact(const std::vector<int64_t>& ids, const std::vector<QwenImage>& images,
                                      const QwenGenerateOptions& opt, const RunControl* ctl, QwenTimings* timings);
  torch::Tensor embed_prompt(const std::vector<int64_t>& ids, const std::vector<QwenImage>& images,
                             bool exact = false, const QwenTensorTap& tap = {});
  torch::Tensor forward_prefill(const torch::Tensor& embeds, const torch::Tensor& positions, int64_t capacity,
                                bool all_logits);
};

}  // namespace coz::models
