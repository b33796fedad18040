// The SD3 MMDiT against diffusers' SD3Transformer2DModel on a tiny random-weight model
// (tools/goldens/sd3_goldens.py: 3 blocks, 4 heads x 8, fp16-rounded weights run in fp32), plus
// CoZ's fp16 modulation rounding (REFERENCE 1.8) and loader errors.
#include <nlohmann/json.hpp>

#include <QTemporaryDir>

#include <cstring>
#include <functional>

#include "coz/error.h"
#include "models/sd3_mmdit.h"
#include "test_util.h"
#include "weights/weight_store.h"

using namespace coz;
using namespace coz::models;
namespace fs = std::filesystem;

namespace {
fs::path sd3_dir() { return test::data_dir() / "goldens/sd3"; }
fs::path tr_dir() { return sd3_dir() / "pipeline/transformer"; }

using coz::test::rel_err;

std::string load_error(const fs::path& folder) { return test::error_of([&] { load_sd3_transformer(folder, torch::kCPU, torch::kFloat32); }); }

// Sets every AdaLayerNormZero linear (norm1 of all blocks, norm1_context of all but the last) to
// weight 0 and bias `bias_of(block, is_context)`.
void set_ada_zero_bias(SD3Transformer& m, const std::function<torch::Tensor(int64_t, bool)>& bias_of) {
  torch::NoGradGuard ng;
  const int64_t n = m->config().num_layers;
  for (int64_t i = 0; i < n; ++i) {
    auto& blk = *m->transformer_blocks[i]->as<sd3::JointTransformerBlockImpl>();
    for (bool ctx : {false, true}) {
      if (ctx && i == n - 1) continue;  // AdaLayerNormContinuous: not adapted
      auto& lin = ctx ? blk.norm1_context->linear : blk.norm1->linear;
      lin->weight.zero_();
      lin->bias.copy_(bias_of(i, ctx));
    }
  }
}
}  // namespace

class TestSd3Mmdit : public QObject {
  Q_OBJECT
  weights::WeightStore io_ = weights::WeightStore::open(sd3_dir() / "io.safetensors");
  QTemporaryDir dir_;
  torch::Tensor in(const char* n) { return io_.get(n).to(torch::kFloat32); }
  torch::Tensor run(SD3Transformer& m, double t) {
    c10::InferenceMode guard;
    return m->forward(in("tr.hidden"), torch::full({1}, t), in("tr.context"), in("tr.pooled"));
  }

 private Q_SLOTS:
  void readsConfig() {
    const auto c = SD3TransformerConfig::from_json(tr_dir() / "config.json");
    QCOMPARE(c.num_layers, int64_t{3});
    QCOMPARE(c.attention_head_dim, int64_t{8});
    QCOMPARE(c.num_attention_heads, int64_t{4});
    QCOMPARE(c.joint_attention_dim, int64_t{96});
    QCOMPARE(c.caption_projection_dim, int64_t{32});
    QCOMPARE(c.pooled_projection_dim, int64_t{80});
    QCOMPARE(c.pos_embed_max_size, int64_t{24});
    QCOMPARE(c.sample_size, int64_t{16});
    const SD3TransformerConfig d;  // SD3.0-medium defaults
    QCOMPARE(d.inner_dim(), int64_t{1536});
    QCOMPARE(d.pos_embed_max_size, int64_t{192});
    // SD3.5 features are refused with the file and key named.
    const fs::path p = fs::path(dir_.path().toStdString()) / "sd35.json";
    auto j = nlohmann::json::parse(std::ifstream(tr_dir() / "config.json"));
    j["dual_attention_layers"] = {0, 1};
    std::ofstream(p) << j.dump();
    std::string msg;
    try {
      SD3TransformerConfig::from_json(p);
    } catch (const ModelLoadError& e) {
      msg = e.what();
    }
    QVERIFY2(msg.find("dual_attention_layers") != std::string::npos && msg.find("sd35.json") != std::string::npos, msg.c_str());
  }

  void matchesDiffusers() {
    auto m = load_sd3_transformer(tr_dir(), torch::kCPU, torch::kFloat32);
    QCOMPARE(m->transformer_blocks->size(), size_t{3});
    for (auto [t, name] : {std::pair<double, const char*>{1000.0, "tr.out_t1000"}, {437.5, "tr.out_t437"}}) {
      const auto want = in(name);
      const auto got = run(m, t);
      QCOMPARE(got.sizes().vec(), want.sizes().vec());
      const double err = rel_err(got, want);
      qInfo("t=%g: max rel error %.3g", t, err);
      QVERIFY2(err <= 1e-4, (std::string(name) + ": rel error " + std::to_string(err)).c_str());
    }
    // A batch of two with a timestep each gives the same rows (batching, timestep per sample, cache reuse).
    c10::InferenceMode guard;
    const auto h = in("tr.hidden").repeat({2, 1, 1, 1}), c = in("tr.context").repeat({2, 1, 1});
    const auto got = m->forward(h, torch::tensor({1000.0f, 437.5f}), c, in("tr.pooled").repeat({2, 1}));
    const double e0 = rel_err(got[0], in("tr.out_t1000")[0]), e1 = rel_err(got[1], in("tr.out_t437")[0]);
    qInfo("batch of 2: max rel errors %.3g, %.3g", e0, e1);
    QVERIFY2(e0 <= 1e-4 && e1 <= 1e-4, (std::to_string(e0) + " " + std::to_string(e1)).c_str());
    // Latents the positional table cannot cover are refused.
    bool refused = false;
    try {
      m->forward(torch::zeros({1, 16, 50, 50}), torch::full({1}, 1.0), in("tr.context"), in("tr.pooled"));
    } catch (const InvalidInput&) {
      refused = true;
    }
    QVERIFY(refused);
  }

  void positionalTableIsCroppedAtTheCentre() {
    // The stored table is diffusers' get_2d_sincos_pos_embed(D, 24, base_size 8): channels [0, D/2)
    // encode the column, [D/2, D) the row, each half [sin(pos*w_k), cos(pos*w_k)], w_k =
    // 10000^(-k/(D/4)), pos = index / 3. A non-square 4x6 token grid crops rows 10..13, columns 9..14.
    auto m = load_sd3_transformer(tr_dir(), torch::kCPU, torch::kFloat32);
    const int64_t D = m->config().inner_dim(), q = D / 4;
    c10::InferenceMode guard;
    const auto got = m->pos_embed->cropped(4, 6, torch::kCPU, torch::kFloat32).view({4, 6, D}).to(torch::kFloat64);
    const auto w = torch::pow(10000.0, -torch::arange(q, torch::kFloat64) / static_cast<double>(q));
    const auto col = (torch::arange(6, torch::kFloat64) + 9).div(3).view({1, 6, 1}) * w;
    const auto row = (torch::arange(4, torch::kFloat64) + 10).div(3).view({4, 1, 1}) * w;
    const auto want = torch::cat({col.sin().expand({4, 6, q}), col.cos().expand({4, 6, q}), row.sin().expand({4, 6, q}),
                                  row.cos().expand({4, 6, q})}, -1);
    const double err = test::max_abs(got, want);
    qInfo("cropped 4x6 table vs sin-cos formula: max abs error %.3g (fp16 storage)", err);
    QVERIFY2(err < 1e-3, std::to_string(err).c_str());
    // A non-square latent runs through and keeps its shape.
    const auto out = m->forward(torch::randn({1, 16, 8, 12}), torch::full({1}, 500.0), in("tr.context"), in("tr.pooled"));
    QCOMPARE(out.sizes().vec(), (std::vector<int64_t>{1, 16, 8, 12}));
    QVERIFY(torch::isfinite(out).all().item<bool>());
  }

  void qkvFusionIsOnlyALayoutChange() {
    auto m = load_sd3_transformer(tr_dir(), torch::kCPU, torch::kFloat32);
    auto attn = [&](size_t i) { return m->transformer_blocks[i]->as<sd3::JointTransformerBlockImpl>()->attn; };
    QVERIFY(attn(0)->qkv_fused() && attn(2)->qkv_fused());
    const auto fused = run(m, 1000.0);
    m->fuse_qkv(false);
    QVERIFY(!attn(0)->qkv_fused());
    const auto separate = run(m, 1000.0);
    const double e = rel_err(separate, fused), g = rel_err(separate, in("tr.out_t1000"));
    qInfo("separate q/k/v GEMMs vs fused: rel difference %.3g; vs golden %.3g", e, g);
    QVERIFY2(e <= 1e-6 && g <= 1e-4, (std::to_string(e) + " " + std::to_string(g)).c_str());
    // Fused parameters stay live views: an in-place weight change reaches the fused GEMM.
    m->fuse_qkv(true);
    {
      torch::NoGradGuard ng;
      attn(1)->to_k->weight.mul_(0.5);
    }
    QVERIFY(attn(1)->qkv_fused());
    const auto changed = run(m, 1000.0);
    m->fuse_qkv(false);
    const double e2 = rel_err(run(m, 1000.0), changed);
    QVERIFY2(e2 <= 1e-6 && rel_err(changed, fused) > 1e-3, std::to_string(e2).c_str());
    // Moving the module ends the fusion; forward falls back to separate GEMMs.
    m->fuse_qkv(true);
    m->to(torch::kFloat64);
    QVERIFY(!attn(0)->qkv_fused());
    QCOMPARE(run(m, 1000.0).scalar_type(), torch::kFloat64);
  }

  void halfModulationRoundsOnlyTheAdaLayerNormZeroOutputs() {
    auto m = load_sd3_transformer(tr_dir(), torch::kCPU, torch::kFloat32);
    const auto plain = run(m, 1000.0);
    m->set_half_modulation(true);
    const auto half = run(m, 1000.0);
    const double drift = rel_err(half, plain);
    qInfo("half modulation vs fp32 on the golden weights: rel difference %.3g", drift);
    QVERIFY2(drift > 1e-6 && drift < 1e-2, std::to_string(drift).c_str());

    // Modulation values that fp16 holds exactly (multiples of 1/64, |v| <= 0.5, so 1 + scale too):
    // rounding must change nothing, although norm1_context of the last block and norm_out (not
    // adapted, generic fp32 values) are left as loaded.
    torch::manual_seed(7);
    const int64_t D = m->config().inner_dim();
    std::map<std::pair<int64_t, bool>, torch::Tensor> bias;
    set_ada_zero_bias(m, [&](int64_t i, bool ctx) {
      return bias[{i, ctx}] = torch::randint(-32, 33, {6 * D}).to(torch::kFloat32) / 64.0;
    });
    m->set_half_modulation(false);
    const auto exact_plain = run(m, 437.5);
    m->set_half_modulation(true);
    const auto exact_half = run(m, 437.5);
    QVERIFY(torch::equal(exact_plain, exact_half));

    // Generic values: the half model must equal the fp32 model whose biases are pre-rounded the way
    // CoZ's LoRA layers round them: shift/gate -> fp16; scale -> fp16(1 + fp16(scale)) - 1.
    auto rounded = [&](const torch::Tensor& b) {
      auto r = b.to(torch::kHalf).to(torch::kFloat32).view({6, D}).clone();
      for (int k : {1, 4}) r[k].copy_((b.view({6, D})[k].to(torch::kHalf) + 1).to(torch::kFloat32) - 1);
      return r.view({6 * D});
    };
    std::map<std::pair<int64_t, bool>, torch::Tensor> generic;
    set_ada_zero_bias(m, [&](int64_t i, bool ctx) { return generic[{i, ctx}] = torch::randn({6 * D}) * 0.3; });
    m->set_half_modulation(true);
    const auto generic_half = run(m, 437.5);
    set_ada_zero_bias(m, [&](int64_t i, bool ctx) { return rounded(generic[{i, ctx}]); });
    m->set_half_modulation(false);
    const auto emulated = run(m, 437.5);
    const auto unrounded = [&] {
      set_ada_zero_bias(m, [&](int64_t i, bool ctx) { return generic[{i, ctx}]; });
      return run(m, 437.5);
    }();
    const double e = rel_err(generic_half, emulated), d = rel_err(generic_half, unrounded);
    qInfo("generic modulation: half vs pre-rounded fp32 %.3g, half vs unrounded fp32 %.3g", e, d);
    QVERIFY2(torch::equal(generic_half, emulated), std::to_string(e).c_str());
    QVERIFY2(d > 1e-5, std::to_string(d).c_str());
  }

  void wrongShapeNamesTensorAndShapes() {
    // A copy of the folder whose header declares to_k of block 1 as [16,64] (same byte count).
    const fs::path dst = fs::path(dir_.path().toStdString()) / "transformer";
    fs::create_directories(dst);
    fs::copy_file(tr_dir() / "config.json", dst / "config.json");
    std::ifstream f(tr_dir() / "diffusion_pytorch_model.safetensors", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);
    auto header = nlohmann::json::parse(bytes.substr(8, n));
    header["transformer_blocks.1.attn.to_k.weight"]["shape"] = {16, 64};
    const std::string h2 = header.dump();
    const uint64_t n2 = h2.size();
    std::ofstream o(dst / "diffusion_pytorch_model.safetensors", std::ios::binary);
    o.write(reinterpret_cast<const char*>(&n2), 8);
    o << h2 << bytes.substr(8 + n);
    o.close();
    const std::string msg = load_error(dst);
    qInfo("%s", msg.c_str());
    QVERIFY2(msg.find("transformer_blocks.1.attn.to_k.weight has shape [16,64], expected [32,32]") != std::string::npos, msg.c_str());
    QVERIFY2(msg.find("diffusion_pytorch_model.safetensors") != std::string::npos, msg.c_str());
    // No config.json: the error names it.
    fs::remove(dst / "config.json");
    const std::string m2 = load_error(dst);
    QVERIFY2(m2.find("config.json") != std::string::npos, m2.c_str());
  }
};

QTEST_GUILESS_MAIN(TestSd3Mmdit)
#include "test_sd3_mmdit.moc"
