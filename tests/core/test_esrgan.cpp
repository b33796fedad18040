// The TF.js layers-model loader against outputs of TensorFlow.js itself
// (tools/goldens/esrgan_tfjs.mjs, @tensorflow/tfjs 4.22 CPU backend, float32).
#include <nlohmann/json.hpp>

#include "coz/error.h"
#include "coz/engine.h"
#include "models/esrgan.h"
#include "models/tfjs_layers.h"
#include "test_util.h"

using namespace coz;
namespace fs = std::filesystem;

class TestEsrgan : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void matchesTensorFlowJs() {
    std::ifstream f(test::data_dir() / "goldens/esrgan/manifest.json");
    auto m = nlohmann::json::parse(f);
    int checked = 0;
    c10::InferenceMode guard;
    for (const auto& c : m["cases"]) {
      const std::string id = c["model"];
      if (!test::require_model(id)) return;
      const int scale = c["scale"];
      auto graph = models::KerasGraph(test::esrgan_dir(id, scale) / "model.json");
      const auto cfg = models::EsrganConfig::from_graph(*graph);
      QCOMPARE(cfg.scale, scale);
      QCOMPARE(static_cast<double>(cfg.value_range), c["range"].get<double>());
      const auto in_shape = c["input_shape"].get<std::vector<int64_t>>();
      const auto out_shape = c["output_shape"].get<std::vector<int64_t>>();
      const auto dir = test::data_dir() / "goldens/esrgan";
      auto x = test::read_f32(dir / c["input_file"].get<std::string>(), in_shape).permute({0, 3, 1, 2});
      auto want = test::read_f32(dir / c["output_file"].get<std::string>(), out_shape).permute({0, 3, 1, 2});
      auto got = graph->forward(x.contiguous());
      QCOMPARE(got.sizes().vec(), want.sizes().vec());
      const double err = test::max_abs(got, want);
      // thick: 1e-5 of full scale; medium/slim: 3e-3 on the 0-255 scale.
      const double tol = cfg.value_range == 1.0f ? 1e-5 : 3e-3;
      QVERIFY2(err <= tol, (c["name"].get<std::string>() + ": max abs error " + std::to_string(err)).c_str());
      ++checked;
    }
    QCOMPARE(checked, 14);
  }
  void resolverClipsAndScales() {
    if (!test::require_model("esrgan-medium")) return;
    auto r = Engine().backbone("esrgan-medium", 4, torch::kCPU, Precision::FP32);
    QCOMPARE(r->scale(), 4);
    SRRequest req;
    req.image = test::test_pattern(12, 10);
    req.tiles.tile = 0;
    auto y = r->upscale(req, {});
    QCOMPARE(y.sizes().vec(), (std::vector<int64_t>{1, 3, 40, 48}));
    QVERIFY(y.min().item<float>() >= 0.0f && y.max().item<float>() <= 1.0f);
    QVERIFY(test::psnr(y, req.image.repeat_interleave(4, 2).repeat_interleave(4, 3)) > 20);
  }
  void bf16StaysCloseToFp32() {
    if (!test::require_model("esrgan-thick")) return;
    SRRequest req;
    req.image = test::test_pattern(24, 20);
    req.tiles.tile = 0;
    auto fp32 = Engine().backbone("esrgan-thick", 4, torch::kCPU, Precision::FP32)->upscale(req, {});
    auto bf16 = Engine().backbone("esrgan-thick", 4, torch::kCPU, Precision::BF16)->upscale(req, {});
    QCOMPARE(bf16.scalar_type(), torch::kFloat32);
    const double p = test::psnr(bf16, fp32);
    QVERIFY2(p > 40 && p < 1e9, std::to_string(p).c_str());  // close, but really computed in bf16
    QCOMPARE(parse_precision("bf16"), Precision::BF16);
    QCOMPARE(resolve_precision(Precision::Auto, torch::Device(torch::kCUDA, 0)), Precision::BF16);
    QCOMPARE(resolve_precision(Precision::FP32, torch::kCPU), Precision::FP32);
    QVERIFY_THROWS_EXCEPTION(InvalidInput, parse_precision("fp8"));
  }
  void brokenModelFilesGiveClearErrors() {
    if (!test::require_model("esrgan-slim")) return;
    QTemporaryDir tmp;
    const fs::path src = test::esrgan_dir("esrgan-slim", 2);
    const fs::path dst = fs::path(tmp.path().toStdString()) / "x2";
    fs::create_directories(dst);
    fs::copy(src, dst, fs::copy_options::recursive);
    const auto json_path = dst / "model.json";
    const auto shard = dst / "group1-shard1of1.bin";
    // Truncated shard.
    fs::resize_file(shard, fs::file_size(shard) - 100);
    try {
      models::KerasGraph g(json_path);
      QFAIL("no error for a truncated shard");
    } catch (const ModelLoadError& e) {
      QVERIFY2(std::string(e.what()).find("ends early") != std::string::npos, e.what());
    }
    // Missing shard.
    fs::remove(shard);
    try {
      models::KerasGraph g(json_path);
      QFAIL("no error for a missing shard");
    } catch (const ModelLoadError& e) {
      QVERIFY2(std::string(e.what()).find("group1-shard1of1.bin") != std::string::npos, e.what());
    }
    // Corrupt JSON.
    { std::ofstream(json_path) << "{ not json"; }
    QVERIFY_THROWS_EXCEPTION(ModelLoadError, models::KerasGraph{json_path});
    // A model that is not installed names the file and how to install it.
    qputenv("COZ_MODELS_DIR", tmp.path().toUtf8() + "/nothing");
    try {
      Engine().backbone("esrgan-thick", 4, torch::kCPU, Precision::FP32);
      QFAIL("no error for a missing model");
    } catch (const ModelLoadError& e) {
      const std::string msg = e.what();
      QVERIFY2(msg.find("nothing/esrgan-thick/x4/model.json") != std::string::npos, msg.c_str());
      QVERIFY2(msg.find("npm pack @upscalerjs/esrgan-thick@1.0.0") != std::string::npos, msg.c_str());
    }
    qunsetenv("COZ_MODELS_DIR");
  }
  void registryLoadsOnce() {
    if (!test::require_model("esrgan-slim")) return;
    Engine engine;
    auto a = engine.backbone("esrgan-slim", 4, torch::kCPU, Precision::FP32);
    auto b = engine.backbone("esrgan-slim", 4, torch::kCPU, Precision::FP32);
    QCOMPARE(a.get(), b.get());
    QVERIFY_THROWS_EXCEPTION(InvalidInput, engine.backbone("esrgan-slim", 5, torch::kCPU, Precision::FP32));
    // Another engine loads its own copy: engines share no state.
    Engine other;
    QVERIFY(other.backbone("esrgan-slim", 4, torch::kCPU, Precision::FP32).get() != a.get());
  }
};

QTEST_GUILESS_MAIN(TestEsrgan)
#include "test_esrgan.moc"
