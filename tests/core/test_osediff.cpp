// One whole OSEDiff-SD3 step of CoZ (osediff_sd3.py OSEDiff_SD3_TEST, with the CoZ LoRA files) on a
// tiny random-weight SD3 in the diffusers layout, against the reference's outputs with fixed noise.
#include <QTemporaryDir>

#include "coz/error.h"
#include "models/osediff.h"
#include "test_util.h"
#include "weights/weight_store.h"

using namespace coz;
using namespace coz::models;
namespace fs = std::filesystem;

namespace {
fs::path g() { return test::data_dir() / "goldens/sd3"; }
double rel(const torch::Tensor& a, const torch::Tensor& b) { return test::rel_err(a, b); }
SD3Paths paths() { return {g() / "pipeline", g() / "lora/model_tiny.pkl", g() / "lora/vae_encoder_tiny.pt"}; }
using test::error_of;
}  // namespace

class TestOSEDiff : public QObject {
  Q_OBJECT
  weights::WeightStore io_ = weights::WeightStore::open(g() / "io.safetensors");
  torch::Tensor io(const char* n) { return io_.get(n).to(torch::kFloat32); }

 private Q_SLOTS:
  void wholeStepMatchesTheReference() {
    if (!text::T5Tokenizer::available()) QSKIP("built without SentencePiece");
    OSEDiffOptions opt;
    auto m = OSEDiffSD3::load(paths(), opt);
    auto st = m->make_state();
    const std::string prompt = "a photo of a cat's eye, sharp";
    const PromptEmbeds pe = m->encode_prompt(*st, prompt);
    const double e_ctx = rel(pe.context, io("osediff.prompt_embeds"));
    const double e_pool = rel(pe.pooled, io("osediff.pooled"));
    qInfo("prompt embeds rel. error %.2e, pooled %.2e", e_ctx, e_pool);
    QVERIFY(e_ctx <= 1e-4 && e_pool <= 1e-4);
    const auto lq = io("osediff.lq"), eps = io("osediff.eps");
    const auto z = m->encode_latent(*st, lq, eps, 0);
    const double e_z = rel(z, io("osediff.z"));
    const auto v = m->velocity(z, pe);
    const double e_v = rel(v, io("osediff.v"));
    const auto out = m->step(*st, lq, pe, eps, 0);
    const double e_out = rel(out, io("osediff.out"));
    qInfo("latent rel. error %.2e, velocity %.2e, output %.2e", e_z, e_v, e_out);
    QVERIFY2(e_z <= 1e-4, std::to_string(e_z).c_str());
    QVERIFY2(e_v <= 1e-4, std::to_string(e_v).c_str());
    QVERIFY2(e_out <= 1e-4, std::to_string(e_out).c_str());
    // From the prompt string (the backbone's path) it is the same step.
    QVERIFY(rel(m->run(*st, lq, prompt, eps, 0), out) < 1e-6);
    // The prompt cache hands back the same tensors.
    QVERIFY(m->encode_prompt(*st, prompt).context.is_same(pe.context));
  }
  void loraMergeMatters() {
    // Without the fp16 modulation emulation the velocity drifts measurably but slightly.
    if (!text::T5Tokenizer::available()) QSKIP("built without SentencePiece");
    OSEDiffOptions opt;
    opt.reference_fp16_modulation = false;
    auto m = OSEDiffSD3::load(paths(), opt);
    auto st = m->make_state();
    const auto pe = m->encode_prompt(*st, "a photo of a cat's eye, sharp");
    const auto v = m->velocity(io("osediff.z"), pe);
    const double e = rel(v, io("osediff.v"));
    qInfo("velocity without fp16 modulation: rel. error %.2e", e);
    QVERIFY(e > 1e-7 && e < 1e-2);
  }
  // The model is shared, the per-run state is not: two resolvers on one OSEDiffSD3 keep their own
  // prompt caches and give the same result for the same request.
  void resolversShareWeightsNotState() {
    OSEDiffOptions opt;
    opt.use_t5 = false;  // no SentencePiece needed
    opt.vae_tile = 64;   // a 96-px input: 2x2 VAE tiles, encoding and decoding
    std::shared_ptr<const OSEDiffSD3> m = OSEDiffSD3::load(paths(), opt);
    OSEDiffResolver a(m), b(m);
    SRRequest req;
    req.image = test::test_pattern(96, 96);
    req.prompt = "a cat";
    req.seed = 7;
    RunControl ctl;
    std::vector<Progress> seen;
    ctl.on_progress = [&](const Progress& p) { seen.push_back(p); };
    Progress base;
    base.stage = Stage::ZoomStep;
    base.step = 2;
    base.steps = 3;
    const auto ya = a.upscale(req, ctl, base);
    QCOMPARE(a.cached_prompts(), size_t{1});
    QCOMPARE(b.cached_prompts(), size_t{0});
    // The VAE's tiles reach the caller's RunControl, inside the caller's step.
    QCOMPARE(seen.size(), size_t{8});
    for (size_t i = 0; i < seen.size(); ++i) {
      QVERIFY(seen[i].stage == (i < 4 ? Stage::VaeEncode : Stage::VaeDecode));
      QCOMPARE(seen[i].tile, static_cast<int>(i % 4) + 1);
      QCOMPARE(seen[i].tiles, 4);
      QCOMPARE(seen[i].step, 2);
      QCOMPARE(seen[i].steps, 3);
    }
    const auto yb = b.upscale(req, {}, {});
    QCOMPARE(b.cached_prompts(), size_t{1});
    QVERIFY(torch::equal(ya, yb));
    // Cancel stops between VAE tiles.
    std::atomic<bool> cancel{false};
    RunControl c2;
    c2.cancel = &cancel;
    int tiles = 0;
    c2.on_progress = [&](const Progress&) {
      if (++tiles == 3) cancel = true;
    };
    QVERIFY_THROWS_EXCEPTION(Cancelled, a.upscale(req, c2, base));
    QCOMPARE(tiles, 3);
    // A state is bound to the model it first ran with; its prompt cache stays bounded.
    auto st = m->make_state();
    for (size_t i = 0; i <= OSEDiffState::kMaxPrompts; ++i) m->encode_prompt(*st, "prompt " + std::to_string(i));
    QCOMPARE(st->cached_prompts(), OSEDiffState::kMaxPrompts);
    auto other = OSEDiffSD3::load(paths(), opt);
    const std::string e = error_of([&] { other->encode_prompt(*st, "a cat"); });
    QVERIFY2(e.find("one SD3 model it first ran with") != std::string::npos, e.c_str());
  }
  void badLoraFilesAreRefusedClearly() {
    auto tr = load_sd3_transformer(g() / "pipeline/transformer", torch::kCPU, torch::kFloat32);
    auto list = weights::WeightStore::open(g() / "lora/model_tiny.pkl").list();
    // Wrong rank.
    std::vector<torch::Tensor> r8;
    for (size_t i = 0; i < list.size(); ++i)
      r8.push_back(i % 2 == 0 ? torch::zeros({list[i].size(0), 8}) : torch::zeros({8, list[i].size(1)}));
    std::string m = error_of([&] { merge_transformer_lora(*tr, r8, 4, "model_x.pkl"); });
    QVERIFY2(m.find("model_x.pkl") != std::string::npos && m.find("rank 8, expected 4") != std::string::npos, m.c_str());
    // Wrong count.
    std::vector<torch::Tensor> short_list(list.begin(), list.begin() + 4);
    m = error_of([&] { merge_transformer_lora(*tr, short_list, 4, "model_x.pkl"); });
    QVERIFY2(m.find("holds 4 tensors, expected 10") != std::string::npos, m.c_str());
    // Missing files and folders.
    SD3Paths p = paths();
    p.lora = g() / "lora/nope.pkl";
    m = error_of([&] { OSEDiffSD3::load(p, {}); });
    QVERIFY2(m.find("nope.pkl is missing") != std::string::npos, m.c_str());
    m = error_of([&] { find_sd3_folder((g() / "lora").string()); });
    QVERIFY2(m.find("model_index.json is missing") != std::string::npos, m.c_str());
    QCOMPARE(find_sd3_folder((g() / "pipeline").string()), g() / "pipeline");
  }
  void findsTheHuggingFaceCache() {
    QTemporaryDir hf;
    const fs::path snap = fs::path(hf.path().toStdString()) / "hub/models--stabilityai--stable-diffusion-3-medium-diffusers/snapshots/abc123";
    fs::create_directories(snap);
    std::ofstream(snap / "model_index.json") << "{}";
    qputenv("HF_HOME", hf.path().toUtf8());
    QCOMPARE(find_sd3_folder(), snap);
    qputenv("HF_HOME", (hf.path() + "/empty").toUtf8());
    qputenv("HOME", (hf.path() + "/empty").toUtf8());
    const std::string m = error_of([] { find_sd3_folder(); });
    QVERIFY2(m.find("--sd3 PATH") != std::string::npos, m.c_str());
  }
};

QTEST_GUILESS_MAIN(TestOSEDiff)
#include "test_osediff.moc"
