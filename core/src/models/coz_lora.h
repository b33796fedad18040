// CoZ's two LoRA files mapped onto our modules: the one place that knows the reference's key
// layout (bryanswkim/Chain-of-Zoom osediff_sd3.py inject_lora / inject_lora_vae; REFERENCE.md
// §1.8, §1.9). Both are merged into the weights at load: W += scaling * up @ down.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include "models/sd3_mmdit.h"
#include "models/sd3_vae.h"
#include "weights/weight_store.h"

namespace coz::models {

// Transformer LoRA (a torch.save list, e.g. model_20001.pkl): up0, down0, up1, down1, ... for
// these linears in order: block i norm1, then block i norm1_context for every block but the last
// (whose norm1_context is an AdaLayerNormContinuous, not adapted). Scale 1.0.
std::vector<std::string> coz_transformer_lora_targets(int64_t num_layers);

// VAE-encoder LoRA (torch.save of vae.encoder's PEFT state dict, e.g. vae_encoder_20001.pt):
// encoder-relative keys; adapted modules hold <path>.base_layer.{weight,bias} and
// <path>.lora_{A,B}.default_encoder.weight, the rest are plain. PEFT's default lora_alpha over r.
struct VAELoraKey {
  std::string target;  // our SD3VAE parameter ("encoder.conv_in.weight"); "" for lora_A/lora_B keys
  std::string module;  // for base_layer keys: the adapted module ("conv_in"); else ""
};
VAELoraKey coz_vae_lora_key(const std::string& file_key);
std::string coz_vae_lora_a(const std::string& module);  // "<module>.lora_A.default_encoder.weight"
std::string coz_vae_lora_b(const std::string& module);  // "<module>.lora_B.default_encoder.weight"
constexpr float kCoZVAELoraAlpha = 8.0f;

// Merges the transformer LoRA list into `tr`. Throws ModelLoadError naming `source` on a count,
// shape or rank mismatch.
void merge_transformer_lora(SD3TransformerImpl& tr, const std::vector<torch::Tensor>& list, int rank,
                            const std::string& source);
// Loads the VAE-encoder file into vae.encoder, merging W += (alpha / rank) * B @ A. Strict: a
// missing, wrong-shaped or unused tensor is a ModelLoadError naming the file (weights::check_load).
void load_vae_encoder_lora(SD3VAEImpl& vae, const weights::WeightStore& store, int rank);

}  // namespace coz::models
