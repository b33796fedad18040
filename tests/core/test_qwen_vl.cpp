// Qwen2.5-VL on a tiny random-weight configuration against transformers 5.17
// (tools/goldens/qwen_goldens.py, tests/data/goldens/qwen/): the image path, the vision tower, the
// prefill logits, the M-RoPE positions and the generated ids of CoZ's one- and two-image prompts
// (fast and exact paths), the token choice of the logits processors, and the folders a user can get
// wrong.
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <limits>
#include <map>

#include "coz/error.h"
#include "coz/imageio.h"
#include "models/qwen_vl.h"
#include "models/qwen_vl_parts.h"
#include "test_util.h"
#include "weights/weight_store.h"

using namespace coz;
using namespace coz::models;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {
fs::path g() { return test::data_dir() / "goldens/qwen"; }
json prompts() {
  std::ifstream f(g() / "prompts.json");
  return json::parse(f);
}
torch::Tensor image(const std::string& name) { return io::read_image((g() / name).string()).rgb; }
std::vector<QwenImage> images_of(const json& c, const QwenConfig& cfg) {
  std::vector<QwenImage> v;
  for (const auto& n : c["images"]) v.push_back(qwen_preprocess(image(n.get<std::string>()), cfg));
  return v;
}
// A copy of the model folder to damage.
fs::path copy_model(const QTemporaryDir& tmp) {
  const fs::path dst = fs::path(tmp.path().toStdString()) / "qwen";
  fs::create_directories(dst);
  for (const auto& e : fs::directory_iterator(g())) fs::copy_file(e.path(), dst / e.path().filename());
  return dst;
}
}  // namespace

class TestQwenVL : public QObject {
  Q_OBJECT
  weights::WeightStore io_ = weights::WeightStore::open_safetensors(g() / "io.safetensors");
  std::shared_ptr<QwenVL> m_;

 private Q_SLOTS:
  void initTestCase() { m_ = QwenVL::load(g()); }

  void configFromTheFolder() {
    const auto& c = m_->config();
    QCOMPARE(c.text.hidden, int64_t{64});
    QCOMPARE(c.text.layers, int64_t{2});
    QCOMPARE(c.text.kv_heads, int64_t{2});
    QVERIFY((c.text.mrope_section == std::vector<int64_t>{2, 3, 3}));
    QVERIFY(c.text.tied);
    QCOMPARE(c.vision.depth, int64_t{2});
    QVERIFY((c.vision.fullatt_blocks == std::vector<int64_t>{1}));
    QCOMPARE(c.generation.repetition_penalty, 1.05);
    QCOMPARE(c.generation.eos.size(), size_t{2});
    QCOMPARE(c.text.image_token, *m_->tokenizer().token_id("<|image_pad|>"));
    // The real checkpoint's defaults.
    const QwenConfig real;
    QCOMPARE(real.text.head_dim(), int64_t{128});
    QCOMPARE(real.vision.hidden / real.vision.heads, int64_t{80});
  }

  // qwen-vl-utils' rule, with Python's round-half-to-even and the resize-up of small images.
  void smartResize() {
    QCOMPARE(qwen_smart_resize(512, 512, 28, 3136, 12845056), std::make_pair(int64_t{504}, int64_t{504}));
    QCOMPARE(qwen_smart_resize(70, 42, 28, 3136, 12845056), std::make_pair(int64_t{56}, int64_t{56}));  // 2.5 -> 2, 1.5 -> 2
    QCOMPARE(qwen_smart_resize(150, 200, 28, 3136, 12845056), std::make_pair(int64_t{140}, int64_t{196}));
    QCOMPARE(qwen_smart_resize(20, 30, 28, 3136, 12845056), std::make_pair(int64_t{56}, int64_t{84}));  // resized up
    QCOMPARE(qwen_smart_resize(1, 1, 28, 3136, 12845056), std::make_pair(int64_t{56}, int64_t{56}));
    // Past max_pixels (values from qwen-vl-utils' own formula, run in Python).
    QCOMPARE(qwen_smart_resize(10000, 8000, 28, 3136, 1003520), std::make_pair(int64_t{1120}, int64_t{896}));
    QCOMPARE(qwen_smart_resize(10001, 7999, 28, 3136, 1003520), std::make_pair(int64_t{1120}, int64_t{868}));
    QCOMPARE(qwen_smart_resize(3000, 17, 28, 3136, 1003520), std::make_pair(int64_t{2996}, int64_t{28}));
    const auto e = test::error_of([] { qwen_smart_resize(10, 2500, 28, 3136, 12845056); });
    QVERIFY2(e.find("aspect ratio") != std::string::npos && e.find("2500x10") != std::string::npos, e.c_str());
  }

  // Pixel rows as Qwen2VLImageProcessor makes them, after qwen-vl-utils' bicubic resize.
  void preprocessMatchesTheImageProcessor() {
    const json p = prompts();
    for (const char* c : {"one", "two"}) {
      const auto imgs = images_of(p[c], m_->config());
      std::vector<torch::Tensor> rows;
      for (size_t i = 0; i < imgs.size(); ++i) {
        const auto& grid = p[c]["grid_thw"][i];
        QCOMPARE(imgs[i].grid_t, grid[0].get<int64_t>());
        QCOMPARE(imgs[i].grid_h, grid[1].get<int64_t>());
        QCOMPARE(imgs[i].grid_w, grid[2].get<int64_t>());
        rows.push_back(imgs[i].patches());
      }
      const auto want = io_.get(std::string(c) + ".pixel_values");
      const auto got = torch::cat(rows);
      QCOMPARE(got.sizes().vec(), want.sizes().vec());
      const double e = test::max_abs(got, want);
      qInfo("%s: pixel rows %lld x %lld, max abs err %.2e", c, static_cast<long long>(got.size(0)),
            static_cast<long long>(got.size(1)), e);
      QVERIFY2(e == 0, std::to_string(e).c_str());  // bit for bit: bf16 runs start from the same input
    }
  }

  void promptIdsAndPositions() {
    const json p = prompts();
    for (const char* c : {"one", "two"}) {
      const auto imgs = images_of(p[c], m_->config());
      const std::string system = p[c]["system"];
      QCOMPARE(QwenVL::chat_text(system, static_cast<int>(imgs.size())), p[c]["text"].get<std::string>());
      const auto ids = m_->prompt_ids(system, imgs);
      QVERIFY(ids == p[c]["input_ids"].get<std::vector<int64_t>>());
      const auto [pos, delta] = m_->rope_index(ids, imgs);
      QCOMPARE(delta, p[c]["rope_delta"].get<int64_t>());
      QVERIFY(torch::equal(pos, io_.get(std::string(c) + ".positions")));
    }
  }

  // fp32: vision features and prefill logits within 1e-4 of the reference's maximum.
  void visionAndLogitsMatchTransformers() {
    const json p = prompts();
    for (const char* c : {"one", "two"}) {
      const auto imgs = images_of(p[c], m_->config());
      const auto ids = p[c]["input_ids"].get<std::vector<int64_t>>();
      const auto feats = m_->vision(imgs).to(torch::kFloat32);
      const auto logits = m_->prefill_logits(ids, imgs);
      const auto want = io_.get(std::string(c) + ".logits");
      QCOMPARE(logits.sizes().vec(), want.sizes().vec());
      const double ev = test::rel_err(feats, io_.get(std::string(c) + ".vision"));
      const double el = test::rel_err(logits, want);
      qInfo("%s: vision rel. err %.2e, logits %.2e", c, ev, el);
      QVERIFY2(ev <= 1e-4, std::to_string(ev).c_str());
      QVERIFY2(el <= 1e-4, std::to_string(el).c_str());
    }
  }

  // Greedy over the repetition-penalised logits (generation_config.json) = transformers' generate,
  // id for id, and the same text.
  void generateMatchesTransformers() {
    const json p = prompts();
    for (const char* c : {"one", "two"}) {
      const auto imgs = images_of(p[c], m_->config());
      const auto ids = p[c]["input_ids"].get<std::vector<int64_t>>();
      QwenGenerateOptions o;
      o.max_new_tokens = p[c]["max_new_tokens"].get<int64_t>();
      QwenTimings t;
      const auto got = m_->generate(ids, imgs, o, nullptr, &t);
      QVERIFY2(got == p[c]["generated_ids"].get<std::vector<int64_t>>(), c);
      QCOMPARE(t.new_tokens, o.max_new_tokens);
      QCOMPARE(t.prompt_tokens, static_cast<int64_t>(ids.size()));
      QCOMPARE(m_->tokenizer().decode(got), p[c]["generated_text"].get<std::string>());
    }
    // describe() = the same path from the system text and images, until an EOS or the config's 128
    // tokens: its text starts with the reference's 24 tokens.
    const auto imgs = images_of(p["one"], m_->config());
    QwenTimings t;
    const std::string text = m_->describe(p["one"]["system"], imgs, nullptr, &t);
    QVERIFY(t.new_tokens >= 24);
    // Less a trailing U+FFFD: the 24th token may end inside a character the next tokens complete.
    std::string want = p["one"]["generated_text"];
    const std::string fffd = "\xef\xbf\xbd";
    while (want.size() >= 3 && want.compare(want.size() - 3, 3, fffd) == 0) want.resize(want.size() - 3);
    QVERIFY(want.size() >= 16);
    QVERIFY2(text.rfind(want, 0) == 0, text.c_str());
  }

  // The exact path (transformers' op sequence, cat-grown cache, no graph): the same ids, and its
  // intermediate tensors are the reference's vision features and logits.
  void exactPathMatchesTransformers() {
    const json p = prompts();
    for (const char* c : {"one", "two"}) {
      const auto imgs = images_of(p[c], m_->config());
      const auto ids = p[c]["input_ids"].get<std::vector<int64_t>>();
      QwenGenerateOptions o;
      o.max_new_tokens = p[c]["max_new_tokens"].get<int64_t>();
      o.exact = true;
      std::map<std::string, torch::Tensor> taps;
      o.on_tensor = [&](const std::string& name, const torch::Tensor& t) { taps[name] = t.clone(); };
      QwenTimings t;
      const auto got = m_->generate(ids, imgs, o, nullptr, &t);
      QVERIFY2(got == p[c]["generated_ids"].get<std::vector<int64_t>>(), c);
      QCOMPARE(t.new_tokens, o.max_new_tokens);
      const double ev = test::rel_err(taps.at("vision"), io_.get(std::string(c) + ".vision"));
      const auto want = io_.get(std::string(c) + ".logits");
      const double el = test::rel_err(taps.at("logits.0"), want[want.size(0) - 1]);
      qInfo("%s: exact path vision rel. err %.2e, last prefill logits %.2e", c, ev, el);
      QVERIFY2(ev <= 1e-4, std::to_string(ev).c_str());
      QVERIFY2(el <= 1e-4, std::to_string(el).c_str());
      const int64_t layers = m_->config().text.layers, L = static_cast<int64_t>(ids.size());
      QCOMPARE(taps.at("h.0.0").sizes().vec(), (std::vector<int64_t>{1, L, m_->config().text.hidden}));
      QCOMPARE(taps.at("h.1." + std::to_string(layers)).sizes().vec(), (std::vector<int64_t>{1, 1, m_->config().text.hidden}));
      QVERIFY(taps.count("logits." + std::to_string(o.max_new_tokens - 1)));
      QVERIFY(!taps.count("logits." + std::to_string(o.max_new_tokens)));
      int64_t patches = 0;
      for (const auto& im : imgs) patches += im.grid_t * im.grid_h * im.grid_w;
      QCOMPARE(taps.at("pixel_values").size(0), patches);
      // The parts qwen_compare.py reads: in a decode step each layer's output is its input plus the
      // attention's and then the MLP's output, bit for bit (the residual adds in the reference's
      // order); the last layer's parts lead to the final norm's input, which is not tapped.
      const std::string s = "." + std::to_string(o.max_new_tokens - 1);
      for (int64_t i = 0; i + 1 < layers; ++i) {
        const auto h = taps.at("h" + s + "." + std::to_string(i)), a = taps.at("attn" + s + "." + std::to_string(i)),
                   f = taps.at("mlp" + s + "." + std::to_string(i));
        QVERIFY2(torch::equal((h + a) + f, taps.at("h" + s + "." + std::to_string(i + 1))), std::to_string(i).c_str());
      }
      QVERIFY(!taps.count("attn.0.0"));  // the prefill's parts are not kept
      QCOMPARE(taps.at("cos" + s).size(-1), m_->config().text.head_dim());
      // The caches after the run: every prompt and generated position but the last id (never fed back).
      const int64_t kv = m_->config().text.kv_heads, hd = m_->config().text.head_dim();
      QCOMPARE(taps.at("k.0").sizes().vec(), (std::vector<int64_t>{1, kv, L + o.max_new_tokens - 1, hd}));
      QCOMPARE(taps.at("v." + std::to_string(layers - 1)).sizes().vec(),
               (std::vector<int64_t>{1, kv, L + o.max_new_tokens - 1, hd}));
    }
  }

  // The logits processors of transformers' sampling with CoZ's config: penalty on seen ids (divided
  // when positive, multiplied when negative), banned ids, temperature, then the maximum; equal maxima
  // go to the highest id when sampling with top_k 1 (top-p keeps the last of the stable ascending
  // sort) and to the lowest under plain greedy (argmax).
  void chooseFollowsTheLogitsProcessors() {
    QwenGenerationConfig g;
    g.repetition_penalty = 1.05;
    auto seen = torch::zeros({5}, torch::kBool);
    auto pick = [&](std::vector<float> v, const torch::Tensor& banned = {}) {
      return qwen_choose(torch::tensor(v), seen, banned, g).item<int64_t>();
    };
    QCOMPARE(pick({1.f, 3.f, 3.f, 2.f, 0.f}), int64_t{1});  // greedy: the first of equal maxima
    g.do_sample = true, g.temperature = 0.1;
    QCOMPARE(pick({1.f, 3.f, 3.f, 2.f, 0.f}), int64_t{2});  // sampling with top_k 1: the last
    seen[2] = true;                                         // 3 / 1.05 < 3
    QCOMPARE(pick({1.f, 3.f, 3.f, 2.f, 0.f}), int64_t{1});
    seen.zero_();
    seen[0] = true;  // -1 * 1.05 < -1.02
    QCOMPARE(pick({-1.f, -1.02f, -3.f, -4.f, -5.f}), int64_t{1});
    QCOMPARE(pick({1.f, 3.f, 3.f, 2.f, 0.f}, torch::tensor({1, 2}, torch::kInt64)), int64_t{3});
  }

  // Cancelled after the fifth token: the run stops there, and the next run is whole again.
  void cancelMidGeneration() {
    const json p = prompts();
    const auto imgs = images_of(p["one"], m_->config());
    const auto ids = p["one"]["input_ids"].get<std::vector<int64_t>>();
    std::atomic<bool> stop{false};
    RunControl ctl;
    ctl.cancel = &stop;
    int tokens = 0;
    QwenGenerateOptions o;
    o.max_new_tokens = 24;
    o.on_token = [&](int64_t) {
      if (++tokens == 5) stop = true;
    };
    QVERIFY_THROWS_EXCEPTION(Cancelled, m_->generate(ids, imgs, o, &ctl));
    QCOMPARE(tokens, 5);
    o.on_token = nullptr;
    QVERIFY(m_->generate(ids, imgs, o) == p["one"]["generated_ids"].get<std::vector<int64_t>>());
  }

  void missingShardIsNamed() {
    QTemporaryDir tmp;
    const auto dir = copy_model(tmp);
    fs::remove(dir / "model-00002-of-00002.safetensors");
    const auto e = test::error_of([&] { QwenVL::load(dir); });
    QVERIFY2(e.find("model-00002-of-00002.safetensors") != std::string::npos, e.c_str());
    QVERIFY_THROWS_EXCEPTION(ModelLoadError, QwenVL::load(dir));
  }

  void tokenizerOfAnotherFamilyIsRefused() {
    QTemporaryDir tmp;
    const auto dir = copy_model(tmp);
    // A T5-style (Unigram) tokenizer.json.
    std::ofstream(dir / "tokenizer.json") << R"({"version":"1.0","added_tokens":[],"normalizer":null,
      "pre_tokenizer":{"type":"Metaspace","replacement":"\u2581"},"decoder":{"type":"Metaspace"},
      "model":{"type":"Unigram","unk_id":2,"vocab":[["<pad>",0.0],["</s>",0.0],["<unk>",0.0],["a",-1.0]]}})";
    const auto e = test::error_of([&] { QwenVL::load(dir); });
    QVERIFY2(e.find("tokenizer.json") != std::string::npos, e.c_str());
    QVERIFY_THROWS_EXCEPTION(ModelLoadError, QwenVL::load(dir));
  }

  void wrongModelTypeIsRefused() {
    QTemporaryDir tmp;
    const auto dir = copy_model(tmp);
    json c = json::parse(std::ifstream(dir / "config.json"));
    c["model_type"] = "qwen2_vl";
    std::ofstream(dir / "config.json") << c.dump();
    const auto e = test::error_of([&] { QwenVL::load(dir); });
    QVERIFY2(e.find("config.json") != std::string::npos && e.find("qwen2_vl") != std::string::npos, e.c_str());
  }

  void foreignChatTemplateIsRefused() {
    QTemporaryDir tmp;
    const auto dir = copy_model(tmp);
    json c = json::parse(std::ifstream(dir / "tokenizer_config.json"));
    c["chat_template"] = "{% for m in messages %}[INST] {{ m['content'] }} [/INST]{% endfor %}";
    std::ofstream(dir / "tokenizer_config.json") << c.dump();
    const auto e = test::error_of([&] { QwenVL::load(dir); });
    QVERIFY2(e.find("tokenizer_config.json") != std::string::npos && e.find("chat template") != std::string::npos,
             e.c_str());
  }

  // A mis-shaped tensor is named with both shapes.
  void badTensorShapeIsNamed() {
    QTemporaryDir tmp;
    const auto dir = copy_model(tmp);
    json c = json::parse(std::ifstream(dir / "config.json"));
    c["intermediate_size"] = 128;
    std::ofstream(dir / "config.json") << c.dump();
    const auto e = test::error_of([&] { QwenVL::load(dir); });
    QVERIFY2(e.find("mlp.gate_proj.weight") != std::string::npos, e.c_str());
  }

  // Images below the 28-pixel grid are resized up; empty ones are refused with a clear error.
  void tinyAndEmptyImages() {
    const auto tiny = qwen_preprocess(torch::full({1, 3, 5, 7}, 0.5), m_->config());
    QCOMPARE(tiny.grid_h * 14 * tiny.grid_w * 14 >= 3136, true);
    QCOMPARE(tiny.grid_h % 2, int64_t{0});
    const auto e = test::error_of([&] { qwen_preprocess(torch::zeros({1, 3, 0, 4}), m_->config()); });
    QVERIFY2(e.find("empty") != std::string::npos, e.c_str());
    const auto e2 = test::error_of([&] { qwen_preprocess(torch::zeros({1, 4, 8, 8}), m_->config()); });
    QVERIFY2(e2.find("RGB") != std::string::npos, e2.c_str());
  }
};

QTEST_GUILESS_MAIN(TestQwenVL)
#include "test_qwen_vl.moc"
