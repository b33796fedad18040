// RAM Swin + tagging head with CoZ's DAPE LoRA (ram/models/ram_lora.py) on a tiny random-weight
// configuration, against the reference's logits and tag strings (tools/goldens/ram_goldens.py,
// tests/data/goldens/ram/), and the files a user can get wrong.
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <fstream>

#include "coz/engine.h"
#include "coz/error.h"
#include "coz/imageio.h"
#include "models/ram_head.h"
#include "test_util.h"
#include "weights/weight_store.h"

using namespace coz;
using namespace coz::models;
namespace fs = std::filesystem;

namespace {
fs::path g() { return test::data_dir() / "goldens/ram"; }
RamPaths paths() {
  return {g() / "ram_swin_large_14m.pth", g() / "DAPE.pth", g() / "ram_tag_list.txt", g() / "ram_tag_list_threshold.txt"};
}
torch::Tensor image(int i) { return io::read_image((g() / ("img" + std::to_string(i) + ".png")).string()).rgb; }
void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }
std::string lines(int n, const std::string& v) {
  std::string s;
  for (int i = 0; i < n; ++i) s += v + (i + 1 < n ? "\n" : "");
  return s;
}
constexpr int kImages = 4;
}  // namespace

class TestRAM : public QObject {
  Q_OBJECT
  weights::WeightStore io_ = weights::WeightStore::open(g() / "io.pth");

 private Q_SLOTS:
  void configFromWeights() {
    const auto t = RamTagger::load(paths());
    const RamConfig& c = t->config();
    QCOMPARE(c.embed_dim, int64_t{8});
    QCOMPARE(c.window_size, int64_t{12});
    QVERIFY((c.depths == std::vector<int64_t>{2, 2, 2, 2}));
    QVERIFY((c.num_heads == std::vector<int64_t>{2, 2, 2, 4}));
    QCOMPARE(c.num_class, int64_t{30});
    QCOMPARE(c.head_hidden, int64_t{32});
    QCOMPARE(c.head_layers, int64_t{2});
    QCOMPARE(c.head_intermediate, int64_t{64});
    QVERIFY(t->report().ok());
    QVERIFY(t->report().unexpected.empty());  // the text model and recomputed buffers are known, not listed
    // The real checkpoint's defaults.
    const RamConfig real;
    QCOMPARE(real.vision_width(), int64_t{1536});
    QCOMPARE(real.num_class, int64_t{4585});
  }

  // fp32 logits of the whole path (preprocessing, Swin, projection, head, LoRA merge incl. the tied
  // tag_encoder deltas, DAPE overlay of image_proj) within 1e-4 of the reference's maximum.
  void logitsMatchTheReference() {
    const auto t = RamTagger::load(paths());
    for (int i = 0; i < kImages; ++i) {
      const auto x = t->preprocess(image(i));
      using torch::indexing::Slice;
      const double e_pre = test::rel_err(x[0].index({Slice(), Slice(100, 104)}), io_.get("pre" + std::to_string(i)));
      torch::Tensor swin;
      {
        c10::InferenceMode guard;
        swin = t->model()->visual_encoder->forward(x)[0];
      }
      const double e_swin = test::rel_err(swin, io_.get("swin" + std::to_string(i)));
      const auto logits = t->logits(image(i));
      QCOMPARE(logits.sizes().vec(), (std::vector<int64_t>{1, 30}));
      const double e = test::rel_err(logits[0], io_.get("logits" + std::to_string(i)));
      qInfo("img%d: preprocess rel. err %.2e, swin %.2e, logits %.2e", i, e_pre, e_swin, e);
      QVERIFY2(e_pre <= 1e-5, std::to_string(e_pre).c_str());
      QVERIFY2(e_swin <= 1e-4, std::to_string(e_swin).c_str());
      QVERIFY2(e <= 1e-4, std::to_string(e).c_str());
    }
  }

  void tagsMatchTheReference() {
    const auto t = RamTagger::load(paths());
    std::ifstream f(g() / "tags.json");
    const auto want = nlohmann::json::parse(f);
    QCOMPARE(static_cast<int>(want.size()), kImages);
    for (int i = 0; i < kImages; ++i) {
      const std::string got = t->tag(image(i)).at(0);
      const std::string exp = want.at("img" + std::to_string(i) + ".png").get<std::string>();
      QCOMPARE(QString::fromStdString(got), QString::fromStdString(exp));
    }
    // img3 is a flat grey picture: a defined result (the reference's string for it), not an error.
    QVERIFY(!want.at("img3.png").get<std::string>().empty());
    // A batch gives each image its own string.
    const auto batch = t->tag(torch::cat({image(0), image(3)}, 0));
    QCOMPARE(batch.size(), size_t{2});
    QCOMPARE(QString::fromStdString(batch[1]), QString::fromStdString(want.at("img3.png").get<std::string>()));
  }

  // bf16 (the GPU's default): same path, the model's dtype throughout after the fp32 resize.
  void bf16() {
    const auto t = RamTagger::load(paths(), torch::kCPU, torch::kBFloat16);
    QCOMPARE(t->preprocess(image(0)).scalar_type(), torch::kBFloat16);
    const auto l = t->logits(image(0));
    QVERIFY(torch::isfinite(l).all().item<bool>());
    const double e = test::rel_err(l[0], io_.get("logits0"));
    qInfo("bf16 logits rel. err %.2e", e);
    // Loose: bf16 keeps 8 mantissa bits and this random net has no trained margins (the GPU check
    // compares tags at full size); where CPU bf16 GEMMs accumulate in bf16 only finiteness is asserted.
    if (test::cpu_bf16_gemm_accurate()) QVERIFY2(e < 0.25, std::to_string(e).c_str());
  }

  // Without DAPE the logits move well beyond the tolerance: the merge is what the goldens check.
  void loraMatters() {
    RamPaths p = paths();
    p.dape.clear();
    const auto t = RamTagger::load(p);
    const double e = test::rel_err(t->logits(image(0))[0], io_.get("logits0"));
    qInfo("without DAPE: rel. err %.2e", e);
    QVERIFY(e > 1e-2);
  }

  void wrongCheckpointIsRefused() {
    RamPaths p = paths();
    p.checkpoint = test::data_dir() / "goldens/sd3/lora/vae_encoder_tiny.pt";  // a state dict of another model
    std::string e = test::error_of([&] { RamTagger::load(p); });
    QVERIFY2(e.find("vae_encoder_tiny.pt") != std::string::npos && e.find("not a RAM") != std::string::npos, e.c_str());
    p.checkpoint = test::data_dir() / "goldens/sd3/lora/model_tiny.pkl";  // a list of tensors
    e = test::error_of([&] { RamTagger::load(p); });
    QVERIFY2(e.find("model_tiny.pkl") != std::string::npos && e.find("not a RAM") != std::string::npos, e.c_str());
    p = paths();
    p.checkpoint = p.dape;  // the two files swapped
    e = test::error_of([&] { RamTagger::load(p); });
    QVERIFY2(e.find("DAPE.pth") != std::string::npos && e.find("not a RAM") != std::string::npos, e.c_str());
    p = paths();
    p.dape = test::data_dir() / "goldens/sd3/lora/vae_encoder_tiny.pt";  // a LoRA of another model as DAPE
    e = test::error_of([&] { RamTagger::load(p); });
    QVERIFY2(e.find("vae_encoder_tiny.pt") != std::string::npos && e.find("not a DAPE file") != std::string::npos, e.c_str());
  }

  void tagFilesAreChecked() {
    QTemporaryDir dir;
    const fs::path d = dir.path().toStdString();
    RamPaths p = paths();
    p.thresholds = d / "ram_tag_list_threshold.txt";
    write(p.thresholds, lines(29, "0.65"));
    std::string e = test::error_of([&] { RamTagger::load(p); });
    QVERIFY2(e.find(p.thresholds.string()) != std::string::npos && e.find("29 values") != std::string::npos &&
                 e.find("30 classes") != std::string::npos, e.c_str());
    write(p.thresholds, lines(29, "0.65") + "\nhigh");
    e = test::error_of([&] { RamTagger::load(p); });
    QVERIFY2(e.find("line 30") != std::string::npos && e.find("not a number") != std::string::npos, e.c_str());
    p = paths();
    p.tag_list = d / "ram_tag_list.txt";
    write(p.tag_list, lines(31, "tag"));
    e = test::error_of([&] { RamTagger::load(p); });
    QVERIFY2(e.find(p.tag_list.string()) != std::string::npos && e.find("31 tags") != std::string::npos &&
                 e.find("30 classes") != std::string::npos, e.c_str());
    p.tag_list = d / "missing.txt";
    e = test::error_of([&] { RamTagger::load(p); });
    QVERIFY2(e.find("missing.txt") != std::string::npos && e.find("coz models pull dape") != std::string::npos, e.c_str());
    // CRLF and a final newline are fine, as Python's splitlines() takes them.
    p = paths();
    p.tag_list = d / "crlf.txt";
    std::string crlf;
    for (int i = 0; i < 30; ++i) crlf += "t" + std::to_string(i) + "\r\n";
    write(p.tag_list, crlf);
    QCOMPARE(RamTagger::load(p)->tag_list().back(), std::string("t29"));
  }

  void badImages() {
    const auto t = RamTagger::load(paths());
    std::string e = test::error_of([&] { t->tag(torch::full({1, 1, 64, 64}, 0.5f)); });  // one-channel grey
    QVERIFY2(e.find("grey") != std::string::npos, e.c_str());
    e = test::error_of([&] { t->tag(torch::rand({1, 3, 4, 6})); });
    QVERIFY2(e.find("at least 8x8") != std::string::npos && e.find("6x4") != std::string::npos, e.c_str());
    e = test::error_of([&] { t->tag(torch::rand({3, 64, 64})); });
    QVERIFY2(e.find("[B,3,H,W]") != std::string::npos, e.c_str());
    // The smallest accepted image gives a defined, reproducible string.
    const auto small = test::test_pattern(8, 8);
    QCOMPARE(t->tag(small), t->tag(small));
  }

  // The prompt family finds the files where the model manager puts them (core/hub/models.json):
  // the checkpoint in the Hugging Face cache at the pinned revision, the tag files in <models>/ram,
  // DAPE in <models>/dape; the Engine loads it once and it tags a step's crop as the reference.
  void dapeFamilyFromTheModelManagersLayout() {
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    for (const char* v : {"HF_HOME", "XDG_CACHE_HOME", "HOME"}) qputenv(v, QByteArray::fromStdString((root / "none").string()));
    qputenv("HF_HUB_CACHE", QByteArray::fromStdString((root / "hub").string()));
    EngineOptions eo;
    eo.models_dir = root / "models";
    Engine engine(eo);
    auto st = engine.prompt_source_status(PromptMode::DAPE);
    QCOMPARE(st.info.family, std::string("ram-dape"));
    QVERIFY(!st.installed);
    QVERIFY2(st.install_hint.find("coz models pull dape") != std::string::npos, st.install_hint.c_str());
    std::string e = test::error_of([&] { engine.prompt_source(PromptMode::DAPE, torch::kCPU, Precision::FP32); });
    QVERIFY2(e.find("ram_swin_large_14m.pth") != std::string::npos && e.find("coz models pull dape") != std::string::npos,
             e.c_str());

    const fs::path snap = root / "hub/models--xinyu1205--recognize_anything_model/snapshots/a4f945fe0720892020c28309624df3bd1f3ad3dc";
    for (const fs::path& d : {snap, eo.models_dir / "ram", eo.models_dir / "dape"}) fs::create_directories(d);
    fs::copy_file(g() / "ram_swin_large_14m.pth", snap / "ram_swin_large_14m.pth");
    fs::copy_file(g() / "ram_tag_list.txt", eo.models_dir / "ram/ram_tag_list.txt");
    QVERIFY(!engine.prompt_source_status(PromptMode::DAPE).installed);  // still no thresholds or DAPE
    fs::copy_file(g() / "ram_tag_list_threshold.txt", eo.models_dir / "ram/ram_tag_list_threshold.txt");
    fs::copy_file(g() / "DAPE.pth", eo.models_dir / "dape/DAPE.pth");
    st = engine.prompt_source_status(PromptMode::DAPE);
    QVERIFY(st.installed);
    QCOMPARE(st.location, eo.models_dir / "dape");

    auto loaded = engine.prompt_source(PromptMode::DAPE, torch::kCPU, Precision::FP32);
    QCOMPARE(loaded.source->mode(), PromptMode::DAPE);
    std::ifstream f(g() / "tags.json");
    const auto want = nlohmann::json::parse(f);
    for (int i : {1, 2}) {
      PromptContext ctx;
      ctx.lq = image(i);
      ctx.previous = image(i);
      ctx.step = i;
      QCOMPARE(QString::fromStdString(loaded.source->generate(ctx, {})),
               QString::fromStdString(want.at("img" + std::to_string(i) + ".png").get<std::string>()));
    }
    QVERIFY(engine.prompt_source(PromptMode::DAPE, torch::kCPU, Precision::FP32).source == loaded.source);  // cached
    // A cancelled run stops before tagging.
    std::atomic<bool> cancel{true};
    RunControl ctl;
    ctl.cancel = &cancel;
    PromptContext ctx;
    ctx.lq = image(1);
    QVERIFY_THROWS_EXCEPTION(Cancelled, loaded.source->generate(ctx, ctl));
  }
};

QTEST_GUILESS_MAIN(TestRAM)
#include "test_ram.moc"
