#include "models/osediff.h"

#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "compat.h"
#include "coz/error.h"
#include "kernels/group_norm.h"
#include "weights/hf_cache.h"
#include "weights/weight_store.h"

namespace coz::models {
namespace fs = std::filesystem;
namespace F = torch::nn::functional;

fs::path find_sd3_folder(const std::string& user) {
  if (!user.empty()) {
    const fs::path p(user);
    if (fs::exists(p / "model_index.json")) return p;
    throw ModelLoadError(user + " is not a Stable Diffusion 3 diffusers folder: model_index.json is missing");
  }
  if (auto snapshot = weights::find_hf_snapshot(kSD3RepoId, "main", "model_index.json")) return *snapshot;
  std::string looked;
  for (const auto& hub : weights::hf_hub_cache_dirs())
    looked += (looked.empty() ? "" : ", ") + (hub / weights::hf_repo_folder_name(kSD3RepoId)).string();
  throw ModelLoadError("Stable Diffusion 3 medium was not found (looked in " + (looked.empty() ? std::string("no cache") : looked) +
                       "); pass --sd3 PATH (a diffusers folder with model_index.json) or download " + kSD3RepoId +
                       " into the Hugging Face cache");
}

// ------------------------------------------------------------------------------------------ state

OSEDiffState::OSEDiffState(bool cuda_graphs) : cuda_graphs_(cuda_graphs) {
  text_graph_ = std::make_unique<GraphedCall>("the text encoders", GraphPool::make());
  const GraphPool image_pool = GraphPool::make();
  encode_graph_ = std::make_unique<GraphedCall>("the VAE encoder", image_pool);
  finish_graph_ = std::make_unique<GraphedCall>("the transformer and VAE decoder", image_pool);
}

OSEDiffState::~OSEDiffState() = default;

void OSEDiffState::clear_prompt_cache() {
  prompts_.clear();
  prompt_order_.clear();
}

void OSEDiffState::set_cuda_graphs(bool on) {
  cuda_graphs_ = on;
  for (auto* g : {text_graph_.get(), encode_graph_.get(), finish_graph_.get()}) g->reset();
}

void OSEDiffState::bind(const OSEDiffSD3* model) {
  if (model_ && model_ != model)
    throw Error("an OSEDiffState works with the one SD3 model it first ran with; make a state per model");
  model_ = model;
}

const PromptEmbeds* OSEDiffState::cached(const std::string& prompt) const {
  auto it = prompts_.find(prompt);
  return it == prompts_.end() ? nullptr : &it->second;
}

void OSEDiffState::remember(const std::string& prompt, const PromptEmbeds& pe) {
  if (prompts_.count(prompt)) return;
  if (prompt_order_.size() >= kMaxPrompts) {
    prompts_.erase(prompt_order_.front());
    prompt_order_.pop_front();
  }
  prompts_[prompt] = pe;
  prompt_order_.push_back(prompt);
}

// ------------------------------------------------------------------------------------------ model

struct OSEDiffSD3::Nets {
  CLIPTextModel clip_l{nullptr}, clip_g{nullptr};
  T5EncoderModel t5{nullptr};
  SD3Transformer transformer{nullptr};
  SD3VAE vae{nullptr};
  std::recursive_mutex move_mu;  // low-memory mode: held by a call while it moves modules
};

OSEDiffSD3::~OSEDiffSD3() = default;

class OSEDiffSD3::Resident {
 public:
  Resident(bool on, torch::nn::Module& m, const torch::Device& dev) : on_(on && dev.is_cuda()), m_(m) {
    if (on_) m_.to(dev);
  }
  ~Resident() {
    if (on_) m_.to(torch::kCPU);
  }

 private:
  bool on_;
  torch::nn::Module& m_;
};

std::shared_ptr<OSEDiffSD3> OSEDiffSD3::load(const SD3Paths& paths, const OSEDiffOptions& opt) {
  auto m = std::shared_ptr<OSEDiffSD3>(new OSEDiffSD3());
  m->nets_ = std::make_unique<Nets>();
  Nets& n = *m->nets_;
  m->opt_ = opt;
  const auto prec = resolve_precision(opt.precision, opt.transformer_device);
  m->dtype_ = precision_dtype(prec);
  const fs::path& root = paths.root;
  if (!fs::exists(root / "model_index.json"))
    throw ModelLoadError(root.string() + " is not a Stable Diffusion 3 diffusers folder: model_index.json is missing");
  for (const char* part : {"transformer", "vae", "text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2"})
    if (!fs::is_directory(root / part)) throw ModelLoadError(root.string() + ": the " + part + " folder is missing");
  if (!fs::exists(paths.lora)) throw ModelLoadError("the CoZ transformer LoRA " + paths.lora.string() + " is missing (--lora)");
  if (!fs::exists(paths.vae_lora)) throw ModelLoadError("the CoZ VAE LoRA " + paths.vae_lora.string() + " is missing (--vae-lora)");

  torch::NoGradGuard ng;
  const auto home = [&](const torch::Device& d) { return opt.low_memory ? torch::Device(torch::kCPU) : d; };
  // COZ_LOAD_TIMES=1 prints where the load time goes (stderr), for tools/bench.
  const bool trace = std::getenv("COZ_LOAD_TIMES") != nullptr;
  auto last = std::chrono::steady_clock::now();
  const auto mark = [&](const char* what) {
    if (!trace) return;
    compat::cuda_synchronize(opt.transformer_device);
    const auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "  load %-28s %7.0f ms\n", what, std::chrono::duration<double, std::milli>(now - last).count());
    last = now;
  };
  // The transformer first, straight to its device: the fp16 file is copied there and converted
  // there, the LoRAs merge there in fp32, then the weights take the run's precision. Loading it
  // before the text encoders keeps the fp32 copy from adding to their memory.
  n.transformer = load_sd3_transformer(root / "transformer", home(opt.transformer_device), torch::kFloat32);
  mark("transformer (fp32)");
  const auto lora = weights::WeightStore::open(paths.lora);
  if (lora.list().empty()) throw ModelLoadError(paths.lora.string() + ": expected a list of LoRA tensors (CoZ's model_*.pkl)");
  merge_transformer_lora(*n.transformer, lora.list(), opt.lora_rank, paths.lora.string());
  n.transformer->set_half_modulation(opt.reference_fp16_modulation);
  n.transformer->to(home(opt.transformer_device), m->dtype_);
  // Placement copied each weight apart: fuse q/k/v again (not in low-memory mode, whose moves would
  // leave the fused copies behind).
  n.transformer->fuse_qkv(!opt.low_memory);
  n.transformer->eval();
  mark("LoRA merge, cast, fuse");
  n.vae = load_sd3_vae(root / "vae", home(opt.vae_device), torch::kFloat32);
  load_vae_encoder_lora(*n.vae, weights::WeightStore::open(paths.vae_lora), opt.lora_rank);
  n.vae->to(home(opt.vae_device), m->dtype_);
  n.vae->eval();
  mark("VAE + LoRA");
  // Text encoders keep their own precision on their device (fp32 on the CPU).
  const torch::Dtype text_dtype = opt.text_device.is_cuda() ? m->dtype_ : torch::kFloat32;
  m->tok_l_ = text::CLIPTokenizer::from_folder(root / "tokenizer");
  m->tok_g_ = text::CLIPTokenizer::from_folder(root / "tokenizer_2");
  n.clip_l = load_clip_text(root / "text_encoder", home(opt.text_device), text_dtype);
  n.clip_g = load_clip_text(root / "text_encoder_2", home(opt.text_device), text_dtype);
  mark("tokenizers, CLIP-L, CLIP-G");
  if (opt.use_t5) {
    if (!fs::is_directory(root / "text_encoder_3") || !fs::is_directory(root / "tokenizer_3"))
      throw ModelLoadError(root.string() + ": text_encoder_3 or tokenizer_3 is missing; run without T5 (--no-t5)");
    if (!text::T5Tokenizer::available())
      throw ModelLoadError("this build has no SentencePiece, so T5's tokenizer is unavailable; run without T5 (--no-t5)");
    m->tok_t5_ = text::T5Tokenizer::from_folder(root / "tokenizer_3");
    // Low-memory mode moves blocks back and forth, which would leave fused copies behind.
    n.t5 = load_t5_encoder(root / "text_encoder_3", home(opt.text_device), text_dtype, /*fused=*/!opt.low_memory);
    mark("T5 tokenizer + encoder");
  }
  m->set_fused_kernels(opt.fused_kernels);
  return m;
}

void OSEDiffSD3::set_fused_kernels(bool on) {
  opt_.fused_kernels = on;
  // LibTorch's GroupNorm is slow on channels-last tensors, so channels-last goes with the fused
  // kernel only (measured on an H200: decode 22 -> 27 ms with LibTorch's GroupNorm).
  nets_->vae->set_channels_last(on && kernels::have_cuda_kernels() && opt_.vae_device.is_cuda());
}

std::unique_lock<std::recursive_mutex> OSEDiffSD3::hold_devices() const {
  return opt_.low_memory ? std::unique_lock<std::recursive_mutex>(nets_->move_mu) : std::unique_lock<std::recursive_mutex>();
}

bool OSEDiffSD3::graphs_on(const OSEDiffState& st, const torch::Device& d) const {
  return st.cuda_graphs_ && GraphedCall::supported() && d.is_cuda() && !opt_.low_memory;
}

bool OSEDiffSD3::vae_tiled(int64_t height, int64_t width) const {
  return opt_.vae_tile > 0 && (height > opt_.vae_tile || width > opt_.vae_tile);
}

std::vector<torch::Tensor> OSEDiffSD3::text_forward(const torch::Tensor& ids1, const torch::Tensor& ids2,
                                                     const torch::Tensor& ids3) const {
  Nets& n = *nets_;
  const auto dev = opt_.text_device;
  auto o1 = n.clip_l->forward(ids1);
  auto o2 = n.clip_g->forward(ids2);
  const int64_t joint = n.transformer->config().joint_attention_dim;
  torch::Tensor t5;
  if (n.t5 && opt_.low_memory && dev.is_cuda()) t5 = n.t5->forward_streamed(ids3, dev);  // one block on the GPU at a time
  else if (n.t5) t5 = n.t5->forward(ids3, /*check_ids=*/false);                          // checked by encode_ids
  else t5 = torch::zeros({ids1.size(0), t5_length_, joint}, o1.penultimate.options());
  auto clip = torch::cat({o1.penultimate, o2.penultimate}, -1);
  clip = F::pad(clip, F::PadFuncOptions({0, joint - clip.size(-1)}));
  return {torch::cat({clip, t5.to(clip.scalar_type())}, 1), torch::cat({o1.text_embeds, o2.text_embeds}, -1)};
}

PromptEmbeds OSEDiffSD3::encode_ids(OSEDiffState& st, const torch::Tensor& ids1, const torch::Tensor& ids2,
                                    const torch::Tensor& ids3) const {
  c10::InferenceMode guard;
  st.bind(this);
  const auto devices = hold_devices();
  Nets& n = *nets_;
  const auto dev = opt_.text_device;
  if (n.t5) n.t5->check_ids(ids3);
  std::vector<torch::Tensor> out;
  bool graphed = false;
  if (graphs_on(st, dev)) {
    std::vector<torch::Tensor> in{ids1.to(dev, torch::kLong), ids2.to(dev, torch::kLong)};
    if (n.t5) in.push_back(ids3.to(dev, torch::kLong));
    out = st.text_graph_->run(in, [this](const std::vector<torch::Tensor>& t) {
      return text_forward(t[0], t[1], t.size() > 2 ? t[2] : torch::Tensor());
    });
    graphed = st.text_graph_->captured();
  } else {
    Resident r1(opt_.low_memory, *n.clip_l, dev), r2(opt_.low_memory, *n.clip_g, dev);
    out = text_forward(ids1.to(dev), ids2.to(dev), ids3);
  }
  PromptEmbeds pe;
  pe.context = out[0].to(opt_.transformer_device, dtype_);
  pe.pooled = out[1].to(opt_.transformer_device, dtype_);
  if (graphed) {  // the graph's outputs are overwritten by its next replay
    if (pe.context.is_same(out[0])) pe.context = pe.context.clone();
    if (pe.pooled.is_same(out[1])) pe.pooled = pe.pooled.clone();
  }
  return pe;
}

PromptEmbeds OSEDiffSD3::encode_prompt(OSEDiffState& st, const std::string& prompt) const {
  st.bind(this);
  if (const PromptEmbeds* pe = st.cached(prompt)) return *pe;
  auto ids = [](const std::vector<int64_t>& v) { return torch::tensor(v, torch::kInt64).unsqueeze(0); };
  const auto ids3 = tok_t5_ ? ids(tok_t5_->encode(prompt, static_cast<size_t>(t5_length_))) : torch::Tensor();
  PromptEmbeds pe = encode_ids(st, ids(tok_l_->encode(prompt)), ids(tok_g_->encode(prompt)), ids3);
  st.remember(prompt, pe);
  return pe;
}

torch::Tensor OSEDiffSD3::latent_from(const torch::Tensor& x, const torch::Tensor& eps, bool tiled, const RunControl& ctl,
                                      const Progress& base) const {
  SD3VAEImpl& vae = *nets_->vae;
  const auto moments = tiled ? vae.encode_moments_tiled(x, opt_.vae_tile, std::max(32, opt_.vae_tile / 8) / 8 * 8, ctl, base)
                             : vae.encode_moments(x);
  auto parts = moments.to(torch::kFloat32).chunk(2, 1);
  const auto& mean = parts[0];
  if (!eps.defined()) return mean * vae.config().scaling_factor;
  const auto std_ = torch::exp(0.5 * parts[1].clamp(-30.0, 20.0));
  return (mean + std_ * eps) * vae.config().scaling_factor;
}

torch::Tensor OSEDiffSD3::encode_latent(OSEDiffState& st, const torch::Tensor& lq, const torch::Tensor& eps, uint64_t seed,
                                        const RunControl& ctl, const Progress& base) const {
  c10::InferenceMode guard;
  st.bind(this);
  const auto devices = hold_devices();
  SD3VAE& vae = nets_->vae;
  const auto dev = opt_.vae_device;
  const auto x = lq.to(dev, dtype_);
  const bool tiled = vae_tiled(x.size(2), x.size(3));
  torch::Tensor e;  // noise in fp32 on the VAE's device; none with --deterministic
  if (!opt_.deterministic) {
    e = eps;
    if (!e.defined()) {
      auto gen = at::detail::createCPUGenerator(seed);
      e = torch::randn({x.size(0), vae->config().latent_channels, x.size(2) / 8, x.size(3) / 8}, gen,
                       torch::TensorOptions().dtype(torch::kFloat32));
    }
    e = e.to(dev, torch::kFloat32);
  }
  if (graphs_on(st, dev) && !tiled) {
    std::vector<torch::Tensor> in{x};
    if (e.defined()) in.push_back(e);
    auto out = st.encode_graph_->run(in, [this](const std::vector<torch::Tensor>& t) {
      return std::vector<torch::Tensor>{latent_from(t[0], t.size() > 1 ? t[1] : torch::Tensor(), false, {}, {})};
    });
    return st.encode_graph_->captured() ? out[0].clone() : out[0];
  }
  Resident rv(opt_.low_memory, *vae, dev);
  return latent_from(x, e, tiled, ctl, base);
}

torch::Tensor OSEDiffSD3::velocity_at_t1000(const torch::Tensor& z, const torch::Tensor& context,
                                            const torch::Tensor& pooled) const {
  const auto t = torch::full({z.size(0)}, 1000.0f, torch::TensorOptions().device(opt_.transformer_device).dtype(dtype_));
  return nets_->transformer->forward(z.to(opt_.transformer_device, dtype_), t, context, pooled);
}

torch::Tensor OSEDiffSD3::vae_input(const torch::Tensor& z, const torch::Tensor& v) const {
  const auto z0 = z.to(v.device(), torch::kFloat32) - v.to(torch::kFloat32);  // Euler step sigma 1 -> 0
  const auto& c = nets_->vae->config();
  return (z0 / c.scaling_factor + c.shift_factor).to(opt_.vae_device, dtype_);
}

torch::Tensor OSEDiffSD3::velocity(const torch::Tensor& z, const PromptEmbeds& pe) const {
  c10::InferenceMode guard;
  const auto devices = hold_devices();
  Resident rt(opt_.low_memory, *nets_->transformer, opt_.transformer_device);
  return velocity_at_t1000(z, pe.context, pe.pooled);
}

namespace {
void check_lq(const torch::Tensor& lq) {
  if (lq.dim() != 4 || lq.size(2) % 16 || lq.size(3) % 16)
    throw InvalidInput("sd3-osediff needs an image whose sides are multiples of 16 (got " +
                       std::to_string(lq.size(3)) + "x" + std::to_string(lq.size(2)) + ")");
}
}  // namespace

torch::Tensor OSEDiffSD3::step(OSEDiffState& st, const torch::Tensor& lq, const PromptEmbeds& pe, const torch::Tensor& eps,
                               uint64_t seed, const RunControl& ctl, const Progress& base) const {
  c10::InferenceMode guard;
  check_lq(lq);
  ctl.check_cancel();
  const auto devices = hold_devices();
  if (!vae_tiled(lq.size(2), lq.size(3))) {  // else the VAE reports its tiles
    Progress p = base;
    p.tile = p.tiles = 1;
    ctl.report(p);
  }
  return finish(st, encode_latent(st, lq, eps, seed, ctl, base), pe, ctl, base);
}

torch::Tensor OSEDiffSD3::run(OSEDiffState& st, const torch::Tensor& lq, const std::string& prompt, const torch::Tensor& eps,
                              uint64_t seed, const RunControl& ctl, const Progress& base) const {
  c10::InferenceMode guard;
  check_lq(lq);
  ctl.check_cancel();
  const auto devices = hold_devices();
  // Tried: encoding an uncached prompt on a second CUDA stream while this one encodes the image (both
  // as graph replays, so this thread only queues work): 40.0 ms a step against 37.5 sequential on an
  // H200 — both parts are compute-bound. Before graphs, a second CPU thread per call was 3x slower.
  const PromptEmbeds pe = encode_prompt(st, prompt);
  return step(st, lq, pe, eps, seed, ctl, base);
}

torch::Tensor OSEDiffSD3::finish(OSEDiffState& st, const torch::Tensor& z, const PromptEmbeds& pe, const RunControl& ctl,
                                 const Progress& base) const {
  c10::InferenceMode guard;
  st.bind(this);
  const auto devices = hold_devices();
  ctl.check_cancel();
  SD3VAE& vae = nets_->vae;
  const int dt = opt_.vae_tile / 8;
  const bool tiled = vae_tiled(z.size(2) * 8, z.size(3) * 8);
  const auto dev = opt_.transformer_device;
  if (graphs_on(st, dev) && opt_.vae_device == dev && !tiled) {
    const std::vector<torch::Tensor> in{z.to(dev, torch::kFloat32), pe.context.to(dev, dtype_), pe.pooled.to(dev, dtype_)};
    auto out = st.finish_graph_->run(in, [this, &vae](const std::vector<torch::Tensor>& t) {
      return std::vector<torch::Tensor>{vae->decode(vae_input(t[0], velocity_at_t1000(t[0], t[1], t[2])))};
    });
    return out[0].to(torch::kCPU, torch::kFloat32);
  }
  const auto v = velocity(z, pe);
  ctl.check_cancel();
  const auto zin = vae_input(z, v);
  Resident rv(opt_.low_memory, *vae, opt_.vae_device);
  const auto x = tiled ? vae->decode_tiled(zin, dt, std::max(4, dt / 8), ctl, base) : vae->decode(zin);
  return x.to(torch::kCPU, torch::kFloat32);
}

// --------------------------------------------------------------------------------------- backbone

OSEDiffResolver::OSEDiffResolver(std::shared_ptr<const OSEDiffSD3> model)
    : model_(std::move(model)), state_(model_->make_state()) {}

torch::Tensor OSEDiffResolver::upscale(const SRRequest& req, const RunControl& ctl, const Progress& base) const {
  std::lock_guard<std::mutex> lock(mu_);
  const auto lq = req.image.to(torch::kFloat32) * 2.0 - 1.0;
  const auto out = model_->run(*state_, lq, req.prompt, {}, req.seed, ctl, base);
  return out.clamp(-1.0, 1.0) * 0.5 + 0.5;
}

size_t OSEDiffResolver::cached_prompts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_->cached_prompts();
}

std::shared_ptr<const SuperResolver> make_osediff_resolver(std::shared_ptr<const OSEDiffSD3> model) {
  return std::make_shared<OSEDiffResolver>(std::move(model));
}

std::shared_ptr<const SuperResolver> make_osediff_resolver(const SD3Paths& paths, const OSEDiffOptions& opt) {
  return make_osediff_resolver(OSEDiffSD3::load(paths, opt));
}

}  // namespace coz::models
