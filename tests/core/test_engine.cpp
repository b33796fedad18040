// The engine object: families registered from outside the engine (a fake backbone defined here),
// the model cache, and two engines with different SD3 options side by side in one process.
#include <atomic>
#include <new>

#include "coz/engine.h"
#include "families/families.h"
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

// A prompt-source family that lives only in this test: it "tags" each step as "tag<step>" (or says
// "wrong input" when the pipeline hands it images of the wrong size).
class TagFamily : public PromptSourceFamily {
 public:
  mutable std::atomic<int> loads{0};
  std::vector<PromptSourceInfo> sources() const override {
    return {{PromptMode::VLM, "vlm", "test-tags", "numbered tags (test family)", false}};
  }
  bool installed(const PromptSourceInfo&, const ModelOptions&) const override { return true; }
  std::string install_hint(const PromptSourceInfo&, const ModelOptions&) const override { return ""; }
  std::filesystem::path location(const PromptSourceInfo&, const ModelOptions&) const override { return {}; }
  std::shared_ptr<PromptSource> load(const PromptSourceInfo&, const torch::Device&, Precision,
                                     const ModelOptions&) const override {
    ++loads;
    struct Tags : PromptSource {
      PromptMode mode() const override { return PromptMode::VLM; }
      std::string generate(const PromptContext& c, const RunControl&) override {
        // The pipeline hands over the step's upscaled crop and the previous output, both at process size.
        if (c.lq.size(3) != 32 || c.previous.size(3) != 32) return "wrong input";
        return "tag" + std::to_string(c.step);
      }
    };
    return std::make_shared<Tags>();
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
    QCOMPARE(ids, (std::vector<std::string>{"esrgan-thick", "esrgan-medium", "esrgan-slim", "esrgan-gans", "sd3-osediff",
                                            "bicubic", "nearest"}));
    QCOMPARE(engine.backbone_info("esrgan-gans").scales, (std::vector<int>{4}));
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

  void promptFamilyRegisteredFromOutside() {
    {
      Engine builtin;  // the built-in null, dape and vlm sources
      QCOMPARE(builtin.prompt_sources().size(), size_t{3});
      QCOMPARE(builtin.prompt_sources()[0].info.id, std::string("null"));
      QCOMPARE(builtin.prompt_sources()[1].info.family, std::string("ram-dape"));
      QCOMPARE(builtin.prompt_sources()[2].info.family, std::string("qwen2.5-vl"));
    }
    // An engine without them, given the null family and then a VLM family of its own.
    EngineOptions o;
    o.builtin_prompt_sources = false;
    Engine engine(o);
    engine.register_prompt_source(families::null_prompt_family());
    const std::string missing = test::error_of([&] { engine.prompt_source_status(PromptMode::VLM); });
    QCOMPARE(missing, std::string("prompt mode 'vlm' is not available in this build: available modes are null"));
    auto q = tiny_zoom("bicubic");
    q.prompt_mode = PromptMode::VLM;
    QCOMPARE(test::error_of([&] { engine.zoom(q, {}); }), missing);

    auto family = std::make_shared<TagFamily>();
    engine.register_prompt_source(family);
    QVERIFY(engine.prompt_source_status(PromptMode::VLM).installed);
    q.user_prompt = "sharp";
    const auto res = engine.zoom(q, {});
    QCOMPARE(res.steps[1].prompt, std::string("tag1, sharp,"));  // compose_prompt's rule for dape and vlm
    QCOMPARE(res.steps[2].prompt, std::string("tag2, sharp,"));
    engine.zoom(q, {});
    QCOMPARE(family->loads.load(), 1);  // loaded once, then cached
    // Null mode keeps the user's text alone; a mode has one family.
    q.prompt_mode = PromptMode::Null;
    QCOMPARE(engine.zoom(q, {}).steps[1].prompt, std::string("sharp"));
    const std::string clash = test::error_of([&] { engine.register_prompt_source(std::make_shared<TagFamily>()); });
    QCOMPARE(clash, std::string("prompt mode 'vlm' of family test-tags is already provided by family test-tags"));
    // A caller's own source overrides the registered family.
    struct Fixed : PromptSource {
      PromptMode mode() const override { return PromptMode::VLM; }
      std::string generate(const PromptContext&, const RunControl&) override { return "a red door"; }
    };
    q.prompt_source = std::make_shared<Fixed>();
    QCOMPARE(engine.zoom(q, {}).steps[1].prompt, std::string("a red door, sharp,"));
  }

  void optionParsersRefuseEveryBadValue() {
    QCOMPARE(parse_device("cpu"), Device::cpu());
    QCOMPARE(parse_device("cuda"), Device::cuda(0));
    QCOMPARE(parse_device("cuda:3"), Device::cuda(3));
    QCOMPARE(device_name(Device::cuda(2)), std::string("cuda:2"));
    for (const char* bad : {"", "CPU", "gpu", "cuda:", "cuda:x", "cuda:-1", "cuda:1.5", "cuda:99999", "cuda:1024", " cpu"})
      QCOMPARE(test::error_of([&] { parse_device(bad); }),
               std::string("unknown device '") + bad + "': use cpu, cuda or cuda:N");
    if (!cuda_available())
      QVERIFY(test::error_of([&] { torch_device(Device::cuda(0)); }).find("device 'cuda:0' is not available") == 0);
    for (Precision p : {Precision::Auto, Precision::FP32, Precision::BF16, Precision::FP16})
      QCOMPARE(parse_precision(precision_name(p)), p);
    for (const char* bad : {"", "fp8", "FP32", "float32", "half"})
      QCOMPARE(test::error_of([&] { parse_precision(bad); }),
               std::string("unknown precision '") + bad + "': use auto, fp32, bf16 or fp16");
    for (Recursion r : {Recursion::Recursive, Recursion::RecursiveMultiscale, Recursion::OneStep, Recursion::Bicubic,
                        Recursion::Nearest})
      QCOMPARE(parse_recursion(recursion_name(r)), r);
    QVERIFY(test::error_of([&] { parse_recursion("zigzag"); }).find("unknown recursion type 'zigzag'") == 0);
    for (ColorFix f : {ColorFix::None, ColorFix::Wavelet, ColorFix::AdaIN}) QCOMPARE(parse_color_fix(color_fix_name(f)), f);
    QVERIFY(test::error_of([&] { parse_color_fix("histogram"); }).find("unknown colour fix 'histogram'") == 0);
    for (PromptMode m : {PromptMode::Null, PromptMode::DAPE, PromptMode::VLM}) QCOMPARE(parse_prompt_mode(prompt_mode_name(m)), m);
    QCOMPARE(parse_prompt_mode("custom"), PromptMode::Null);
    QCOMPARE(test::error_of([&] { parse_prompt_mode("gpt"); }), std::string("unknown prompt mode 'gpt': use null, dape or vlm"));
    // Stages have stable keys; errors keep their kind.
    QCOMPARE(std::string(stage_name(Stage::ZoomStep)), std::string("zoom step"));
    QCOMPARE(std::string(stage_name(Stage::VaeDecode)), std::string("vae decode"));
    QCOMPARE(error_kind(InvalidInput("x")), ErrorKind::InvalidInput);
    QCOMPARE(error_kind(ModelLoadError("x")), ErrorKind::ModelLoad);
    QCOMPARE(error_kind(Cancelled()), ErrorKind::Cancelled);
    QCOMPARE(error_kind(OutOfMemory("x")), ErrorKind::OutOfMemory);
    QCOMPARE(error_kind(std::bad_alloc()), ErrorKind::OutOfMemory);
    QCOMPARE(error_kind(std::runtime_error("x")), ErrorKind::Internal);
    QCOMPARE(std::string(error_kind_name(ErrorKind::ModelLoad)), std::string("model"));
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
    q.precision = Precision::FP32;
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
