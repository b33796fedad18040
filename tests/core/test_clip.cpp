// SD3's CLIP text encoders and the CLIP BPE tokenizer against goldens written by transformers 5.17
// (tools/goldens/sd3_goldens.py): token ids for tricky strings from tokenizer/ and tokenizer_2/, and
// the encoders' penultimate / last / text_embeds outputs for the io ids, in fp32.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <fstream>
#include <sstream>

#include "coz/error.h"
#include "models/clip_text.h"
#include "test_util.h"
#include "text/clip_tokenizer.h"
#include "weights/weight_store.h"

using namespace coz;
namespace fs = std::filesystem;

namespace {

fs::path sd3() { return test::data_dir() / "goldens/sd3"; }

using coz::test::rel_err;

std::string ids_str(const std::vector<int64_t>& v) {
  std::ostringstream o;
  for (size_t i = 0; i < v.size(); ++i) o << (i ? "," : "") << v[i];
  return o.str();
}

// tokenizers.json: {"strings": [...], "clip_l": [[ids]...], "clip_g": [[ids]...], ...}, read with Qt.
struct TokenGoldens {
  std::vector<std::string> strings;
  std::vector<std::vector<int64_t>> clip_l, clip_g;
};
TokenGoldens read_token_goldens() {
  QFile f(QString::fromStdString((sd3() / "tokenizers.json").string()));
  if (!f.open(QIODevice::ReadOnly)) throw std::runtime_error("missing tokenizers.json");
  const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
  TokenGoldens g;
  for (const auto& s : o["strings"].toArray()) g.strings.push_back(s.toString().toStdString());
  auto ids = [&](const char* key, std::vector<std::vector<int64_t>>& out) {
    for (const auto& row : o[key].toArray()) {
      out.emplace_back();
      for (const auto& v : row.toArray()) out.back().push_back(v.toInteger());
    }
  };
  ids("clip_l", g.clip_l);
  ids("clip_g", g.clip_g);
  return g;
}

// Writes `store`'s tensors as a safetensors file, giving `reshaped` the shape `shape` (same bytes).
void write_safetensors(const weights::WeightStore& store, const fs::path& file, const std::string& reshaped,
                       const std::vector<int64_t>& shape) {
  std::ostringstream header;
  std::string data;
  header << "{";
  bool first = true;
  for (const auto& name : store.names()) {
    auto t = store.get(name).contiguous();
    const char* dt = t.scalar_type() == torch::kHalf ? "F16" : t.scalar_type() == torch::kBFloat16 ? "BF16" : "F32";
    const auto dims = name == reshaped ? shape : t.sizes().vec();
    const size_t begin = data.size(), n = t.numel() * t.element_size();
    data.append(static_cast<const char*>(t.data_ptr()), n);
    header << (first ? "" : ",") << "\"" << name << "\":{\"dtype\":\"" << dt << "\",\"shape\":[";
    for (size_t i = 0; i < dims.size(); ++i) header << (i ? "," : "") << dims[i];
    header << "],\"data_offsets\":[" << begin << "," << begin + n << "]}";
    first = false;
  }
  header << "}";
  std::string h = header.str();
  h.append((8 - h.size() % 8) % 8, ' ');
  const uint64_t len = h.size();
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(&len), 8);  // little-endian hosts only (x86, arm64)
  out << h << data;
}

}  // namespace

class TestClip : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  fs::path tmp(const std::string& n) { return fs::path(dir_.path().toStdString()) / n; }

  void check_encoder(const char* sub, const char* key) {
    c10::InferenceMode guard;
    auto model = models::load_clip_text(sd3() / "pipeline" / sub, torch::kCPU, torch::kFloat32);
    auto io = weights::WeightStore::open(sd3() / "io.safetensors");
    const std::string k = key;
    const auto out = model->forward(io.get(k + ".ids"));
    const double e_pen = rel_err(out.penultimate, io.get(k + ".penultimate"));
    const double e_last = rel_err(out.last, io.get(k + ".last"));
    const double e_emb = rel_err(out.text_embeds, io.get(k + ".text_embeds"));
    qInfo("%s: max rel error penultimate %.3g, last %.3g, text_embeds %.3g", key, e_pen, e_last, e_emb);
    QCOMPARE(out.penultimate.sizes().vec(), io.get(k + ".penultimate").sizes().vec());
    QCOMPARE(out.text_embeds.sizes().vec(), io.get(k + ".text_embeds").sizes().vec());
    QVERIFY2(e_pen <= 1e-4, std::to_string(e_pen).c_str());
    QVERIFY2(e_last <= 1e-4, std::to_string(e_last).c_str());
    QVERIFY2(e_emb <= 1e-4, std::to_string(e_emb).c_str());
  }

 private Q_SLOTS:
  void tokenizersMatchGoldens() {
    const auto g = read_token_goldens();
    QCOMPARE(g.strings.size(), size_t{15});
    const auto l = text::CLIPTokenizer::from_folder(sd3() / "pipeline/tokenizer");
    const auto gg = text::CLIPTokenizer::from_folder(sd3() / "pipeline/tokenizer_2");
    QCOMPARE(l.bos_id(), int64_t{932});
    QCOMPARE(l.eos_id(), int64_t{933});
    QCOMPARE(l.pad_id(), int64_t{933});  // "<|endoftext|>"
    QCOMPARE(gg.pad_id(), int64_t{0});   // "!"
    QCOMPARE(l.vocab_size(), size_t{934});
    for (size_t i = 0; i < g.strings.size(); ++i) {
      const auto a = l.encode(g.strings[i]), b = gg.encode(g.strings[i]);
      QCOMPARE(a.size(), size_t{77});
      const std::string msg = "string " + std::to_string(i) + " \"" + g.strings[i] + "\"\n ours " + ids_str(a) +
                              "\n ref  " + ids_str(g.clip_l[i]);
      QVERIFY2(a == g.clip_l[i], msg.c_str());
      const std::string msg2 =
          "string " + std::to_string(i) + " (tokenizer_2)\n ours " + ids_str(b) + "\n ref  " + ids_str(g.clip_g[i]);
      QVERIFY2(b == g.clip_g[i], msg2.c_str());
    }
  }

  void tokenizerTruncatesAndRejects() {
    const auto l = text::CLIPTokenizer::from_folder(sd3() / "pipeline/tokenizer");
    // "a cat" = 320 555; a short max_length keeps BOS and EOS.
    QCOMPARE(l.tokenize("a cat"), (std::vector<int64_t>{320, 555}));
    QCOMPARE(l.encode("a cat a cat", 4), (std::vector<int64_t>{932, 320, 555, 933}));
    QCOMPARE(l.encode("", 2), (std::vector<int64_t>{932, 933}));
    // NFD input is composed first (e + U+0301 == é), and invalid UTF-8 does not throw.
    QCOMPARE(l.tokenize("cafe\xcc\x81"), l.tokenize("caf\xc3\xa9"));
    QVERIFY(!l.tokenize("bad \xff\xfe bytes").empty());
    bool threw = false;
    try {
      l.encode("x", 1);
    } catch (const InvalidInput&) {
      threw = true;
    }
    QVERIFY(threw);
    // A broken folder names the missing file.
    fs::create_directories(tmp("tok"));
    fs::copy_file(sd3() / "pipeline/tokenizer/vocab.json", tmp("tok/vocab.json"));
    fs::copy_file(sd3() / "pipeline/tokenizer/special_tokens_map.json", tmp("tok/special_tokens_map.json"));
    std::string msg;
    try {
      text::CLIPTokenizer::from_folder(tmp("tok"));
    } catch (const ModelLoadError& e) {
      msg = e.what();
    }
    QVERIFY2(msg.find("merges.txt") != std::string::npos, msg.c_str());
  }

  void readsConfigs() {
    const auto l = models::CLIPTextConfig::from_json(sd3() / "pipeline/text_encoder/config.json");
    QCOMPARE(l.hidden_size, int64_t{32});
    QCOMPARE(l.num_hidden_layers, int64_t{3});
    QCOMPARE(l.hidden_act, std::string("quick_gelu"));
    QCOMPARE(l.eos_token_id, int64_t{933});
    const auto g = models::CLIPTextConfig::from_json(sd3() / "pipeline/text_encoder_2/config.json");
    QCOMPARE(g.hidden_size, int64_t{48});
    QCOMPARE(g.hidden_act, std::string("gelu"));
    QCOMPARE(g.projection_dim, int64_t{48});
    QCOMPARE(models::CLIPTextConfig{}.hidden_size, int64_t{768});  // real CLIP-L defaults
  }

  void clipLMatchesGolden() { check_encoder("text_encoder", "clip_l"); }
  void clipGMatchesGolden() { check_encoder("text_encoder_2", "clip_g"); }

  void tokenizerFeedsEncoder() {
    // The io ids are the tokenization of meta.json's clip_prompt.
    auto io = weights::WeightStore::open(sd3() / "io.safetensors");
    const std::string prompt = "3D CG rendering, animal, cat, close-up";
    const auto l = text::CLIPTokenizer::from_folder(sd3() / "pipeline/tokenizer").encode(prompt);
    const auto g = text::CLIPTokenizer::from_folder(sd3() / "pipeline/tokenizer_2").encode(prompt);
    auto as_vec = [](const torch::Tensor& t) {
      auto c = t.contiguous();
      return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
    };
    QCOMPARE(l, as_vec(io.get("clip_l.ids")));
    QCOMPARE(g, as_vec(io.get("clip_g.ids")));
  }

  void legacyEosPoolsAtArgmax() {
    // Configs with eos_token_id 2 (openai CLIP-L, SD3's text_encoder) pool at argmax(ids).
    fs::create_directories(tmp("legacy"));
    fs::copy_file(sd3() / "pipeline/text_encoder/model.safetensors", tmp("legacy/model.safetensors"));
    std::ifstream in(sd3() / "pipeline/text_encoder/config.json");
    std::string cfg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t at = cfg.find("\"eos_token_id\": 933");
    QVERIFY(at != std::string::npos);
    cfg.replace(at, 19, "\"eos_token_id\": 2");
    std::ofstream(tmp("legacy/config.json")) << cfg;
    c10::InferenceMode guard;
    auto model = models::load_clip_text(tmp("legacy"), torch::kCPU, torch::kFloat32);
    QCOMPARE(model->config().eos_token_id, int64_t{2});
    auto io = weights::WeightStore::open(sd3() / "io.safetensors");
    const double e = rel_err(model->forward(io.get("clip_l.ids")).text_embeds, io.get("clip_l.text_embeds"));
    QVERIFY2(e <= 1e-4, std::to_string(e).c_str());
  }

  void wrongShapeNamesTheTensor() {
    fs::create_directories(tmp("bad"));
    fs::copy_file(sd3() / "pipeline/text_encoder_2/config.json", tmp("bad/config.json"));
    const auto store = weights::WeightStore::open(sd3() / "pipeline/text_encoder_2");
    const std::string name = "text_model.encoder.layers.1.mlp.fc1.weight";
    QCOMPARE(store.entry(name).shape, (std::vector<int64_t>{96, 48}));
    write_safetensors(store, tmp("bad/model.safetensors"), name, {48, 96});
    std::string msg;
    try {
      models::load_clip_text(tmp("bad"), torch::kCPU, torch::kFloat32);
    } catch (const ModelLoadError& e) {
      msg = e.what();
    }
    QVERIFY2(msg.find("tensor " + name + " has shape [48,96], expected [96,48]") != std::string::npos, msg.c_str());
    QVERIFY2(msg.find("model.safetensors") != std::string::npos, msg.c_str());
    // The same file with the right shape loads (the writer itself is not the problem).
    write_safetensors(store, tmp("bad/model.safetensors"), "", {});
    models::load_clip_text(tmp("bad"), torch::kCPU, torch::kFloat32);
    // Token ids longer than the position table are rejected.
    auto model = models::load_clip_text(sd3() / "pipeline/text_encoder", torch::kCPU, torch::kFloat32);
    bool threw = false;
    try {
      model->forward(torch::zeros({1, 78}, torch::kLong));
    } catch (const InvalidInput&) {
      threw = true;
    }
    QVERIFY(threw);
  }
};

QTEST_GUILESS_MAIN(TestClip)
#include "test_clip.moc"
