// The engine object: families registered from outside the engine (a fake backbone defined here),
// the model cache, and two engines with different SD3 options side by side in one process.
#include <atomic>

#include "coz/engine.h"
#include "coz/error.h"
#include "test_util.h"

using namespace coz;

namespace {

// A backbone family that lives only in this test: "test-flat" paints every output a flat grey
// whose level is the scale/16, so a test can tell which scale was loaded. It counts its loads.
class FlatFamily : public BackboneFamily {
 public:
  mutable std::atomic<int> loads{0};
  std::vector<BackboneInfo> backbones() const override {
    return {{"test-flat", "test", "a flat grey (test family)", {2, 4}, "", true}};
  }
  bool installed(const BackboneInfo&, const ModelOptions& o) const override { return !o.models_dir.empty(); }
  std::string install_hint(const BackboneInfo&, const ModelOptions&) const override { return "nothing to install"; }
  std::filesystem::path location(const BackboneInfo& b, const ModelOptions& o) const override { return o.models_dir / b.id; }
  std::shared_ptr<const SuperResolver> load(const BackboneInfo&, int scale, const torch::Device&, Precision,
                                            const ModelOptions&) const override {
    ++loads;
    struct Flat : SuperResolver {
      int s;
      explicit Flat(int scale) : s(scale) {}
      std::string id() const override { return "test-flat"; }
      int scale() const override { return s; }
      torch::Tensor upscale(const SRRequest& r, const RunControl& ctl, const Progress&) const override {
        ctl.check_cancel();
        return torch::full({1, 3, r.image.size(2) * s, r.image.size(3) * s}, s / 16.0f);
      }
    };
    return std::make_shared<Flat>(scale);
  }
};

ZoomRequest tiny_zoom(const std::string& model) {
  ZoomRequest q;
  q.image.rgb = test::test_pattern(48, 40);
  q.steps = 2;
  q.process_size = 32;
  q.model = model;
  q.tiles.tile = 0;
  return q;
}

}  // namespace

class TestEngine : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void builtinFamiliesAreListed() {
    Engine engine;
    std::vector<std::string> ids;
    for (const auto& s : engine.models()) ids.push_back(s.info.id);
    QCOMPARE(ids, (std::vector<std::string>{"esrgan-thick", "esrgan-medium", "esrgan-slim", "sd3-osediff", "bicubic",
                                            "nearest"}));
    QCOMPARE(engine.backbone_info("esrgan-medium").scales, (std::vector<int>{2, 3, 4, 8}));
    QCOMPARE(engine.backbone_info("sd3-osediff").family, std::string("sd3-osediff"));
    const std::string m = test::error_of([&] { engine.backbone_info("esrgan-huge"); });
    QVERIFY2(m.find("unknown model 'esrgan-huge': known models are esrgan-thick, esrgan-medium") != std::string::npos, m.c_str());
    EngineOptions bare;
    bare.builtin_backbones = false;
    QVERIFY(Engine(bare).models().empty());
  }

  void familyRegisteredFromOutside() {
    EngineOptions o;
    o.models_dir = "/nonexistent/models";
    Engine engine(o);
    auto family = std::make_shared<FlatFamily>();
    engine.register_backbone(family);
    const BackboneStatus s = engine.status("test-flat");
    QVERIFY(s.installed);
    QCOMPARE(s.location, std::filesystem::path("/nonexistent/models/test-flat"));
    // It runs in the whole pipeline: every step's output is the family's flat grey at x4 (4/16).
    auto res = engine.zoom(tiny_zoom("test-flat"), {});
    QCOMPARE(res.steps.size(), size_t{3});
    QVERIFY(test::max_abs(res.steps[2].output, torch::full({1, 3, 32, 32}, 64.0f / 255)) < 1e-6);  // 0.25 quantised
    // Loaded once, then served from the cache (a second run, and the x4 upscale plan).
    engine.zoom(tiny_zoom("test-flat"), {});
    QCOMPARE(family->loads.load(), 1);
    UpscaleRequest u;
    u.image.rgb = test::test_pattern(10, 8);
    u.model = "test-flat";
    u.scale = 2;
    const Image up = engine.upscale(u, {});
    QCOMPARE(up.width(), 20);
    QVERIFY(test::max_abs(up.rgb, torch::full_like(up.rgb, 2.0f / 16)) < 1e-6);  // the x2 model
    QCOMPARE(family->loads.load(), 2);
    // Ids are unique, and a family stays in the engine that registered it.
    const std::string clash = test::error_of([&] { engine.register_backbone(std::make_shared<FlatFamily>()); });
    QVERIFY2(clash.find("'test-flat'") != std::string::npos && clash.find("already registered") != std::string::npos,
             clash.c_str());
    QVERIFY_THROWS_EXCEPTION(InvalidInput, Engine().backbone_info("test-flat"));
  }

  void twoEnginesWithDifferentSD3Options() {
    // Both engines use the tiny random-weight SD3 of the goldens; one samples the latent, the other
    // takes its mean (--deterministic). Their outputs differ; each is reproducible.
    const auto g = test::data_dir() / "goldens/sd3";
    SD3Options sampled;
    sampled.sd3 = (g / "pipeline").string();
    sampled.lora = (g / "lora/model_tiny.pkl").string();
    sampled.vae_lora = (g / "lora/vae_encoder_tiny.pt").string();
    sampled.use_t5 = false;  // the T5 tokenizer needs SentencePiece, which sanitizer builds lack
    SD3Options mean = sampled;
    mean.deterministic = true;
    EngineOptions a, b;
    a.sd3 = sampled;
    b.sd3 = mean;
    Engine ea(a), eb(b);
    QVERIFY(ea.status("sd3-osediff").installed);
    auto q = tiny_zoom("sd3-osediff");
    q.steps = 1;
    q.process_size = 64;
    q.precision = "fp32";
    const auto ra = ea.zoom(q, {}), rb = eb.zoom(q, {});
    const double diff = test::max_abs(ra.steps[1].output, rb.steps[1].output);
    QVERIFY2(diff > 1e-3, std::to_string(diff).c_str());
    QVERIFY(test::max_abs(ea.zoom(q, {}).steps[1].output, ra.steps[1].output) < 1e-6);
    QVERIFY(test::max_abs(eb.zoom(q, {}).steps[1].output, rb.steps[1].output) < 1e-6);
    // Changing one engine's options leaves the other alone.
    ea.set_sd3_options(mean);
    QCOMPARE(eb.model_options().sd3.deterministic, true);
    QVERIFY(test::max_abs(ea.zoom(q, {}).steps[1].output, rb.steps[1].output) < 1e-6);
  }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "test_engine.moc"
