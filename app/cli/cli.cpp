#include "cli.h"

#include <unistd.h>

#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "coz/atomic_file.h"
#include "coz/coz.h"
#include "coz/export.h"
#include "coz/fingerprint.h"
#include "coz/hub.h"
#include "coz/imageio.h"
#include "coz/video.h"
#include "coz/zoom_flight.h"
#include "progress.h"
#ifdef COZ_HAVE_SERVE
#include "serve.h"
#endif

namespace coz::cli {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const char* kHelp = R"(coz - Chain-of-Zoom extreme super-resolution

Usage:
  coz upscale IN -o OUT --scale S [options]    upscale a whole image by any factor > 1
  coz zoom IN -o OUTDIR [options]              zoom into a point, 4x per step
  coz zoom --resume OUTDIR [--from-step K] [--steps N] [steering options]
                                               go on with an interrupted run, re-run a run from
                                               step K (steps before K are kept), or make it longer
  coz video STEPS_DIR -o zoom.mp4 [video options]
                                               fly through a zoom run: a video from x1 to x4^N
  coz replay IMAGE [-o OUT] [--input PATH]     re-run the recipe an image carries: bit-identical on
                                               the recorded device and precision, else the PSNR
  coz batch IN... -o OUTDIR [batch options] [upscale or zoom options]
                                               every image of files and folders: upscaled with
                                               --scale S, else zoomed into its centre
  coz serve [--host H] [--port P] [serve options]
                                               the engine behind a local HTTP API (POST /upscale,
                                               /process, /zoom, /v1/jobs + server-sent events,
                                               AUTOMATIC1111's /sdapi/v1/...; GET /openapi.json)
  coz models [--json]                          the models CoZ knows: installed, partial or missing,
                                               size, where, licence
  coz models pull ID... [--revision R]         download models (and what they need) into the Hugging
                                               Face cache / the models folder; resumes broken downloads
  coz models verify [ID...]                    check sizes and SHA-256 of installed models (default: all)
  coz models rm ID...                          delete a model's files
  coz inspect FILE [--json]                    list the tensors of a model file (safetensors,
                                               shard index, torch.save .pt/.pth/.pkl, TF.js model.json)
  coz --help | --version

upscale options:
  --scale S               factor > 1, e.g. 2.5 (output is round(w*S) x round(h*S))
  --model ID              esrgan-thick (default), esrgan-medium, esrgan-slim, esrgan-gans (GAN-trained,
                          sharper, may invent texture), sd3-osediff, bicubic, nearest
  --tile N                tile size in input pixels (default 128; 0 = no tiling)
  --color-fix none|wavelet|adain   (default none)
  --bit-depth 8|16        16 for .png/.tif output (default: 16 if the input was 16-bit)
  --max-side N            refuse outputs with a side over N pixels (default 8192)

zoom options:
  --steps N               zoom steps, 1..8 (default 4; total magnification 4^N)
  --rec TYPE              recursive (default), recursive-multiscale, onestep, bicubic, nearest
  --center X,Y            zoom point in input pixels (default: the image centre)
  --process-size N        side of every step image (default 512)
  --prompt-mode MODE      null (default: your --prompt text alone), dape or vlm (generated prompts;
                          see coz models for what is installed)
  --prompt TEXT           your prompt text (added to generated prompts)
  --ram PATH              RAM checkpoint ram_swin_large_14m.pth for --prompt-mode dape (default: the
                          Hugging Face cache; its tag files beside it or in <models>/ram)
  --dape PATH             CoZ's DAPE LoRA (default: <models>/dape/DAPE.pth)
  --vlm PATH              Qwen2.5-VL-3B-Instruct folder for --prompt-mode vlm (default: the Hugging
                          Face cache, as coz models pull qwen2.5-vl-3b leaves it)
  --vlm-offload           keep the VLM on the CPU between prompts (less GPU memory, slower steps)
  --model ID, --tile N, --color-fix ...   as for upscale
  --seed N                random seed for stochastic backbones (default 0)
  --video FILE            also write the fly-through video (see video options)
  Writes step_0.png .. step_N.png, strip.png and steps.json into OUTDIR. An interrupted run keeps
  its finished steps (in CoZ's cache, not in OUTDIR) for --resume.

steering options (zoom, and zoom --resume; K is a step number, 1..N):
  --prompt-at K=TEXT      step K uses exactly this prompt (later steps: the usual prompt rule)
  --mode-at K=MODE        step K's prompt comes from prompt mode MODE (null, dape, vlm)
  --point-at K=X,Y        step K zooms into X,Y (fractions 0..1 of the image it crops); later
                          steps nest inside it

video options (coz video, coz zoom --video):
  --fps N                 frames per second (default 30)
  --seconds S             length (default 8)
  --size WxH              frame size (default 1920x1080; even sides for .mp4)
  --ease in-out|linear    pace in log-magnification (default in-out: slow start and end)
  .mp4 is H.264 where the system's encoder has it, else MPEG-4; .avi is Motion JPEG; .gif needs no
  codec.

recipes:
  Every image coz writes carries its recipe (the request, the prompt of every step, the models'
  SHA-256, the seed, device, precision and coz version) in PNG iTXt, JPEG/WebP XMP or TIFF XMP
  (not BMP). --no-metadata (upscale, zoom, batch, replay) leaves it out.

batch options:
  --recursive             look into subfolders of the folders given
  --keep-structure        keep the input folders' structure under OUTDIR (default: flat)
  --skip-existing         leave outputs that already exist alone
  --shard I/N             do every N-th file from the I-th (0-based) of the sorted list: N machines
                          split one batch (Slurm array, Kubernetes indexed job; docs/SCALING.md)
  --format EXT            upscale outputs as png, jpg, webp, tif or bmp (default: the input's)
  Writes OUTDIR/batch.jsonl (batch-I-of-N.jsonl with --shard): one line per file with its status;
  a rerun after Ctrl+C or a crash does only what is left. Exit 7 when some files failed.

serve options:
  --host H                address to listen on (default 127.0.0.1; any other needs --token)
  --port P                port (default 7860; 0 = any free port, printed)
  --token T               require "Authorization: Bearer T" (or set COZ_SERVE_TOKEN)
  --cors ORIGIN           allow browser pages from ORIGIN (default: no CORS headers)
  --max-upload-mb N       largest request body (default 50; larger ones get 413)
  --queue N               requests (and jobs) that may wait for the engine (default 8; more get 429)
  --job-ttl S             seconds a finished job's images are kept (default 3600)
  --model ID              the backbone when a request names none (default esrgan-thick)

sd3-osediff options (the Chain-of-Zoom paper's backbone):
  --sd3 PATH              Stable Diffusion 3 medium diffusers folder (default: the Hugging Face cache)
  --lora PATH             CoZ transformer LoRA (default: <models>/sd3-osediff/model_20001.pkl)
  --vae-lora PATH         CoZ VAE-encoder LoRA (default: <models>/sd3-osediff/vae_encoder_20001.pt)
  --lora-rank N           rank of both LoRAs (default 4)
  --no-t5                 run without the T5 text encoder (zeros in its place; saves ~9 GB)
  --deterministic         use the latent mean instead of sampling (then --seed has no effect)
  --low-memory            keep components in host memory; only the running one sits on the GPU
  --no-cuda-graphs        run every kernel from the CPU instead of replaying CUDA graphs (slower;
                          for troubleshooting a GPU driver)
  --text-device D, --vae-device D   place the text encoders / the VAE elsewhere than --device

common options:
  --device cpu|cuda[:i]   where models run (default cpu)
  --precision auto|fp32|bf16|fp16   arithmetic (default auto: bf16 on CUDA and on CPUs
                          with native bf16, else fp32)
  --threads N             CPU threads (default: all cores)
  --max-pixels N          refuse inputs over N pixels (default 200000000)
  --quiet                 no progress output
  --json                  machine-readable progress and results on stdout (JSON lines)
  --download              download a missing model without asking (at a terminal coz asks;
                          in a script without --download it exits 4 and prints the pull command)

Exit codes: 0 ok, 1 other failure, 2 usage error, 3 input/output file error, 4 model error
(missing or broken), 5 out of memory, 6 download failed, 130 cancelled.
Models live in $COZ_MODELS_DIR, else $XDG_CACHE_HOME/coz/models, else ~/.cache/coz/models;
Hugging Face models in the Hub cache ($HF_HUB_CACHE, else $HF_HOME/hub, else
~/.cache/huggingface/hub), shared with Python tools. Downloads read HF_TOKEN (else the token file
$HF_HOME/token), HF_ENDPOINT, HF_HUB_OFFLINE, COZ_NPM_REGISTRY, COZ_GITHUB_ENDPOINT, https_proxy.
Extra catalog entries: ~/.config/coz/models.d/*.json (format of the built-in catalog,
share/coz/models.json).
)";

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::map<std::string, std::string> opts;
  std::map<std::string, std::vector<std::string>> repeated;  // options that may be given several times
  bool has(const std::string& k) const { return opts.count(k) > 0 || repeated.count(k) > 0; }
  std::vector<std::string> all(const std::string& k) const {
    auto it = repeated.find(k);
    return it == repeated.end() ? std::vector<std::string>{} : it->second;
  }
  std::string get(const std::string& k, const std::string& def = "") const {
    auto it = opts.find(k);
    return it == opts.end() ? def : it->second;
  }
};

const std::vector<std::string> kFlags = {"--quiet", "--json", "--help", "--version", "--deterministic", "--no-t5", "--low-memory",
                                           "--no-cuda-graphs", "--download", "--vlm-offload", "--recursive",
                                           "--keep-structure", "--skip-existing", "--no-metadata"};
const std::vector<std::string> kRepeated = {"--prompt-at", "--mode-at", "--point-at"};
const std::vector<std::string> kValued = {"-o", "--output", "--scale", "--model", "--tile", "--color-fix", "--bit-depth",
                                          "--max-side", "--steps", "--rec", "--center", "--process-size", "--prompt",
                                          "--seed", "--prompt-mode", "--device", "--threads", "--max-pixels", "--precision",
                                          "--sd3", "--lora", "--vae-lora", "--lora-rank", "--text-device", "--vae-device",
                                          "--revision", "--ram", "--dape", "--vlm", "--shard", "--format", "--host", "--port",
                                          "--token", "--cors", "--max-upload-mb", "--queue", "--job-ttl",
                                          "--resume", "--from-step", "--video", "--fps", "--seconds", "--size", "--ease",
                                          "--input"};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    std::string value;
    bool inline_value = false;
    if (s.rfind("--", 0) == 0 && s.find('=') != std::string::npos) {
      value = s.substr(s.find('=') + 1);
      s = s.substr(0, s.find('='));
      inline_value = true;
    }
    if (s == "-h") s = "--help";
    if (std::find(kFlags.begin(), kFlags.end(), s) != kFlags.end()) {
      a.opts[s] = "1";
    } else if (std::find(kValued.begin(), kValued.end(), s) != kValued.end()) {
      if (!inline_value) {
        if (i + 1 >= argc) throw UsageError("option " + s + " needs a value");
        value = argv[++i];
      }
      a.opts[s == "--output" ? "-o" : s] = value;
    } else if (std::find(kRepeated.begin(), kRepeated.end(), s) != kRepeated.end()) {
      if (!inline_value) {
        if (i + 1 >= argc) throw UsageError("option " + s + " needs a value");
        value = argv[++i];
      }
      a.repeated[s].push_back(value);
    } else if (s.size() > 1 && s[0] == '-' && !(s.size() > 1 && (std::isdigit(static_cast<unsigned char>(s[1])) || s[1] == '.'))) {
      throw UsageError("unknown option " + s + " (see coz --help)");
    } else if (a.command.empty()) {
      a.command = s;
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

double parse_double(const std::string& name, const std::string& v) {
  try {
    size_t pos = 0;
    const double d = std::stod(v, &pos);
    if (pos != v.size()) throw std::invalid_argument(v);
    return d;
  } catch (const std::exception&) {
    throw UsageError(name + " must be a number (got '" + v + "')");
  }
}

long long parse_int(const std::string& name, const std::string& v, long long lo, long long hi) {
  long long n = 0;
  try {
    size_t pos = 0;
    n = std::stoll(v, &pos);
    if (pos != v.size()) throw std::invalid_argument(v);
  } catch (const std::exception&) {
    throw UsageError(name + " must be a whole number (got '" + v + "')");
  }
  if (n < lo || n > hi)
    throw UsageError(name + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) + " (got " + v + ")");
  return n;
}

template <typename F>
auto as_usage(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const InvalidInput& e) {
    throw UsageError(e.what());
  }
}

struct Common {
  Device device;
  Precision precision = Precision::Auto;
  bool quiet = false, json_out = false;
  io::ReadOptions read;
  TileOptions tiles;
  SD3Options sd3 = SD3Options::from_environment();
  DAPEOptions dape;
  VLMOptions vlm;
};

Common common_options(const Args& a) {
  Common c;
  c.quiet = a.has("--quiet");
  c.json_out = a.has("--json");
  c.device = as_usage([&] { return parse_device(a.get("--device", "cpu")); });
  as_usage([&] { return torch_device(c.device); });  // a CUDA device this machine lacks is a usage error
  c.precision = as_usage([&] { return parse_precision(a.get("--precision", "auto")); });
  int threads = 0;
  if (a.has("--threads")) threads = static_cast<int>(parse_int("--threads", a.get("--threads"), 1, 1024));
  set_threads(threads);
  if (const char* env = std::getenv("COZ_MAX_PIXELS"); env && *env)
    c.read.max_pixels = parse_int("COZ_MAX_PIXELS", env, 1, int64_t{1} << 40);
  if (a.has("--max-pixels")) c.read.max_pixels = parse_int("--max-pixels", a.get("--max-pixels"), 1, int64_t{1} << 40);
  c.tiles.tile = 128;
  if (a.has("--tile")) {
    c.tiles.tile = static_cast<int>(parse_int("--tile", a.get("--tile"), 0, 8192));
    if (c.tiles.tile > 0 && c.tiles.tile < 32) throw UsageError("--tile must be 0 (no tiling) or at least 32 (got " + a.get("--tile") + ")");
  }
  c.tiles.overlap = 16;
  c.tiles.context = 16;
  SD3Options& sd3 = c.sd3;
  if (a.has("--sd3")) sd3.sd3 = a.get("--sd3");
  if (a.has("--lora")) sd3.lora = a.get("--lora");
  if (a.has("--vae-lora")) sd3.vae_lora = a.get("--vae-lora");
  if (a.has("--ram")) c.dape.ram = a.get("--ram");
  if (a.has("--dape")) c.dape.dape = a.get("--dape");
  if (a.has("--vlm")) c.vlm.path = a.get("--vlm");
  // --low-memory moves SD3's parts to the GPU in turn; the VLM then takes its turn as well.
  c.vlm.offload = a.has("--vlm-offload") || a.has("--low-memory");
  if (a.has("--lora-rank")) sd3.lora_rank = static_cast<int>(parse_int("--lora-rank", a.get("--lora-rank"), 1, 1024));
  sd3.use_t5 = !a.has("--no-t5");
  sd3.deterministic = a.has("--deterministic");
  sd3.low_memory = a.has("--low-memory");
  sd3.cuda_graphs = !a.has("--no-cuda-graphs");
  for (const auto& entry : {std::pair{"--text-device", &sd3.text_device}, std::pair{"--vae-device", &sd3.vae_device}}) {
    const std::string flag = entry.first;
    std::optional<Device>* dev = entry.second;
    if (!a.has(flag)) continue;
    *dev = as_usage([&] { return parse_device(a.get(flag)); });
    as_usage([&] { return torch_device(**dev); });
  }
  return c;
}

std::string need_one_input(const Args& a) {
  if (a.positional.empty()) throw UsageError("coz " + a.command + ": missing the input image (see coz --help)");
  if (a.positional.size() > 1) throw UsageError("coz " + a.command + ": one input image only (got " + std::to_string(a.positional.size()) + ")");
  return a.positional[0];
}

void check_model(const Engine& engine, const std::string& id) { as_usage([&] { return engine.backbone_info(id); }); }

EngineOptions engine_options(const Common& c) {
  EngineOptions o;
  o.sd3 = c.sd3;
  o.dape = c.dape;
  o.vlm = c.vlm;
  return o;
}

RunControl make_control(ProgressPrinter& pp, const std::atomic<bool>& cancel) {
  RunControl ctl;
  ctl.cancel = &cancel;
  ctl.on_progress = [&pp](const Progress& p) { pp.update(p); };
  return ctl;
}

// ---- coz models ------------------------------------------------------------------------------

json model_json(const hub::CatalogModel& m, const hub::ModelStatus& st) {
  return {{"id", m.id}, {"family", m.family}, {"description", m.description}, {"state", hub::install_state_name(st.state)},
          {"size", st.size}, {"present_bytes", st.present_bytes}, {"where", st.where.string()}, {"licence", m.licence},
          {"licence_url", m.licence_url}, {"gated", m.gated}, {"gate_url", m.gate_url}, {"requires", m.requirements},
          {"backbone", m.backbone}, {"prompt_mode", m.prompt_mode}};
}

int models_list(const Args& a) {
  const hub::ModelManager mm(hub::Catalog::load(), hub::HubSettings::from_environment());
  const Engine engine;
  json catalog = json::array();
  for (const auto& m : mm.catalog().models()) catalog.push_back(model_json(m, mm.status(m.id)));
  json backbones = json::array();
  for (const auto& s : engine.models()) {
    const BackboneInfo& m = s.info;
    backbones.push_back({{"id", m.id}, {"description", m.description}, {"scales", m.scales}, {"installed", s.installed},
                         {"path", s.location.string()}, {"install", s.install_hint}});
  }
  json prompts = json::array();
  for (const auto& s : engine.prompt_sources())
    prompts.push_back({{"mode", s.info.id}, {"family", s.info.family}, {"description", s.info.description},
                       {"installed", s.installed}, {"path", s.location.string()}, {"install", s.install_hint}});
  const hub::HubSettings& hs = mm.settings();
  if (a.has("--json")) {
    std::cout << json({{"models_dir", hs.models_dir.string()}, {"hf_cache", hs.hf_cache.string()}, {"catalog", catalog},
                       {"models", backbones}, {"prompt_sources", prompts}})
                     .dump(2)
              << "\n";
    return kOk;
  }
  std::printf("Models folder: %s\nHugging Face cache: %s\n\n", hs.models_dir.c_str(), hs.hf_cache.c_str());
  std::printf("  %-16s %-10s %9s  %-28s %s\n", "ID", "STATE", "SIZE", "LICENCE", "WHERE");
  for (const auto& m : catalog) {
    std::string state = m["state"];
    if (state == "partial")
      state += " " + std::to_string(static_cast<int>(100.0 * m["present_bytes"].get<double>() /
                                                     std::max(1.0, m["size"].get<double>()))) + "%";
    std::string lic = m["licence"];
    if (lic.size() > 28) lic = lic.substr(0, 27) + "…";
    std::printf("  %-16s %-10s %9s  %-28s %s\n", m["id"].get<std::string>().c_str(), state.c_str(),
                m["size"].get<int64_t>() > 0 ? hub::human_bytes(m["size"].get<int64_t>()).c_str() : "?", lic.c_str(),
                m["where"].get<std::string>().c_str());
  }
  std::printf("\nBackbones (--model):\n");
  for (const auto& m : backbones)
    std::printf("  %-16s %-10s %s\n", m["id"].get<std::string>().c_str(), m["installed"].get<bool>() ? "ready" : "missing",
                m["description"].get<std::string>().c_str());
  std::printf("\nPrompt sources (--prompt-mode):\n");
  for (const auto& m : prompts)
    std::printf("  %-16s %-10s %s\n", m["mode"].get<std::string>().c_str(), m["installed"].get<bool>() ? "ready" : "missing",
                m["description"].get<std::string>().c_str());
  std::printf("\nDownload a model: coz models pull ID (gated models need HF_TOKEN; see coz --help)\n");
  return kOk;
}

// Pulls `ids` with progress on stderr (or JSON lines on stdout).
void pull_models(hub::ModelManager& mm, const std::vector<std::string>& ids, const hub::PullOptions& po, bool quiet,
                 bool json_out, const std::atomic<bool>& cancel) {
  for (const std::string& id : ids) {
    const hub::CatalogModel& m = mm.catalog().at(id);
    if (!quiet && !json_out)
      std::fprintf(stderr, "%s: %s (%s, %s)\n", id.c_str(), m.description.c_str(), hub::human_bytes(mm.status(id).size).c_str(),
                   m.licence.c_str());
    ProgressPrinter pp(!quiet && !json_out && ::isatty(2), json_out);
    const hub::PullResult r = mm.pull(id, make_control(pp, cancel), po);
    pp.finish();
    if (json_out)
      std::printf("%s\n", json({{"event", "pulled"}, {"id", id}, {"downloaded_bytes", r.downloaded_bytes},
                                {"files_downloaded", r.files_downloaded}, {"files_present", r.files_present},
                                {"where", mm.status(id).where.string()}})
                              .dump()
                              .c_str());
    else if (!quiet)
      std::fprintf(stderr, "%s: %s (%d file(s) downloaded, %s; %d already there) in %s\n", id.c_str(),
                   r.files_downloaded ? "installed" : "already installed", r.files_downloaded,
                   hub::human_bytes(r.downloaded_bytes).c_str(), r.files_present, mm.status(id).where.c_str());
  }
}

int cmd_models(const Args& a, const std::atomic<bool>& cancel) {
  const std::string sub = a.positional.empty() ? "list" : a.positional[0];
  const std::vector<std::string> ids(a.positional.size() > 1 ? a.positional.begin() + 1 : a.positional.end(), a.positional.end());
  if (sub == "list") return models_list(a);
  hub::ModelManager mm(hub::Catalog::load(), hub::HubSettings::from_environment());
  for (const auto& id : ids) as_usage([&] { return mm.catalog().at(id); });
  const bool quiet = a.has("--quiet"), json_out = a.has("--json");
  if (sub == "pull") {
    if (ids.empty()) throw UsageError("coz models pull: give the model ids (coz models lists them)");
    hub::PullOptions po;
    po.revision = a.get("--revision");
    pull_models(mm, ids, po, quiet, json_out, cancel);
    return kOk;
  }
  if (sub == "verify") {
    std::vector<std::string> which = ids;
    if (which.empty())
      for (const auto& m : mm.catalog().models())
        if (!m.files.empty() && mm.status(m.id).state != hub::InstallState::Missing) which.push_back(m.id);
    bool all_ok = true;
    RunControl ctl;
    ctl.cancel = &cancel;
    for (const auto& id : which) {
      const hub::VerifyResult r = mm.verify(id, ctl);
      all_ok &= r.ok();
      if (json_out) {
        json items = json::array();
        for (const auto& i : r.items) items.push_back({{"path", i.path.string()}, {"ok", i.ok}, {"problem", i.problem}});
        std::printf("%s\n", json({{"event", "verified"}, {"id", id}, {"ok", r.ok()}, {"files", items}}).dump().c_str());
        continue;
      }
      size_t good = 0;
      for (const auto& i : r.items) good += i.ok;
      std::printf("%-16s %s (%zu of %zu files good)\n", id.c_str(), r.ok() ? "ok" : "PROBLEMS", good, r.items.size());
      for (const auto& i : r.items)
        if (!i.ok) std::printf("  %s: %s\n", i.path.c_str(), i.problem.c_str());
    }
    if (!all_ok) {
      if (!json_out) std::fprintf(stderr, "coz: some files are missing or damaged; run coz models pull ID to repair them\n");
      return kModelError;
    }
    return kOk;
  }
  if (sub == "rm") {
    if (ids.empty()) throw UsageError("coz models rm: give the model ids");
    for (const auto& id : ids) {
      const int64_t freed = mm.remove(id);
      if (json_out) std::printf("%s\n", json({{"event", "removed"}, {"id", id}, {"freed_bytes", freed}}).dump().c_str());
      else if (!quiet) std::fprintf(stderr, "%s: removed (%s freed)\n", id.c_str(), hub::human_bytes(freed).c_str());
    }
    return kOk;
  }
  throw UsageError("coz models: unknown action '" + sub + "': use pull, verify or rm (or nothing to list)");
}

// A missing backbone or prompt source: download it (asked at a terminal, or --download), or say
// how (exit 4). `provider` finds the catalog entry that provides it (null if none does).
void offer_download(const std::string& what, const std::function<const hub::CatalogModel*(const hub::Catalog&)>& provider,
                    const std::string& hint, const Args& a, const std::atomic<bool>& cancel) {
  hub::ModelManager mm(hub::Catalog::load(), hub::HubSettings::from_environment());
  const hub::CatalogModel* found = provider(mm.catalog());
  if (!found) throw ModelLoadError(what + " is not installed: " + hint);
  const hub::CatalogModel& m = *found;
  const std::string& catalog_id = m.id;
  const std::string size = hub::human_bytes(mm.status(catalog_id).size);
  bool yes = a.has("--download");
  if (!yes && ::isatty(0) && ::isatty(2) && !a.has("--json")) {
    std::fprintf(stderr, "%s is not installed. Download %s (%s, licence: %s%s) now? [y/N] ", what.c_str(),
                 catalog_id.c_str(), size.c_str(), m.licence.c_str(), m.gated ? "; gated: needs HF_TOKEN" : "");
    std::string answer;
    std::getline(std::cin, answer);
    yes = !answer.empty() && (answer[0] == 'y' || answer[0] == 'Y');
  }
  if (!yes)
    throw ModelLoadError(what + " is not installed. Download it with: " + hub::ModelManager::pull_command(catalog_id) +
                         " (" + size + "), or run again with --download");
  pull_models(mm, {catalog_id}, {}, a.has("--quiet"), a.has("--json"), cancel);
}

// The backbone `id` must be usable: downloads it when missing (see offer_download).
void ensure_backbone(const Engine& engine, const std::string& id, const Args& a, const std::atomic<bool>& cancel) {
  const BackboneStatus st = engine.status(id);
  if (st.installed || !st.info.needs_files) return;
  // Files the user named (--sd3/--lora/--vae-lora or $COZ_SD3_*) are not the catalog's: the load
  // names the one that is missing instead.
  const SD3Options& sd3 = engine.model_options().sd3;
  if (st.info.family == "sd3-osediff" && (!sd3.sd3.empty() || !sd3.lora.empty() || !sd3.vae_lora.empty())) return;
  offer_download("model " + id, [&](const hub::Catalog& c) { return c.for_backbone(id); }, st.install_hint, a, cancel);
  if (!engine.status(id).installed)
    throw ModelLoadError("model " + id + " is still not usable after the download: " + engine.status(id).install_hint);
}

int cmd_inspect(const Args& a) {
  if (a.positional.size() != 1) throw UsageError("coz inspect: give one model file (e.g. coz inspect model.safetensors)");
  const ModelFileInfo info = inspect_model_file(a.positional[0]);
  if (a.has("--json")) {
    json list = json::array();
    for (const auto& t : info.tensors) list.push_back({{"name", t.name}, {"dtype", t.dtype}, {"shape", t.shape}});
    std::cout << json({{"path", info.path}, {"format", info.format}, {"tensors", list}}).dump(2) << "\n";
    return kOk;
  }
  double total = 0;  // each shape was checked by the reader; their sum need not fit an integer
  for (const auto& t : info.tensors) {
    double n = 1;
    for (auto d : t.shape) n *= static_cast<double>(d);
    total += n;
    std::string shape = "[";
    for (size_t i = 0; i < t.shape.size(); ++i) shape += (i ? ", " : "") + std::to_string(t.shape[i]);
    std::printf("  %-60s %-9s %s\n", t.name.c_str(), t.dtype.c_str(), (shape + "]").c_str());
  }
  std::printf("%s: %s, %zu tensors, %.0f values\n", info.path.c_str(), info.format.c_str(), info.tensors.size(), total);
  return kOk;
}

// The upscale request of the options (no image yet) and the asked bit depth (0: as the input).
struct UpscaleSetup {
  UpscaleRequest req;
  int bits = 0;
};

UpscaleSetup upscale_setup(const Args& a, const Common& c, const Engine& engine) {
  if (!a.has("--scale")) throw UsageError("coz " + a.command + ": give the factor with --scale S (e.g. --scale 4)");
  UpscaleSetup u;
  UpscaleRequest& req = u.req;
  req.scale = parse_double("--scale", a.get("--scale"));
  if (!std::isfinite(req.scale) || req.scale <= 1.0) throw UsageError("--scale must be a number greater than 1 (got " + a.get("--scale") + ")");
  req.model = a.get("--model", "esrgan-thick");
  check_model(engine, req.model);
  req.color_fix = as_usage([&] { return parse_color_fix(a.get("--color-fix", "none")); });
  req.device = c.device;
  req.precision = c.precision;
  req.tiles = c.tiles;
  if (a.has("--max-side")) req.max_side = static_cast<int>(parse_int("--max-side", a.get("--max-side"), 1, 1 << 20));
  if (a.has("--bit-depth")) {
    u.bits = static_cast<int>(parse_int("--bit-depth", a.get("--bit-depth"), 8, 16));
    if (u.bits != 8 && u.bits != 16) throw UsageError("--bit-depth must be 8 or 16 (got " + a.get("--bit-depth") + ")");
  }
  return u;
}

std::string lower_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return ext;
}

// Checks an output file name before any slow work: a writable format (16-bit where asked) in an
// existing, writable folder.
void check_output_file(const std::string& out, int bits) {
  const std::string ext = lower_extension(out);
  const auto& ok = io::writable_extensions();
  if (std::find(ok.begin(), ok.end(), ext) == ok.end())
    throw UsageError("cannot write " + out + ": use a .png, .jpg, .webp, .tif or .bmp file name");
  if (bits == 16 && !io::holds_16_bit(ext)) throw UsageError("--bit-depth 16 needs a .png or .tif output (got " + out + ")");
  fs::path dir = fs::path(out).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir)) throw InvalidInput("cannot write " + out + ": the folder " + dir.string() + " does not exist");
  if (::access(dir.c_str(), W_OK) != 0) throw InvalidInput("cannot write " + out + ": the folder " + dir.string() + " is not writable");
}

io::WriteOptions output_options(const std::string& out, int bits, const Image& input) {
  io::WriteOptions wo;
  wo.bit_depth = bits ? bits : (input.bit_depth == 16 && io::holds_16_bit(lower_extension(out)) ? 16 : 8);
  return wo;
}

int cmd_upscale(const Args& a, const std::atomic<bool>& cancel) {
  const std::string in = need_one_input(a);
  if (!a.has("-o")) throw UsageError("coz upscale: give the output file with -o OUT");
  if (!a.has("--scale")) throw UsageError("coz upscale: give the factor with --scale S (e.g. --scale 4)");
  const Common c = common_options(a);
  Engine engine(engine_options(c));
  UpscaleSetup u = upscale_setup(a, c, engine);
  UpscaleRequest& req = u.req;
  const std::string out = a.get("-o");
  check_output_file(out, u.bits);
  req.image = io::read_image(in, c.read);
  ensure_backbone(engine, req.model, a, cancel);
  const UpscalePlan plan = as_usage([&] { return engine.plan_upscale(req.image.width(), req.image.height(), req.model, req.scale, req.max_side); });
  io::WriteOptions wo = output_options(out, u.bits, req.image);
  if (!a.has("--no-metadata")) wo.recipe = upscale_recipe_json(req, in, hub::model_fingerprints(engine, req));

  ProgressPrinter pp(!c.quiet && !c.json_out && ::isatty(2), c.json_out);
  if (!c.quiet && !c.json_out)
    std::fprintf(stderr, "%s: %dx%d -> %dx%d with %s%s\n", in.c_str(), req.image.width(), req.image.height(),
                 plan.out_w, plan.out_h, req.model.c_str(),
                 plan.passes > 1 ? (" (" + std::to_string(plan.passes) + " passes of x" + std::to_string(plan.native_scale) + ")").c_str() : "");
  const auto t0 = std::chrono::steady_clock::now();
  Image result = engine.upscale(req, make_control(pp, cancel));
  if (cancel.load()) throw Cancelled();
  pp.finish();
  io::write_image(out, result, wo);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (c.json_out)
    std::printf("%s\n", json({{"event", "done"}, {"output", out}, {"width", plan.out_w}, {"height", plan.out_h}, {"seconds", secs}}).dump().c_str());
  else if (!c.quiet)
    std::fprintf(stderr, "wrote %s (%dx%d, %d-bit) in %.2f s\n", out.c_str(), plan.out_w, plan.out_h, wo.bit_depth, secs);
  return kOk;
}

// The zoom request of the options (no image, centre as given later).
ZoomRequest zoom_setup(const Args& a, const Common& c, const Engine& engine) {
  ZoomRequest req;
  req.steps = static_cast<int>(parse_int("--steps", a.get("--steps", "4"), 1, kMaxZoomSteps));
  req.recursion = as_usage([&] { return parse_recursion(a.get("--rec", "recursive")); });
  req.process_size = static_cast<int>(parse_int("--process-size", a.get("--process-size", "512"), 16, 4096));
  if (req.process_size % 4) throw UsageError("--process-size must be a multiple of 4 (got " + a.get("--process-size") + ")");
  req.model = a.get("--model", "esrgan-thick");
  check_model(engine, req.model);
  req.color_fix = as_usage([&] { return parse_color_fix(a.get("--color-fix", "none")); });
  req.user_prompt = a.get("--prompt");
  req.seed = static_cast<uint64_t>(parse_int("--seed", a.get("--seed", "0"), 0, (1LL << 62)));
  req.device = c.device;
  req.precision = c.precision;
  req.tiles = c.tiles;
  req.prompt_mode = as_usage([&] { return parse_prompt_mode(a.get("--prompt-mode", "null")); });
  as_usage([&] { return engine.prompt_source_status(req.prompt_mode); });
  return req;
}

// The backbone and the prompt source of `req` are installed (or downloaded with consent).
void ensure_zoom_models(const Engine& engine, const ZoomRequest& req, const Common& c, const Args& a,
                        const std::atomic<bool>& cancel) {
  ensure_backbone(engine, req.model, a, cancel);
  const PromptSourceStatus ps = engine.prompt_source_status(req.prompt_mode);
  if (!ps.installed && req.prompt_mode == PromptMode::DAPE) {
    // Files the user named are not the catalog's: say which one is not there.
    for (const auto& [flag, path] : {std::pair<const char*, std::string>{"--ram", c.dape.ram}, {"--dape", c.dape.dape}})
      if (!path.empty() && !fs::is_regular_file(path))
        throw ModelLoadError(std::string(flag) + " " + path + " does not exist; give the file's path, or leave " + flag +
                             " out to use what coz models pull dape installs");
  }
  if (!ps.installed && req.prompt_mode == PromptMode::VLM && !c.vlm.path.empty())
    throw ModelLoadError(ps.install_hint + "; give the Qwen2.5-VL-3B-Instruct folder, or leave --vlm out to use what "
                         "coz models pull qwen2.5-vl-3b installs");
  if (!ps.installed) {
    const std::string mode = prompt_mode_name(req.prompt_mode);
    offer_download("prompt mode " + mode, [&](const hub::Catalog& c) { return c.for_prompt_mode(mode); }, ps.install_hint, a,
                   cancel);
    if (!engine.prompt_source_status(req.prompt_mode).installed)
      throw ModelLoadError(std::string("prompt mode ") + prompt_mode_name(req.prompt_mode) +
                           " is still not usable after the download: " + engine.prompt_source_status(req.prompt_mode).install_hint);
  }
}

// ---- zoom videos -----------------------------------------------------------------------------

struct VideoSetup {
  io::VideoOptions options;
};

// --fps, --seconds, --size WxH and --ease of `coz video` and `coz zoom --video`; checks the
// output name before any slow work.
VideoSetup video_setup(const Args& a, const std::string& out) {
  VideoSetup v;
  for (const char* f : {"--fps", "--seconds", "--size", "--ease"})
    if (a.has(f) && out.empty()) throw UsageError(std::string(f) + " is an option of the video: give --video FILE too");
  if (out.empty()) return v;
  io::VideoOptions& o = v.options;
  if (a.has("--fps")) o.fps = parse_double("--fps", a.get("--fps"));
  if (!(o.fps >= 1 && o.fps <= 240)) throw UsageError("--fps must be between 1 and 240 (got " + a.get("--fps") + ")");
  if (a.has("--seconds")) o.seconds = parse_double("--seconds", a.get("--seconds"));
  if (!(o.seconds > 0 && o.seconds <= 3600)) throw UsageError("--seconds must be above 0 and at most 3600 (got " + a.get("--seconds") + ")");
  if (a.has("--size")) {
    const std::string sz = a.get("--size");
    const auto x = sz.find('x');
    if (x == std::string::npos) throw UsageError("--size must be WIDTHxHEIGHT, e.g. 1920x1080 (got '" + sz + "')");
    o.width = static_cast<int>(parse_int("--size width", sz.substr(0, x), 16, 7680));
    o.height = static_cast<int>(parse_int("--size height", sz.substr(x + 1), 16, 4320));
  }
  o.ease = as_usage([&] { return parse_ease(a.get("--ease", "in-out")); });
  as_usage([&] { return io::video_frame_count(o, lower_extension(out)); });
  fs::path dir = fs::path(out).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir)) throw InvalidInput("cannot write the video " + out + ": the folder " + dir.string() + " does not exist");
  if (::access(dir.c_str(), W_OK) != 0) throw InvalidInput("cannot write the video " + out + ": the folder " + dir.string() + " is not writable");
  return v;
}

void write_video(const std::string& out, const ZoomFlight& flight, const VideoSetup& v, const RunControl& ctl, ProgressPrinter& pp) {
  io::write_zoom_video(out, flight, v.options, ctl);
  pp.finish();
}

// `coz video STEPS_DIR -o zoom.mp4 [--fps 30] [--seconds 8] [--size 1920x1080] [--ease in-out]`
int cmd_video(const Args& a, const std::atomic<bool>& cancel) {
  const std::string dir = need_one_input(a);
  if (!a.has("-o")) throw UsageError("coz video: give the video file with -o zoom.mp4 (.mp4, .avi or .gif)");
  const Common c = common_options(a);
  const std::string out = a.get("-o");
  const VideoSetup v = video_setup(a, out);
  const ZoomFlight flight = io::load_flight(dir);
  ProgressPrinter pp(!c.quiet && !c.json_out && ::isatty(2), c.json_out);
  const auto t0 = std::chrono::steady_clock::now();
  write_video(out, flight, v, make_control(pp, cancel), pp);
  if (cancel.load()) throw Cancelled();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const int frames = io::video_frame_count(v.options, lower_extension(out));
  if (c.json_out)
    std::printf("%s\n", json({{"event", "done"}, {"output", out}, {"frames", frames}, {"seconds", secs}}).dump().c_str());
  else if (!c.quiet)
    std::fprintf(stderr, "wrote %s (%d frames, %dx%d, x1 to x%.0f) in %.2f s\n", out.c_str(), frames, v.options.width,
                 v.options.height, flight.max_magnification(), secs);
  return kOk;
}

// ---- resumable zoom runs ---------------------------------------------------------------------

// Where the checkpoint of an unfinished run into `outdir` lives: CoZ's cache, so that OUTDIR itself
// stays all or nothing (FNV-1a of the absolute folder name: stable from run to run).
fs::path checkpoint_dir(const fs::path& outdir) {
  std::error_code ec;
  const std::string key = fs::weakly_canonical(fs::absolute(outdir), ec).string();
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char ch : key) h = (h ^ ch) * 1099511628211ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return default_cache_dir() / "resume" / hex;
}

// Writes each finished step (PNG, lossless) and a steps.json marked "complete": false, each file
// atomically, so that a run stopped by Ctrl+C, a crash or a power cut can go on from its last step.
class Checkpoint {
 public:
  Checkpoint(fs::path dir, const ZoomRequest& req, ZoomPlan plan, std::string input, const fs::path& outdir)
      : dir_(std::move(dir)), req_(req), input_(std::move(input)) {
    res_.plan = std::move(plan);
    req_.resume.clear();
    std::error_code ec;
    fs::remove_all(dir_, ec);
    fs::create_directories(dir_, ec);
    if (ec) throw InvalidInput("cannot create the checkpoint folder " + dir_.string() + ": " + ec.message());
    write_file_atomic((dir_ / "outdir.txt").string(), fs::absolute(outdir).string() + "\n");
  }
  void add(const StepResult& s) {
    res_.steps.push_back(s);
    files_.steps.push_back("step_" + std::to_string(s.step) + ".png");
    files_.input = input_;
    files_.complete = false;
    Image im;
    im.rgb = s.output;
    io::write_image((dir_ / files_.steps.back()).string(), im);
    write_file_atomic((dir_ / "steps.json").string(), zoom_record_json(req_, res_, files_));
  }
  void remove() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  int steps_done() const { return static_cast<int>(res_.steps.size()) - 1; }

 private:
  fs::path dir_;
  ZoomRequest req_;
  std::string input_;
  ZoomResult res_;
  ZoomRecordFiles files_;
};

// "K=TEXT" of --prompt-at / --mode-at / --point-at.
std::pair<int, std::string> step_value(const std::string& flag, const std::string& v) {
  const auto eq = v.find('=');
  if (eq == std::string::npos) throw UsageError(flag + " must be K=VALUE with K a step number (got '" + v + "')");
  return {static_cast<int>(parse_int(flag + " K", v.substr(0, eq), 1, kMaxZoomSteps)), v.substr(eq + 1)};
}

// The steering options of the command line as step changes.
std::vector<StepOverride> overrides_of(const Args& a) {
  std::map<int, StepOverride> by_step;
  auto at = [&](int k) -> StepOverride& {
    StepOverride& o = by_step[k];
    o.step = k;
    return o;
  };
  for (const std::string& v : a.all("--prompt-at")) {
    const auto kv = step_value("--prompt-at", v);
    if (at(kv.first).prompt) throw UsageError("--prompt-at gives step " + std::to_string(kv.first) + " two prompts");
    at(kv.first).prompt = kv.second;
  }
  for (const std::string& v : a.all("--mode-at")) {
    const auto kv = step_value("--mode-at", v);
    at(kv.first).prompt_mode = as_usage([&] { return parse_prompt_mode(kv.second); });
  }
  for (const std::string& v : a.all("--point-at")) {
    const auto kv = step_value("--point-at", v);
    const auto comma = kv.second.find(',');
    if (comma == std::string::npos) throw UsageError("--point-at must be K=X,Y with X and Y fractions of the step image (got '" + v + "')");
    at(kv.first).point_x = parse_double("--point-at X", kv.second.substr(0, comma));
    at(kv.first).point_y = parse_double("--point-at Y", kv.second.substr(comma + 1));
  }
  std::vector<StepOverride> out;
  for (auto& entry : by_step) out.push_back(entry.second);
  return out;
}

// Reads a run to continue: the checkpoint of an unfinished run into OUTDIR, else OUTDIR/steps.json.
struct SavedRun {
  ZoomRecord record;
  fs::path folder;   // where its step images are
  bool checkpoint = false;
};

SavedRun saved_run(const fs::path& outdir) {
  SavedRun run;
  const fs::path ck = checkpoint_dir(outdir);
  std::error_code ec;
  if (fs::is_regular_file(ck / "steps.json", ec)) {
    run.folder = ck;
    run.checkpoint = true;
  } else if (fs::is_regular_file(outdir / "steps.json", ec)) {
    run.folder = outdir;
  } else {
    throw InvalidInput("nothing to resume in " + outdir.string() + ": it has no steps.json and no unfinished run of coz zoom "
                       "wrote into it");
  }
  const fs::path doc = run.folder / "steps.json";
  std::ifstream in(doc, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in) throw InvalidInput("cannot read " + doc.string());
  run.record = parse_zoom_record(ss.str(), doc.string());
  return run;
}

// Steps 0..k-1 of a saved run, read back from their images.
std::vector<StepResult> saved_steps(const SavedRun& run, int k, const io::ReadOptions& ro) {
  std::vector<StepResult> steps;
  const int P = run.record.request.process_size;
  for (int i = 0; i < k; ++i) {
    const fs::path f = run.folder / run.record.step_files.at(i);
    Image im = io::read_image(f.string(), ro);
    if (im.width() != P || im.height() != P)
      throw InvalidInput(f.string() + " is " + std::to_string(im.width()) + "x" + std::to_string(im.height()) + ", not the " +
                         std::to_string(P) + "x" + std::to_string(P) + " step image steps.json describes");
    const std::string ext = lower_extension(f);
    if (ext == ".jpg" || ext == ".jpeg" || ext == ".webp")
      std::fprintf(stderr, "note: %s is a lossy %s file: the steps after it continue from its decoded pixels\n", f.c_str(), ext.c_str());
    StepResult st;
    st.output = im.rgb;
    st.prompt = run.record.prompts.at(i);
    steps.push_back(std::move(st));
  }
  return steps;
}

// `coz zoom --resume OUTDIR [--from-step K] [--steps N] [--prompt-at K=TEXT]...`: the request
// comes from the saved run; only the steering options, --steps (a longer chain), the device and
// the precision may be given.
ZoomRequest resume_setup(const Args& a, const Common& c, const fs::path& outdir, std::string& input, int& kept) {
  for (const char* f : {"--model", "--rec", "--center", "--process-size", "--prompt-mode", "--prompt", "--color-fix", "--seed", "--tile"})
    if (a.has(f))
      throw UsageError(std::string("--resume takes the run's own ") + f + " from its steps.json; leave " + f +
                       " out (or start a new run without --resume)");
  if (!a.positional.empty()) throw UsageError("coz zoom --resume OUTDIR takes no input image: the run's steps are in OUTDIR");
  const SavedRun run = saved_run(outdir);
  const ZoomRecord& rec = run.record;
  const int have = static_cast<int>(rec.step_files.size());  // steps 0..have-1 exist
  ZoomRequest req = rec.request;
  if (a.has("--steps")) req.steps = static_cast<int>(parse_int("--steps", a.get("--steps"), 1, kMaxZoomSteps));
  int k = 0;
  if (a.has("--from-step")) {
    k = static_cast<int>(parse_int("--from-step", a.get("--from-step"), 1, kMaxZoomSteps));
    if (k > have)
      throw UsageError("--from-step " + std::to_string(k) + ": the saved run has steps 0.." + std::to_string(have - 1) +
                       "; re-run from one of 1.." + std::to_string(have) + "");
    // Recomputed steps follow the request's prompt rule; earlier changes stay with the kept steps.
    req.overrides.erase(std::remove_if(req.overrides.begin(), req.overrides.end(), [&](const StepOverride& o) { return o.step >= k; }),
                        req.overrides.end());
  } else {
    if (rec.complete && have == req.steps + 1)
      throw UsageError("the run in " + outdir.string() + " is complete (" + std::to_string(req.steps) +
                       " steps): give --from-step K to re-run from step K, or --steps N for a longer chain");
    k = have;
  }
  if (k > req.steps + 1)
    throw UsageError("--steps " + std::to_string(req.steps) + " is shorter than the " + std::to_string(k - 1) + " steps kept");
  for (StepOverride& o : overrides_of(a)) {
    if (o.step < k)
      throw UsageError("step " + std::to_string(o.step) + " is kept from the saved run; change steps from " + std::to_string(k) +
                       " on (or re-run from it with --from-step " + std::to_string(o.step) + ")");
    req.overrides.erase(std::remove_if(req.overrides.begin(), req.overrides.end(), [&](const StepOverride& x) { return x.step == o.step; }),
                        req.overrides.end());
    req.overrides.push_back(o);
  }
  if (a.has("--device")) req.device = c.device;
  if (a.has("--precision")) req.precision = c.precision;
  as_usage([&] { return plan_zoom(req.input_width, req.input_height, req); });
  req.resume = saved_steps(run, std::min(k, req.steps + 1), c.read);
  input = rec.input_file;
  kept = k;
  if (!c.quiet && !c.json_out)
    std::fprintf(stderr, "%s %s: keeping steps 0..%d, computing %d..%d\n", run.checkpoint ? "continuing the unfinished run into" : "re-running",
                 outdir.c_str(), k - 1, k, req.steps);
  return req;
}

int cmd_zoom(const Args& a, const std::atomic<bool>& cancel) {
  if (!a.has("-o") && !a.has("--resume")) throw UsageError("coz zoom: give the output folder with -o OUTDIR");
  if (a.has("--resume") && a.has("-o") && fs::path(a.get("-o")) != fs::path(a.get("--resume")))
    throw UsageError("coz zoom --resume OUTDIR writes into OUTDIR; leave -o out");
  if (!a.has("--resume") && (a.has("--from-step")))
    throw UsageError("--from-step needs --resume OUTDIR (the run to re-run)");
  const Common c = common_options(a);
  Engine engine(engine_options(c));
  const fs::path outdir = a.has("--resume") ? fs::path(a.get("--resume")) : fs::path(a.get("-o"));
  std::string in;
  int kept = 0;
  ZoomRequest req;
  if (a.has("--resume")) {
    req = resume_setup(a, c, outdir, in, kept);
    check_model(engine, req.model);
  } else {
    in = need_one_input(a);
    req = zoom_setup(a, c, engine);
    req.overrides = overrides_of(a);
  }
  io::check_output_folder(outdir);  // nothing is created before the run has succeeded
  const std::string video = a.get("--video");
  const VideoSetup vs = video_setup(a, video);

  if (!a.has("--resume")) req.image = io::read_image(in, c.read);
  ensure_zoom_models(engine, req, c, a, cancel);
  for (const StepOverride& o : req.overrides)
    if (o.prompt_mode && o.prompt_mode != req.prompt_mode) {
      ZoomRequest other = req;
      other.prompt_mode = *o.prompt_mode;
      ensure_zoom_models(engine, other, c, a, cancel);
    }
  const int w = req.image.rgb.defined() ? req.image.width() : req.input_width;
  const int h = req.image.rgb.defined() ? req.image.height() : req.input_height;
  if (std::min(w, h) < 8)  // an input problem (exit 3), not a usage one
    plan_zoom(w, h, req);
  if (a.has("--center")) {
    const std::string cs = a.get("--center");
    const auto comma = cs.find(',');
    if (comma == std::string::npos) throw UsageError("--center must be X,Y in pixels (got '" + cs + "')");
    const double x = parse_double("--center X", cs.substr(0, comma)), y = parse_double("--center Y", cs.substr(comma + 1));
    if (!(x >= 0 && x <= w && y >= 0 && y <= h))
      throw UsageError("--center " + cs + " lies outside the " + std::to_string(w) + "x" + std::to_string(h) + " image");
    req.center_x = x / w;
    req.center_y = y / h;
  }
  const ZoomPlan plan = as_usage([&] { return plan_zoom(w, h, req); });
  const std::vector<ModelFingerprint> models = a.has("--no-metadata") ? std::vector<ModelFingerprint>{} : hub::model_fingerprints(engine, req);

  ProgressPrinter pp(!c.quiet && !c.json_out && ::isatty(2), c.json_out);
  RunControl ctl = make_control(pp, cancel);
  Checkpoint ck(checkpoint_dir(outdir), req, plan, in, outdir);
  ctl.on_step = [&](const StepResult& s) {
    ck.add(s);
    if (s.step == 0 || s.reused) return;
    char line[256];
    std::snprintf(line, sizeof line, "step %d/%d  x%.0f  %.0f ms%s%s", s.step, s.steps, s.plan.magnification, s.ms_total,
                  s.prompt.empty() ? "" : "  prompt: ", s.prompt.c_str());
    if (c.json_out)
      std::printf("%s\n", json({{"event", "step"}, {"step", s.step}, {"steps", s.steps}, {"prompt", s.prompt}, {"ms", s.ms_total}}).dump().c_str());
    else if (!c.quiet)
      pp.message(line);
  };
  const auto t0 = std::chrono::steady_clock::now();
  auto resume_hint = [&] {
    if (ck.steps_done() < 1) {
      ck.remove();
      return;
    }
    const std::string cmd = "coz zoom --resume " + outdir.string();
    if (c.json_out)
      std::printf("%s\n", json({{"event", "interrupted"}, {"steps_saved", ck.steps_done()}, {"steps", req.steps}, {"resume", cmd}}).dump().c_str());
    else
      std::fprintf(stderr, "\ncoz: %d of %d steps are saved; continue with: %s\n", ck.steps_done(), req.steps, cmd.c_str());
    std::fflush(stdout);
  };
  ZoomResult res;
  try {
    res = engine.zoom(req, ctl);
    pp.finish();
    if (cancel.load()) throw Cancelled();
  } catch (...) {
    pp.finish();
    resume_hint();
    throw;
  }

  // Everything is in memory: write the files only now, each atomically (all or nothing).
  io::ZoomExportOptions eo;
  eo.input = in;
  eo.metadata = !a.has("--no-metadata");
  eo.models = models;
  eo.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const ZoomRecordFiles files = io::export_zoom(outdir, req, res, eo, ctl);
  ck.remove();
  pp.finish();
  if (!video.empty()) write_video(video, make_flight(res), vs, ctl, pp);
  pp.finish();
  const double secs = files.seconds;
  if (c.json_out)
    std::printf("%s\n", json({{"event", "done"}, {"output_dir", outdir.string()}, {"seconds", secs}}).dump().c_str());
  else if (!c.quiet)
    std::fprintf(stderr, "wrote %zu steps, strip%s and steps.json to %s in %.2f s%s\n", res.steps.size(),
                 fs::path(files.strip).extension().c_str(), outdir.c_str(), secs,
                 video.empty() ? "" : (", and the video " + video).c_str());
  return kOk;
}

// ---- coz replay ------------------------------------------------------------------------------

// The input a recipe names (--input, else the first of recipe_input_candidates that exists).
std::string recipe_input(const Args& a, const std::string& recorded, const fs::path& image) {
  if (a.has("--input")) return a.get("--input");
  std::error_code ec;
  const auto tried = recipe_input_candidates(recorded, image.string());
  for (const std::string& p : tried)
    if (fs::is_regular_file(p, ec)) return p;
  std::string where;
  for (const std::string& p : tried) where += (where.empty() ? "" : ", ") + p;
  if (tried.empty()) where = "no file name recorded";
  throw InvalidInput("the input image of " + image.string() + "'s recipe, " + recorded + ", is not found (looked at " + where +
                     "); give it with --input PATH");
}

// Compares the replayed image with the original: identical bytes of pixels, else the PSNR (dB).
struct Comparison {
  bool identical = false;
  double psnr = 0;
};
Comparison compare_images(const torch::Tensor& original, const torch::Tensor& replayed) {
  const auto a = to_u8_hwc(original).to(torch::kFloat32), b = to_u8_hwc(replayed).to(torch::kFloat32);
  if (!a.sizes().equals(b.sizes())) throw InvalidInput("the replayed image has another size than the original");
  Comparison cmp;
  cmp.identical = torch::equal(a, b);
  const double mse = (a - b).pow(2).mean().item<double>();
  cmp.psnr = mse == 0 ? std::numeric_limits<double>::infinity() : 10 * std::log10(255.0 * 255.0 / mse);
  return cmp;
}

void warn_if_models_differ(const std::vector<ModelFingerprint>& recorded, const std::vector<ModelFingerprint>& now) {
  for (const ModelFingerprint& r : recorded)
    for (const ModelFingerprint& n : now)
      if (r.role == n.role && r.id == n.id && r.files != n.files)
        std::fprintf(stderr, "note: the files of %s %s are not those the recipe recorded: the result may differ\n", r.role.c_str(), r.id.c_str());
}

// The recorded device where this machine has it (or --device); else the CPU, said aloud (the
// replay then reports the PSNR instead of bit equality).
Device replay_device(const Device& recorded, const Args& a, const Common& c) {
  if (a.has("--device")) return c.device;
  try {
    torch_device(recorded);
    return recorded;
  } catch (const std::exception&) {
    std::fprintf(stderr, "note: the recipe ran on %s, which this machine lacks: replaying on the CPU\n", device_name(recorded).c_str());
    return Device{};
  }
}

int cmd_replay(const Args& a, const std::atomic<bool>& cancel) {
  const std::string image = need_one_input(a);
  const Common c = common_options(a);
  const std::string recipe = io::read_recipe(image);
  if (recipe.empty())
    throw InvalidInput(image + " carries no CoZ recipe: it was not written by coz, was written with --no-metadata, or its "
                       "metadata was removed (BMP files carry none)");
  const std::string format = recipe_format(recipe);
  if (format.empty()) throw InvalidInput(image + "'s recipe is not a CoZ recipe this coz understands (update coz)");
  if (a.has("-o")) check_output_file(a.get("-o"), 0);
  const Image original = io::read_image(image, c.read);
  Engine engine(engine_options(c));
  ProgressPrinter pp(!c.quiet && !c.json_out && ::isatty(2), c.json_out);
  RunControl ctl = make_control(pp, cancel);
  torch::Tensor replayed;
  std::string recorded_device, recorded_precision, device_now, precision_now, version;
  std::string out_recipe;
  if (format == "coz-upscale") {
    UpscaleRecord rec = parse_upscale_recipe(recipe, image + " (its recipe)");
    UpscaleRequest req = rec.request;
    recorded_device = device_name(req.device);
    recorded_precision = precision_name(resolve_precision(req.precision, req.device));
    if (a.has("--device")) req.device = c.device;
    if (a.has("--precision")) req.precision = c.precision;
    req.device = replay_device(req.device, a, c);
    const std::string in = recipe_input(a, rec.input_file, image);
    req.image = io::read_image(in, c.read);
    if (req.image.width() != rec.input_width || req.image.height() != rec.input_height)
      throw InvalidInput(in + " is " + std::to_string(req.image.width()) + "x" + std::to_string(req.image.height()) +
                         ", but the recipe's input was " + std::to_string(rec.input_width) + "x" + std::to_string(rec.input_height));
    check_model(engine, req.model);
    ensure_backbone(engine, req.model, a, cancel);
    warn_if_models_differ(rec.models, hub::model_fingerprints(engine, req));
    replayed = engine.upscale(req, ctl).rgb;
    device_now = device_name(req.device);
    precision_now = precision_name(resolve_precision(req.precision, req.device));
    version = rec.coz_version;
    out_recipe = upscale_recipe_json(req, in, rec.models);
  } else {
    ZoomRecord rec = parse_zoom_record(recipe, image + " (its recipe)");
    ZoomRequest req = rec.request;
    recorded_device = device_name(req.device);
    recorded_precision = rec.precision_used;
    if (a.has("--device")) req.device = c.device;
    if (a.has("--precision")) req.precision = c.precision;
    req.device = replay_device(req.device, a, c);
    const std::string in = recipe_input(a, rec.input_file, image);
    req.image = io::read_image(in, c.read);
    if (req.image.width() != req.input_width || req.image.height() != req.input_height)
      throw InvalidInput(in + " is " + std::to_string(req.image.width()) + "x" + std::to_string(req.image.height()) +
                         ", but the recipe's input was " + std::to_string(req.input_width) + "x" + std::to_string(req.input_height));
    const int last = static_cast<int>(rec.step_files.size()) - 1;
    check_model(engine, req.model);
    ensure_zoom_models(engine, req, c, a, cancel);
    warn_if_models_differ(rec.models, hub::model_fingerprints(engine, req));
    ZoomResult res = engine.zoom(req, ctl);
    if (cancel.load()) throw Cancelled();
    const int P = req.process_size;
    if (original.width() == P * (last + 1) && last > 0) {  // the strip
      std::vector<torch::Tensor> parts;
      for (int k = 0; k <= last; ++k) parts.push_back(res.steps.at(k).output.to(torch::kCPU));
      replayed = torch::cat(parts, 3);
      out_recipe = zoom_recipe_json(req, res, ZoomRecordFiles{rec.input_file, rec.step_files, "", 0, rec.models}, -1);
    } else {
      replayed = res.steps.at(last).output;
      out_recipe = zoom_recipe_json(req, res, ZoomRecordFiles{rec.input_file, rec.step_files, "", 0, rec.models}, last);
    }
    device_now = device_name(req.device);
    precision_now = precision_name(zoom_precision_used(req));
    version = rec.coz_version;
  }
  pp.finish();
  if (cancel.load()) throw Cancelled();
  replayed = replayed.to(torch::kCPU);
  // A lossy file is compared with the replay saved the same way (the encoders are deterministic).
  if (const std::string ext = lower_extension(image); ext == ".jpg" || ext == ".jpeg" || ext == ".webp") {
    Image im;
    im.rgb = replayed;
    const fs::path tmp = fs::temp_directory_path() / ("coz-replay-" + std::to_string(::getpid()) + ext);
    io::write_image(tmp.string(), im);
    replayed = io::read_image(tmp.string()).rgb;
    std::error_code ec;
    fs::remove(tmp, ec);
  }
  if (replayed.size(2) != original.height() || replayed.size(3) != original.width())
    throw InvalidInput("the replay made a " + std::to_string(replayed.size(3)) + "x" + std::to_string(replayed.size(2)) +
                       " image, but " + image + " is " + std::to_string(original.width()) + "x" + std::to_string(original.height()));
  const Comparison cmp = compare_images(original.rgb, replayed);
  if (a.has("-o")) {
    Image im;
    im.rgb = replayed;
    io::WriteOptions wo;
    if (!a.has("--no-metadata")) wo.recipe = out_recipe;
    io::write_image(a.get("-o"), im, wo);
  }
  const bool same_setup = recorded_device == device_now && recorded_precision == precision_now && version == coz::version();
  if (c.json_out) {
    json j = {{"event", "done"}, {"identical", cmp.identical}, {"device", device_now}, {"precision", precision_now},
              {"recorded_device", recorded_device}, {"recorded_precision", recorded_precision}, {"recorded_version", version}};
    if (!cmp.identical) j["psnr_db"] = cmp.psnr;
    std::printf("%s\n", j.dump().c_str());
  } else if (!c.quiet) {
    if (cmp.identical)
      std::fprintf(stderr, "replayed %s on %s (%s): bit-identical\n", image.c_str(), device_now.c_str(), precision_now.c_str());
    else
      std::fprintf(stderr, "replayed %s on %s (%s; recorded on %s, %s, coz %s): differs, PSNR %.2f dB\n", image.c_str(),
                   device_now.c_str(), precision_now.c_str(), recorded_device.c_str(), recorded_precision.c_str(), version.c_str(),
                   cmp.psnr);
  }
  if (!cmp.identical && same_setup) {
    std::fprintf(stderr, "coz: the replay on the recorded device and precision is not bit-identical (PSNR %.2f dB)\n", cmp.psnr);
    return kFailure;
  }
  return kOk;
}

// ---- coz batch -------------------------------------------------------------------------------

struct BatchItem {
  fs::path input;
  fs::path rel;  // where its output goes under OUTDIR, without the extension
};

bool readable_image_name(const fs::path& p) {
  static const std::vector<std::string> ok = {".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp"};
  return std::find(ok.begin(), ok.end(), lower_extension(p)) != ok.end();
}

// The inputs in a fixed order: files as given, images found in folders (recursively with
// --recursive; hidden entries skipped), sorted by their output path.
std::vector<BatchItem> batch_items(const Args& a, bool recursive, bool keep_structure, const fs::path& outdir) {
  std::vector<BatchItem> items;
  auto add = [&](const fs::path& file, const fs::path& rel) {
    items.push_back({file, keep_structure ? rel.parent_path() / rel.stem() : rel.stem()});
  };
  for (const auto& p : a.positional) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) {
      add(p, fs::path(p).filename());
    } else if (fs::is_directory(p, ec)) {
      const fs::path root = fs::weakly_canonical(p);
      const fs::path out = fs::weakly_canonical(outdir);
      auto visit = [&](const fs::directory_entry& e) {
        if (!e.is_regular_file(ec) || !readable_image_name(e.path())) return;
        const fs::path rel = fs::relative(e.path(), p);
        for (const auto& part : rel)
          if (part.string().rfind('.', 0) == 0) return;  // hidden file or folder
        if (fs::weakly_canonical(e.path()).string().rfind(out.string() + "/", 0) == 0) return;  // our own outputs
        add(e.path(), rel);
      };
      if (recursive) {
        for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
          visit(*it);
      } else {
        for (auto it = fs::directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::directory_iterator(); it.increment(ec))
          visit(*it);
      }
      if (ec) throw InvalidInput("cannot list " + p + ": " + ec.message());
      (void)root;
    } else {
      throw InvalidInput(p + ": no such file or folder");
    }
  }
  std::sort(items.begin(), items.end(), [](const BatchItem& x, const BatchItem& y) {
    return x.rel != y.rel ? x.rel < y.rel : x.input < y.input;
  });
  for (size_t i = 1; i < items.size(); ++i)
    if (items[i].rel == items[i - 1].rel)
      throw UsageError("two inputs would write the same output " + items[i].rel.string() + ": " + items[i - 1].input.string() +
                       " and " + items[i].input.string() + (keep_structure ? "" : " (use --keep-structure)"));
  return items;
}

// --shard I/N: every N-th file of the sorted list from the I-th (0-based), so N machines split one
// batch deterministically with no coordinator.
std::pair<int64_t, int64_t> parse_shard(const std::string& v) {
  const auto slash = v.find('/');
  if (slash == std::string::npos) throw UsageError("--shard must be I/N, e.g. 0/4 (got '" + v + "')");
  const int64_t n = parse_int("--shard N", v.substr(slash + 1), 1, 1 << 20);
  const int64_t i = parse_int("--shard I", v.substr(0, slash), 0, n - 1);
  return {i, n};
}

// batch.jsonl: one line per finished file ({input, output, status ok|failed|skipped, error, seconds}),
// appended and flushed as each file ends; a rerun skips what a line says is done and still exists.
std::map<std::string, json> read_manifest(const fs::path& file) {
  std::map<std::string, json> done;
  std::ifstream f(file);
  for (std::string line; std::getline(f, line);) {
    const json j = json::parse(line, nullptr, /*allow_exceptions=*/false);  // a torn last line is ignored
    if (j.is_object() && j.contains("output") && j["output"].is_string()) done[j["output"].get<std::string>()] = j;
  }
  return done;
}

void append_manifest(const fs::path& file, const json& j) {
  const std::string line = j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  FILE* f = std::fopen(file.c_str(), "ab");
  if (!f) throw InvalidInput("cannot write " + file.string() + ": " + std::strerror(errno));
  const bool ok = std::fwrite(line.data(), 1, line.size(), f) == line.size() && std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
  std::fclose(f);
  if (!ok) throw InvalidInput("cannot write " + file.string() + " (disk full?)");
}

int cmd_batch(const Args& a, const std::atomic<bool>& cancel) {
  if (a.positional.empty()) throw UsageError("coz batch: give the input files or folders (see coz --help)");
  if (!a.has("-o")) throw UsageError("coz batch: give the output folder with -o OUTDIR");
  if (a.has("--center")) throw UsageError("coz batch zooms into each image's centre; --center is for one image (coz zoom)");
  const Common c = common_options(a);
  const bool upscale = a.has("--scale");
  const fs::path outdir = a.get("-o");
  io::check_output_folder(outdir);
  std::string format;
  if (a.has("--format")) {
    format = a.get("--format");
    if (!format.empty() && format[0] != '.') format = "." + format;
    std::transform(format.begin(), format.end(), format.begin(), [](unsigned char ch) { return std::tolower(ch); });
    const auto& ok = io::writable_extensions();
    if (std::find(ok.begin(), ok.end(), format) == ok.end())
      throw UsageError("--format must be png, jpg, webp, tif or bmp (got " + a.get("--format") + ")");
  }
  auto items = batch_items(a, a.has("--recursive"), a.has("--keep-structure"), outdir);
  int64_t shard = 0, shards = 1;
  if (a.has("--shard")) std::tie(shard, shards) = parse_shard(a.get("--shard"));
  std::vector<BatchItem> mine;
  for (size_t i = 0; i < items.size(); ++i)
    if (static_cast<int64_t>(i) % shards == shard) mine.push_back(items[i]);

  Engine engine(engine_options(c));
  std::optional<UpscaleSetup> up;
  std::optional<ZoomRequest> zoom;
  if (upscale) up = upscale_setup(a, c, engine);
  else zoom = zoom_setup(a, c, engine);
  if (upscale) ensure_backbone(engine, up->req.model, a, cancel);
  else ensure_zoom_models(engine, *zoom, c, a, cancel);
  const bool metadata = !a.has("--no-metadata");
  const std::vector<ModelFingerprint> models =
      !metadata ? std::vector<ModelFingerprint>{} : upscale ? hub::model_fingerprints(engine, up->req) : hub::model_fingerprints(engine, *zoom);

  std::error_code ec;
  fs::create_directories(outdir, ec);
  if (ec) throw InvalidInput("cannot create " + outdir.string() + ": " + ec.message());
  const fs::path manifest = outdir / (shards > 1 ? "batch-" + std::to_string(shard) + "-of-" + std::to_string(shards) + ".jsonl"
                                                 : std::string("batch.jsonl"));
  const auto before = read_manifest(manifest);
  const bool skip_existing = a.has("--skip-existing");
  auto output_of = [&](const BatchItem& it) {
    if (!upscale) return outdir / it.rel;
    std::string ext = format.empty() ? lower_extension(it.input) : format;
    const auto& ok = io::writable_extensions();
    if (std::find(ok.begin(), ok.end(), ext) == ok.end()) ext = ".png";
    if (ext == ".jpeg") ext = ".jpg";
    return fs::path(outdir / it.rel).concat(ext);
  };
  auto exists = [&](const fs::path& out) {
    std::error_code e2;
    return upscale ? fs::is_regular_file(out, e2) : fs::is_regular_file(out / "steps.json", e2);
  };

  const bool tty = !c.quiet && !c.json_out && ::isatty(2);
  int64_t ok = 0, failed = 0, skipped = 0, done_before = 0;
  double busy = 0;
  const auto t_start = std::chrono::steady_clock::now();
  if (!c.quiet && !c.json_out)
    std::fprintf(stderr, "coz batch: %zu files%s -> %s (%s)\n", mine.size(),
                 shards > 1 ? (" (shard " + std::to_string(shard) + "/" + std::to_string(shards) + " of " +
                               std::to_string(items.size()) + ")").c_str() : "",
                 outdir.c_str(), upscale ? "upscale" : "zoom");
  size_t k = 0;
  try {
  for (; k < mine.size(); ++k) {
    if (cancel.load()) throw Cancelled();
    const BatchItem& it = mine[k];
    const fs::path out = output_of(it);
    const std::string rel_out = fs::relative(out, outdir).string();
    if (auto b = before.find(rel_out); b != before.end() && (*b).second.value("status", "") != "failed" && exists(out)) {
      ++done_before;
      continue;
    }
    json line = {{"input", it.input.string()}, {"output", rel_out}};
    const auto t0 = std::chrono::steady_clock::now();
    if (skip_existing && exists(out)) {
      line["status"] = "skipped";
      ++skipped;
    } else {
      try {
        fs::create_directories(out.parent_path());
        ProgressPrinter pp(false, false);
        RunControl ctl = make_control(pp, cancel);
        if (upscale) {
          UpscaleRequest req = up->req;
          req.image = io::read_image(it.input.string(), c.read);
          Image result = engine.upscale(req, ctl);
          if (cancel.load()) throw Cancelled();
          io::WriteOptions wo = output_options(out.string(), up->bits, req.image);
          if (metadata) wo.recipe = upscale_recipe_json(req, it.input.string(), models);
          io::write_image(out.string(), result, wo);
        } else {
          ZoomRequest req = *zoom;
          req.image = io::read_image(it.input.string(), c.read);
          ZoomResult res = engine.zoom(req, ctl);
          if (cancel.load()) throw Cancelled();
          io::ZoomExportOptions eo;
          eo.input = it.input.string();
          eo.metadata = metadata;
          eo.models = models;
          io::export_zoom(out, req, res, eo, ctl);
        }
        line["status"] = "ok";
        ++ok;
      } catch (const Cancelled&) {
        throw;
      } catch (const ModelLoadError&) {
        throw;  // the same model for every file: stop here
      } catch (const std::exception& e) {
        if (cancel.load()) throw Cancelled();
        line["status"] = "failed";
        line["error"] = e.what();
        line["exit_code"] = error_kind(e) == ErrorKind::InvalidInput ? kInputError
                            : error_kind(e) == ErrorKind::OutOfMemory ? kOutOfMemory : kFailure;
        ++failed;
      }
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    busy += secs;
    line["seconds"] = std::round(secs * 1000) / 1000;
    append_manifest(manifest, line);
    const int64_t finished = ok + failed + skipped, left = static_cast<int64_t>(mine.size()) - done_before - finished;
    const double eta = finished ? busy / finished * left : 0;
    if (c.json_out) {
      line["event"] = "file";
      line["left"] = left;
      std::printf("%s\n", line.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
      std::fflush(stdout);
    } else if (!c.quiet) {
      std::fprintf(stderr, "%s[%zu/%zu] %s: %s%s  (done %lld, failed %lld, left %lld, ETA %.0f s)%s", tty ? "\r\033[K" : "",
                   k + 1, mine.size(), it.input.c_str(), line["status"].get<std::string>().c_str(),
                   line.contains("error") ? (" - " + line["error"].get<std::string>()).c_str() : "",
                   static_cast<long long>(ok + skipped + done_before), static_cast<long long>(failed),
                   static_cast<long long>(left), eta, tty && line["status"] != "failed" ? "" : "\n");
    }
  }
  } catch (const Cancelled&) {
    // The file being worked on wrote nothing; those before it are in the manifest.
    std::fprintf(stderr, "%scoz batch: cancelled at file %zu of %zu (%lld done); run the same command again to finish\n",
                 tty ? "\r\033[K" : "", k + 1, mine.size(), static_cast<long long>(ok + skipped + done_before));
    return kCancelled;
  }
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  const json summary = {{"event", "done"}, {"files", mine.size()}, {"ok", ok}, {"failed", failed}, {"skipped", skipped},
                        {"done_before", done_before}, {"seconds", total}, {"manifest", manifest.string()}};
  if (c.json_out) std::printf("%s\n", summary.dump().c_str());
  else if (!c.quiet)
    std::fprintf(stderr, "%scoz batch: %lld ok, %lld failed, %lld skipped, %lld done before, in %.1f s; manifest %s\n",
                 tty ? "\r\033[K" : "", static_cast<long long>(ok), static_cast<long long>(failed), static_cast<long long>(skipped),
                 static_cast<long long>(done_before), total, manifest.c_str());
  return failed ? kBatchFailures : kOk;
}

#ifdef COZ_HAVE_SERVE
int cmd_serve(const Args& a, const std::atomic<bool>& cancel) {
  if (!a.positional.empty()) throw UsageError("coz serve takes no file arguments (got " + a.positional[0] + ")");
  const Common c = common_options(a);
  ServeOptions o;
  o.host = a.get("--host", "127.0.0.1");
  o.port = static_cast<int>(parse_int("--port", a.get("--port", "7860"), 0, 65535));
  o.token = a.get("--token");
  if (o.token.empty())
    if (const char* t = std::getenv("COZ_SERVE_TOKEN")) o.token = t;
  if (!is_loopback_host(o.host) && o.token.empty())
    throw UsageError("--host " + o.host + " lets other machines in: give a secret with --token T (or COZ_SERVE_TOKEN), "
                     "or keep the default 127.0.0.1");
  o.cors = a.get("--cors");
  o.max_upload = static_cast<size_t>(parse_int("--max-upload-mb", a.get("--max-upload-mb", "50"), 1, 4096)) << 20;
  o.queue = static_cast<int>(parse_int("--queue", a.get("--queue", "8"), 0, 1024));
  o.model = a.get("--model", "esrgan-thick");
  o.job_ttl = static_cast<double>(parse_int("--job-ttl", a.get("--job-ttl", "3600"), 1, 7 * 24 * 3600));
  o.engine = engine_options(c);
  o.device = c.device;
  o.precision = c.precision;
  o.tiles = c.tiles;
  o.read = c.read;
  o.quiet = c.quiet;
  {
    Engine probe(o.engine);
    check_model(probe, o.model);
  }
  return serve(o, cancel);
}
#endif

}  // namespace

int run(int argc, char** argv, const std::atomic<bool>& cancel) {
  try {
    Args a = parse_args(argc, argv);
    if (a.has("--version")) {
      std::cout << "coz " << version() << " (LibTorch " << torch_version() << ", " << (cuda_available() ? "CUDA" : "CPU only") << ")\n";
      return kOk;
    }
    if (a.has("--help") || a.command.empty() || a.command == "help") {
      std::cout << kHelp;
      return a.command.empty() && !a.has("--help") ? kUsage : kOk;
    }
    if (a.command == "models") return cmd_models(a, cancel);
    if (a.command == "inspect") return cmd_inspect(a);
    if (a.command == "upscale") return cmd_upscale(a, cancel);
    if (a.command == "zoom") return cmd_zoom(a, cancel);
    if (a.command == "batch") return cmd_batch(a, cancel);
    if (a.command == "replay") return cmd_replay(a, cancel);
    if (a.command == "video") return cmd_video(a, cancel);
#ifdef COZ_HAVE_SERVE
    if (a.command == "serve") return cmd_serve(a, cancel);
#else
    if (a.command == "serve") throw UsageError("this coz was built without cpp-httplib: coz serve is not available");
#endif
    throw UsageError("unknown command '" + a.command + "': use upscale, zoom, batch, models or inspect (see coz --help)");
  } catch (const UsageError& e) {
    std::fprintf(stderr, "\ncoz: %s\n", e.what());
    return kUsage;
  } catch (const std::exception& e) {
    // The engine's error kinds map to exit codes; the message names the file or value.
    switch (error_kind(e)) {
      case ErrorKind::Cancelled:
        std::fprintf(stderr, "\ncoz: cancelled; no output was written\n");
        return kCancelled;
      case ErrorKind::InvalidInput:
        std::fprintf(stderr, "\ncoz: %s\n", e.what());
        return kInputError;
      case ErrorKind::ModelLoad:
        std::fprintf(stderr, "\ncoz: %s\n", e.what());
        return kModelError;
      case ErrorKind::OutOfMemory:
        std::fprintf(stderr, "\ncoz: out of memory: %s\n", e.what());
        return kOutOfMemory;
      case ErrorKind::Download:
        std::fprintf(stderr, "\ncoz: download failed: %s\n", e.what());
        return kDownloadError;
      case ErrorKind::Internal:
        break;
    }
    std::fprintf(stderr, "\ncoz: error: %s\n", e.what());
    return kFailure;
  }
}

}  // namespace coz::cli
