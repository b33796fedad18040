// CoZ's LoRA files (see coz_lora.h for the reference it follows).
#include "models/coz_lora.h"

#include <map>
#include <set>

#include "coz/error.h"

namespace coz::models {

namespace {

const std::string kBase = ".base_layer.";
const std::string kAdapter = "default_encoder";

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool is_lora_key(const std::string& k) {
  return k.find(".lora_A.") != std::string::npos || k.find(".lora_B.") != std::string::npos;
}

// The parameter itself (a handle sharing its storage): named_parameters() returns a temporary
// dict, so a reference into it would dangle (found by ASan).
torch::Tensor param(torch::nn::Module& m, const std::string& name, const std::string& source) {
  for (const auto& p : m.named_parameters(true))
    if (p.key() == name) return p.value();
  throw ModelLoadError(source + ": the model has no parameter " + name);
}

}  // namespace

std::vector<std::string> coz_transformer_lora_targets(int64_t num_layers) {
  std::vector<std::string> targets;
  for (int64_t i = 0; i < num_layers; ++i) {
    targets.push_back("transformer_blocks." + std::to_string(i) + ".norm1.linear");
    if (i + 1 < num_layers) targets.push_back("transformer_blocks." + std::to_string(i) + ".norm1_context.linear");
  }
  return targets;
}

VAELoraKey coz_vae_lora_key(const std::string& file_key) {
  if (is_lora_key(file_key)) return {};
  const auto pos = file_key.find(kBase);
  if (pos == std::string::npos) return {"encoder." + file_key, ""};
  const std::string module = file_key.substr(0, pos);
  return {"encoder." + module + "." + file_key.substr(pos + kBase.size()), module};
}

std::string coz_vae_lora_a(const std::string& module) { return module + ".lora_A." + kAdapter + ".weight"; }
std::string coz_vae_lora_b(const std::string& module) { return module + ".lora_B." + kAdapter + ".weight"; }

void merge_transformer_lora(SD3TransformerImpl& tr, const std::vector<torch::Tensor>& list, int rank, const std::string& source) {
  const int64_t L = tr.config().num_layers;
  const auto targets = coz_transformer_lora_targets(L);
  if (list.size() != 2 * targets.size())
    throw ModelLoadError(source + ": the LoRA holds " + std::to_string(list.size()) + " tensors, expected " +
                         std::to_string(2 * targets.size()) + " (up and down for " + std::to_string(targets.size()) +
                         " AdaLayerNormZero linears of a " + std::to_string(L) + "-block transformer)");
  torch::NoGradGuard ng;
  for (size_t k = 0; k < targets.size(); ++k) {
    const auto& up = list[2 * k];
    const auto& down = list[2 * k + 1];
    torch::Tensor w = param(tr, targets[k] + ".weight", source);
    const std::string what = source + ": LoRA for " + targets[k] + " (tensors " + std::to_string(2 * k) + ", " +
                             std::to_string(2 * k + 1) + ")";
    if (up.dim() != 2 || down.dim() != 2 || up.size(1) != down.size(0))
      throw ModelLoadError(what + " has shapes " + weights::shape_str(up.sizes().vec()) + " and " +
                           weights::shape_str(down.sizes().vec()) + ", which do not chain");
    if (up.size(1) != rank)
      throw ModelLoadError(what + " has rank " + std::to_string(up.size(1)) + ", expected " + std::to_string(rank) +
                           " (--lora-rank)");
    if (up.size(0) != w.size(0) || down.size(1) != w.size(1))
      throw ModelLoadError(what + " is " + weights::shape_str({up.size(0), down.size(1)}) + ", the layer is " +
                           weights::shape_str(w.sizes().vec()));
    // Merged where the weight lives (the GPU when the model was loaded there), in fp32.
    const auto d = torch::matmul(up.to(w.device(), torch::kFloat32), down.to(w.device(), torch::kFloat32));
    w.copy_((w.to(torch::kFloat32) + d).to(w.scalar_type()));
  }
}

void load_vae_encoder_lora(SD3VAEImpl& vae, const weights::WeightStore& store, int rank) {
  const std::string& src = store.source();
  const float scaling = kCoZVAELoraAlpha / static_cast<float>(rank);
  std::map<std::string, torch::Tensor> values;  // our parameter -> value (LoRA merged)
  std::set<std::string> taken;                  // file keys that went into `values`
  for (const auto& name : store.names()) {
    const VAELoraKey key = coz_vae_lora_key(name);
    if (key.target.empty()) continue;  // lora_A/lora_B: taken with their base layer's weight
    taken.insert(name);
    torch::Tensor t = store.get(name).to(torch::kFloat32);
    if (!key.module.empty() && ends_with(name, ".weight")) {
      const std::string a_key = coz_vae_lora_a(key.module), b_key = coz_vae_lora_b(key.module);
      if (!store.has(a_key) || !store.has(b_key))
        throw ModelLoadError(src + ": " + key.module + " has a base_layer but no " + (store.has(a_key) ? b_key : a_key));
      taken.insert(a_key);
      taken.insert(b_key);
      const auto A = store.get(a_key).to(torch::kFloat32), B = store.get(b_key).to(torch::kFloat32);
      if (A.dim() < 2 || B.dim() < 2 || A.size(0) != rank || B.size(1) != rank)
        throw ModelLoadError(src + ": " + a_key + " " + weights::shape_str(A.sizes().vec()) + " and " + b_key + " " +
                             weights::shape_str(B.sizes().vec()) + " are not a rank-" + std::to_string(rank) +
                             " pair (--lora-rank)");
      if (t.dim() < 2 || B.size(0) != t.size(0) || A.numel() / rank != t.numel() / t.size(0))
        throw ModelLoadError(src + ": " + a_key + " " + weights::shape_str(A.sizes().vec()) + " and " + b_key + " " +
                             weights::shape_str(B.sizes().vec()) + " do not fit " + name + " " +
                             weights::shape_str(t.sizes().vec()));
      t = t + scaling * torch::matmul(B.reshape({B.size(0), rank}), A.reshape({rank, -1})).reshape(t.sizes());
    }
    values[key.target] = t;
  }
  weights::LoadReport r;  // names relative to vae.encoder, as in the file
  r.source = src;
  torch::NoGradGuard ng;
  std::set<std::string> used;
  for (auto& p : vae.named_parameters(true)) {
    if (p.key().rfind("encoder.", 0) != 0) continue;
    auto it = values.find(p.key());
    if (it == values.end()) {
      r.missing.push_back(p.key().substr(8));
      continue;
    }
    used.insert(p.key());
    if (it->second.sizes() != p.value().sizes()) {
      r.mismatched.push_back({p.key().substr(8), p.value().sizes().vec(), it->second.sizes().vec()});
      continue;
    }
    p.value().copy_(it->second.to(p.value().scalar_type()));
  }
  for (const auto& [k, v] : values)
    if (!used.count(k)) r.unexpected.push_back(k.substr(8));
  for (const auto& name : store.names())
    if (!taken.count(name)) r.unexpected.push_back(name);  // lora_A/lora_B without a base layer
  // The file is vae.encoder's whole state dict: anything else is a different file.
  weights::check_load(r, weights::Unexpected::Error);
}

}  // namespace coz::models
