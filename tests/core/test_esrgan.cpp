// The TF.js layers-model loader against outputs of TensorFlow.js itself
// (tools/goldens/esrgan_tfjs.mjs, @tensorflow/tfjs 4.22 CPU backend, float32).
#include <nlohmann/json.hpp>

#include <c10/util/Half.h>

#include <cstring>

#include "coz/error.h"
#include "coz/engine.h"
#include "coz/resample.h"
#include "models/esrgan.h"
#include "models/tfjs_layers.h"
#include "test_util.h"

using namespace coz;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {
uint32_t bits_of(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
std::string le16(const std::vector<uint16_t>& v) {
  std::string s;
  for (uint16_t x : v) s += {static_cast<char>(x & 0xff), static_cast<char>(x >> 8)};
  return s;
}
// dir/model.json with one weight group of `entries` over dir/group1-shard1of1.bin = `shard`.
fs::path write_tfjs(const fs::path& dir, const json& entries, const std::string& shard) {
  json group = {{"paths", json::array({"group1-shard1of1.bin"})}, {"weights", entries}};
  json model = {{"format", "layers-model"}, {"weightsManifest", json::array({group})}};
  std::ofstream(dir / "model.json") << model.dump();
  std::ofstream(dir / "group1-shard1of1.bin", std::ios::binary).write(shard.data(), static_cast<std::streamsize>(shard.size()));
  return dir / "model.json";
}
json quantized(const std::string& name, std::vector<int64_t> shape, json q) {
  return {{"name", name}, {"shape", shape}, {"dtype", "float32"}, {"quantization", std::move(q)}};
}
std::vector<uint32_t> bits_of(const torch::Tensor& t) {
  std::vector<uint32_t> b;
  for (int64_t i = 0; i < t.numel(); ++i) b.push_back(bits_of(t.data_ptr<float>()[i]));
  return b;
}
}  // namespace

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
      QVERIFY2(msg.find("run: coz models pull esrgan-thick") != std::string::npos, msg.c_str());
    }
    qunsetenv("COZ_MODELS_DIR");
  }
  // Quantized weights decode as tfjs-core io_utils.ts decodeWeight does: `v * scale + min` in
  // JavaScript doubles, stored into a Float32Array (one rounding at the end). The expected bit
  // patterns were printed by node running that expression on the same JSON numbers; plain
  // float32 arithmetic, float(q) * float(scale) + float(min), differs in 6 of the 10 uint8 cases.
  void quantizedWeightsMatchTensorFlowJs() {
    QTemporaryDir tmp;
    const double min8 = -0.46612293439752917, scale8 = 0.003377702423170501;  // F_10_1_1/kernel of esrgan-gans
    const double min16 = -1.0000001, scale16 = 3.0518043793392844e-05;
    const std::vector<uint8_t> q8 = {0, 1, 2, 3, 77, 127, 128, 200, 254, 255};
    const std::vector<uint16_t> q16 = {0, 1, 2, 1000, 32767, 32768, 40000, 65534, 65535};
    const std::vector<uint16_t> h = {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x03FF, 0x0400, 0x8000, 0x3555, 0x7C00, 0xFC00, 0x7E00};
    // A 3-value uint8 tensor first, so everything after it starts at an odd byte offset.
    std::string shard = std::string("\x05\x06\x07", 3) + std::string(q8.begin(), q8.end()) + le16(q16) + le16(h) + le16(h);
    const float f32[2] = {1.5f, -0.25f};
    shard.append(reinterpret_cast<const char*>(f32), 8);
    const json entries = json::array({
        quantized("odd", {3}, {{"dtype", "uint8"}, {"min", 0.0}, {"scale", 1.0}, {"original_dtype", "float32"}}),
        quantized("u8", {2, 5}, {{"dtype", "uint8"}, {"min", min8}, {"scale", scale8}, {"original_dtype", "float32"}}),
        quantized("u16", {9}, {{"dtype", "uint16"}, {"min", min16}, {"scale", scale16}, {"original_dtype", "float32"}}),
        quantized("f16q", {11}, {{"dtype", "float16"}}),
        {{"name", "f16"}, {"shape", {11}}, {"dtype", "float16"}},
        {{"name", "f32"}, {"shape", {2}}, {"dtype", "float32"}}});
    const auto w = models::read_tfjs_weights(write_tfjs(tmp.path().toStdString(), entries, shard));
    QCOMPARE(w.size(), size_t{6});
    for (const auto& [name, t] : w) QCOMPARE(t.scalar_type(), torch::kFloat32);
    QCOMPARE(bits_of(w.at("odd")), (std::vector<uint32_t>{0x40a00000, 0x40c00000, 0x40e00000}));  // 5, 6, 7
    QCOMPARE(w.at("u8").sizes().vec(), (std::vector<int64_t>{2, 5}));
    QCOMPARE(bits_of(w.at("u8")), (std::vector<uint32_t>{0xbeeea7aa, 0xbeececf1, 0xbeeb3239, 0xbee97780, 0xbe52fc1c,
                                                         0xbd182f8e, 0xbd0a59c7, 0x3e56718e, 0x3ec89bc7, 0x3eca5680}));
    QCOMPARE(bits_of(w.at("u16")), (std::vector<uint32_t>{0xbf800001, 0xbf7ffe02, 0xbf7ffc02, 0xbf782ffa, 0xb780d740,
                                                          0x377e5381, 0x3e6204db, 0x3f7ffdfe, 0x3f7ffffe}));
    // The same formula written out here, and proof that float32 arithmetic would not do.
    int differs = 0;
    for (size_t i = 0; i < q8.size(); ++i) {
      const float want = static_cast<float>(q8[i] * scale8 + min8);
      QCOMPARE(bits_of(w.at("u8").data_ptr<float>()[i]), bits_of(want));
      differs += bits_of(static_cast<float>(q8[i]) * static_cast<float>(scale8) + static_cast<float>(min8)) != bits_of(want);
    }
    QCOMPARE(differs, 6);
    for (size_t i = 0; i < q16.size(); ++i)
      QCOMPARE(bits_of(w.at("u16").data_ptr<float>()[i]), bits_of(static_cast<float>(q16[i] * scale16 + min16)));
    // IEEE half: 1, -2, 65504 (largest), 2^-24 (smallest subnormal), 1023 * 2^-24 (largest
    // subnormal), 2^-14 (smallest normal), -0, 0x3555 = 0.333251953125, +inf, -inf, NaN.
    const std::vector<uint32_t> want16 = {0x3f800000, 0xc0000000, 0x477fe000, 0x33800000, 0x387fc000, 0x38800000,
                                          0x80000000, 0x3eaaa000, 0x7f800000, 0xff800000, 0x7fc00000};
    QCOMPARE(bits_of(w.at("f16q")), want16);
    QCOMPARE(bits_of(w.at("f16")), want16);
    QCOMPARE(w.at("f16q")[3].item<float>(), 5.9604644775390625e-08f);
    QCOMPARE(w.at("f16q")[2].item<float>(), 65504.0f);
    QCOMPARE(bits_of(w.at("f32")), (std::vector<uint32_t>{bits_of(1.5f), bits_of(-0.25f)}));
  }
  // Every one of the 65536 half values against LibTorch's own half -> float conversion.
  void float16DecodesEveryValueExactly() {
    QTemporaryDir tmp;
    std::vector<uint16_t> all(65536);
    for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint16_t>(i);
    const json entries = json::array({quantized("h", {256, 256}, {{"dtype", "float16"}})});
    const auto got = models::read_tfjs_weights(write_tfjs(tmp.path().toStdString(), entries, le16(all))).at("h").flatten();
    int nans = 0;
    for (int i = 0; i < 65536; ++i) {
      const float want = static_cast<float>(c10::Half(static_cast<uint16_t>(i), c10::Half::from_bits()));
      const float g = got.data_ptr<float>()[i];
      if (std::isnan(want)) {
        QVERIFY2(std::isnan(g), std::to_string(i).c_str());
        ++nans;
      } else if (bits_of(g) != bits_of(want)) {
        QFAIL(("half 0x" + QString::number(i, 16).toStdString() + " decoded wrong").c_str());
      }
    }
    QCOMPARE(nans, 2 * 1023);
  }
  // Each malformed entry is a ModelLoadError naming the file and the tensor.
  void badQuantizationIsRefused() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    const json u8 = {{"dtype", "uint8"}, {"min", -1.0}, {"scale", 0.01}};
    auto refused = [&](const json& entry, const std::string& shard, const std::string& needle) {
      const auto path = write_tfjs(dir, json::array({entry}), shard);
      const std::string m = test::error_of([&] { models::read_tfjs_weights(path); });
      QVERIFY2(m.find(needle) != std::string::npos, (needle + " not in: " + m).c_str());
      QVERIFY2(m.rfind(path.string() + ": ", 0) == 0 && m.find("tensor w") != std::string::npos, m.c_str());
      QVERIFY_THROWS_EXCEPTION(ModelLoadError, models::read_tfjs_weights(path));
    };
    refused(quantized("w", {4}, u8), "abc", "ends early at tensor w [4]");  // 4 bytes needed
    refused(quantized("w", {4}, {{"dtype", "uint16"}, {"min", 0.0}, {"scale", 1.0}}), "1234567", "ends early at tensor w [4]");
    refused(quantized("w", {4}, {{"dtype", "float16"}}), "1234567", "ends early at tensor w [4]");
    refused(quantized("w", {1}, {{"dtype", "int4"}, {"min", 0.0}, {"scale", 1.0}}), "a", "unknown quantization dtype int4");
    refused(quantized("w", {1}, {{"min", 0.0}, {"scale", 1.0}}), "a", "has quantization");
    refused(quantized("w", {1}, "uint8"), "a", "has quantization");
    refused(quantized("w", {1}, {{"dtype", "uint8"}, {"min", 0.0}}), "a", "without a numeric scale");
    refused(quantized("w", {1}, {{"dtype", "uint8"}, {"scale", 1.0}}), "a", "without a numeric min");
    refused(quantized("w", {1}, {{"dtype", "uint8"}, {"min", 0.0}, {"scale", "0.5"}}), "a", "without a numeric scale");
    refused(quantized("w", {1}, {{"dtype", "uint16"}, {"min", 0.0}, {"scale", 1e35}}), "ab", "not finite float32");
    refused(quantized("w", {1}, {{"dtype", "uint8"}, {"min", -1e300}, {"scale", 1.0}}), "a", "not finite float32");
    refused({{"name", "w"}, {"shape", {1}}, {"dtype", "int32"}, {"quantization", u8}}, "a", "quantized to dtype int32");
    refused({{"name", "w"}, {"shape", {1}}, {"dtype", "int32"}}, "abcd", "has dtype int32");
    refused({{"name", "w"}, {"shape", {1}}, {"dtype", 7}}, "abcd", "has dtype 7");
    // One byte too many after a quantized tensor is still trailing data.
    const auto path = write_tfjs(dir, json::array({quantized("w", {2}, u8)}), "abc");
    QVERIFY(test::error_of([&] { models::read_tfjs_weights(path); }).find("1 unexpected trailing bytes") != std::string::npos);
  }
  // idealo's GAN-trained RRDN (@upscalerjs/models 0.9.0, uint8-quantized): its weights decode as
  // TF.js decodes them, and it upscales x4 in [0,1].
  void gansModelDecodesAndUpscales() {
    if (!test::require_model("esrgan-gans")) return;
    const fs::path json_path = test::esrgan_dir("esrgan-gans", 4) / "model.json";
    const auto w = models::read_tfjs_weights(json_path);
    QCOMPARE(w.size(), size_t{308});
    // Reference facts from node running decodeWeight's expression over the same files: first values
    // and the sum, in double and in manifest order, of all 4,176,100 decoded values.
    auto first = [&](const char* name, int k) { return bits_of(w.at(name).flatten().slice(0, 0, k).contiguous()); };
    QCOMPARE(first("F_10_1_1/kernel", 4), (std::vector<uint32_t>{0x3dbac600, 0xbd182f8e, 0x3cc1b0e3, 0xbd182f8e}));
    QCOMPARE(first("PreShuffle/kernel", 4), (std::vector<uint32_t>{0xbcb99071, 0xbd2df76a, 0xbc67f48d, 0xbda25e63}));
    QCOMPARE(first("SR/bias", 3), (std::vector<uint32_t>{0x3e640003, 0x3e43cccb, 0x3e295993}));
    std::ifstream f(json_path);
    const auto m = json::parse(f);
    double sum = 0;
    int64_t n = 0;
    for (const auto& e : m["weightsManifest"][0]["weights"]) {
      const auto& t = w.at(e["name"].get<std::string>());
      double s = 0;
      for (int64_t i = 0; i < t.numel(); ++i) s += t.data_ptr<float>()[i];
      sum += s;
      n += t.numel();
    }
    QCOMPARE(n, int64_t{4176100});
    QVERIFY2(sum == -20996.519292435085, std::to_string(sum).c_str());  // exact, not QCOMPARE's fuzzy compare

    c10::InferenceMode guard;
    models::KerasGraph graph(json_path);
    const auto cfg = models::EsrganConfig::from_graph(*graph);
    QCOMPARE(cfg.arch, std::string("rrdn"));
    QCOMPARE(cfg.scale, 4);
    QCOMPARE(cfg.value_range, 1.0f);  // idealo-gans.ts: input image / 255, output clipped to [0,1]
    auto r = Engine().backbone("esrgan-gans", 4, torch::kCPU, Precision::FP32);
    QCOMPARE(r->scale(), 4);
    QVERIFY_THROWS_EXCEPTION(InvalidInput, Engine().backbone("esrgan-gans", 2, torch::kCPU, Precision::FP32));
    SRRequest req;
    req.image = test::test_pattern(16, 16);
    req.tiles.tile = 0;
    const auto raw = graph->forward(req.image);
    QCOMPARE(raw.sizes().vec(), (std::vector<int64_t>{1, 3, 64, 64}));
    QVERIFY(torch::isfinite(raw).all().item<bool>());
    // The raw output is on the [0,1] scale, with the GAN's overshoot at dark edges (measured
    // -0.115 .. 0.980 here; -0.13 .. 0.99 for 24x20 and 32x32): not [0,255], not a constant.
    QVERIFY2(raw.min().item<float>() > -0.3f && raw.max().item<float>() < 1.3f && raw.max().item<float>() > 0.8f,
             (std::to_string(raw.min().item<float>()) + " .. " + std::to_string(raw.max().item<float>())).c_str());
    const auto y = r->upscale(req, {});
    QCOMPARE(y.sizes().vec(), (std::vector<int64_t>{1, 3, 64, 64}));
    QVERIFY(torch::isfinite(y).all().item<bool>());
    QVERIFY(y.min().item<float>() >= 0.0f && y.max().item<float>() <= 1.0f);
    // Brought back down (Pillow's bicubic, antialiased), the x4 output is the smooth input again:
    // measured 31.7 dB (32.1 / 32.5 dB at 24x20 / 32x32; a linear ramp: 38.6 dB).
    const double p = test::psnr(resize_float(y, 16, 16, Filter::Bicubic), req.image);
    QVERIFY2(p > 25 && p < 1e9, std::to_string(p).c_str());
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
