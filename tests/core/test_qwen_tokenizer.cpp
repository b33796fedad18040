// The Qwen2 byte-level BPE tokenizer against goldens written by transformers from a small
// tokenizer.json built with the tokenizers library in Qwen2's pipeline (NFC, Qwen2's split regex,
// ByteLevel) with Qwen's added tokens (tools/goldens/qwen_goldens.py): ids and both decodes of
// tricky strings, the chat prompts with their image pads, and generated ids whose bytes are not all
// UTF-8. Then the merges in their other serialised form, the added-token flags, and the refusal of
// tokenizer.json files of other families, naming the file.
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <tuple>

#include "coz/error.h"
#include "json_file.h"
#include "test_util.h"
#include "text/byte_level.h"
#include "text/qwen_tokenizer.h"
#include "text/unicode.h"

using namespace coz;
namespace fs = std::filesystem;
using json = nlohmann::json;
using text::QwenTokenizer;

namespace {

fs::path qwen() { return test::data_dir() / "goldens/qwen"; }

std::string ids_str(const std::vector<int64_t>& v) { return json(v).dump(); }

// The message of the ModelLoadError that fn throws ("" when it throws none or another error).
std::string load_error(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ModelLoadError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("not a ModelLoadError: ") + e.what();
  }
  return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

class TestQwenTokenizer : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  json file_;   // the goldens' tokenizer.json
  json cases_;  // [{text, ids, decoded, decoded_all}]

  fs::path tmp(const std::string& name) const { return fs::path(tmp_.path().toStdString()) / name; }
  fs::path write(const std::string& name, const json& j) const {
    std::ofstream(tmp(name)) << j.dump(1);
    return tmp(name);
  }
  int64_t added_id(const std::string& content) const {
    for (const auto& t : file_["added_tokens"])
      if (t["content"] == content) return t["id"].get<int64_t>();
    throw std::runtime_error("no added token " + content);
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    file_ = read_json_file(qwen() / "tokenizer.json");
    cases_ = read_json_file(qwen() / "tokenizer_cases.json");
    QVERIFY(cases_.size() >= 30);
  }

  void matchesTransformers() {
    const auto tok = QwenTokenizer::from_file(qwen() / "tokenizer.json");
    for (const auto& c : cases_) {
      const std::string text = c["text"].get<std::string>();
      const auto want = c["ids"].get<std::vector<int64_t>>();
      const auto got = tok.encode(text);
      QVERIFY2(got == want, (json(text).dump() + ": got " + ids_str(got) + ", want " + ids_str(want)).c_str());
      QCOMPARE(tok.decode(want), c["decoded"].get<std::string>());
      QCOMPARE(tok.decode(want, false), c["decoded_all"].get<std::string>());
    }
    // Added tokens and vocabulary tokens by name; size counts both.
    QCOMPARE(tok.token_id("<|im_start|>"), std::optional<int64_t>(added_id("<|im_start|>")));
    QCOMPARE(tok.token_id("</tool_call>"), std::optional<int64_t>(added_id("</tool_call>")));
    QCOMPARE(tok.token_id("\xC4\x8A"), std::optional<int64_t>(file_["model"]["vocab"]["\xC4\x8A"].get<int64_t>()));  // "Ċ" = "\n"
    QCOMPARE(tok.token_id("<|no_such_token|>"), std::optional<int64_t>());
    QCOMPARE(tok.size(), file_["model"]["vocab"].size() + file_["added_tokens"].size());
  }

  void chatPromptsMatchTransformers() {
    // CoZ's two prompts (REFERENCE §4.5) with each <|image_pad|> expanded to grid_t*gh*gw/4 copies,
    // and the generated ids decoded (their bytes are not all UTF-8: U+FFFD where Python puts it).
    const auto tok = QwenTokenizer::from_file(qwen() / "tokenizer.json");
    const json prompts = read_json_file(qwen() / "prompts.json");
    const int64_t pad = added_id("<|image_pad|>");
    for (const auto& [name, p] : prompts.items()) {
      std::vector<int64_t> expanded;
      size_t image = 0;
      for (int64_t id : tok.encode(p["text"].get<std::string>())) {
        if (id != pad) {
          expanded.push_back(id);
          continue;
        }
        const auto g = p["grid_thw"][image++].get<std::vector<int64_t>>();
        expanded.insert(expanded.end(), g[0] * g[1] * g[2] / 4, pad);
      }
      QVERIFY2(expanded == p["input_ids"].get<std::vector<int64_t>>(), (name + ": " + ids_str(expanded)).c_str());
      QCOMPARE(tok.decode(p["generated_ids"].get<std::vector<int64_t>>()), p["generated_text"].get<std::string>());
    }
  }

  void mergesInEitherForm() {
    // The goldens' file has ["a", "b"] pairs; older files have "a b" strings. Both load alike,
    // through from_json (a parsed file) and from_file (which streams the vocabulary and merges).
    json other = file_;
    for (auto& m : other["model"]["merges"])
      m = m.is_array() ? json(m[0].get<std::string>() + " " + m[1].get<std::string>())
                       : json::array({m.get<std::string>().substr(0, m.get<std::string>().find(' ')),
                                      m.get<std::string>().substr(m.get<std::string>().find(' ') + 1)});
    QVERIFY(other["model"]["merges"][0].is_array() != file_["model"]["merges"][0].is_array());
    const auto from_json = QwenTokenizer::from_json(other, "rewritten/tokenizer.json");
    const auto from_file = QwenTokenizer::from_file(write("rewritten.json", other));
    const auto original = QwenTokenizer::from_json(file_, "tokenizer.json");
    for (const auto& c : cases_) {
      const auto want = c["ids"].get<std::vector<int64_t>>();
      QCOMPARE(from_json.encode(c["text"].get<std::string>()), want);
      QCOMPARE(from_file.encode(c["text"].get<std::string>()), want);
      QCOMPARE(original.encode(c["text"].get<std::string>()), want);
    }
  }

  void decodesBytesLikePython() {
    const auto tok = QwenTokenizer::from_file(qwen() / "tokenizer.json");
    auto byte = [&](int b) {  // the token of one byte
      std::string s;
      text::append_utf8(s, text::byte_level::bytes_to_unicode()[b]);
      return *tok.token_id(s);
    };
    const std::string bad = "\xEF\xBF\xBD";  // U+FFFD
    QCOMPARE(tok.decode({byte(0xF0), byte(0x9F), byte(0x98), byte(0x80)}), std::string("\xF0\x9F\x98\x80"));
    // Python's bytes.decode(errors="replace"): one U+FFFD per maximal invalid subpart.
    QCOMPARE(tok.decode({byte(0xF0), byte(0x9F)}), bad);
    QCOMPARE(tok.decode({byte(0xF0), byte(0x9F), byte('a'), byte(0x80)}), bad + "a" + bad);
    QCOMPARE(tok.decode({byte(0xED), byte(0xA0), byte(0x80)}), bad + bad + bad);  // a surrogate
    QCOMPARE(tok.decode({byte(0xE0), byte(0x80)}), bad + bad);                    // an overlong form
    // Invalid UTF-8 in the text to encode reads as U+FFFD.
    QCOMPARE(tok.encode("a\xFF" "b"), tok.encode("a\xEF\xBF\xBD" "b"));
    // An id the tokenizer lacks is named.
    for (int64_t id : {int64_t{999999}, int64_t{-1}}) {
      std::string msg;
      try {
        tok.decode({byte('a'), id});
      } catch (const InvalidInput& e) {
        msg = e.what();
      }
      QVERIFY2(contains(msg, "token id " + std::to_string(id)), msg.c_str());
    }
  }

  void addedTokenFlags() {
    // lstrip / rstrip take the whitespace beside the token; a "normalized" token is looked for in
    // the NFC text; a single_word token only between non-word characters; ignore_merges takes a
    // piece found whole in the vocabulary.
    json j = file_;
    for (auto& t : j["added_tokens"]) {
      if (t["content"] == "<|im_end|>") t["lstrip"] = true;
      if (t["content"] == "<|im_start|>") t["rstrip"] = true;
    }
    j["added_tokens"].push_back({{"id", 500}, {"content", "caf\u00e9"}, {"single_word", false}, {"lstrip", false},
                                 {"rstrip", false}, {"normalized", true}, {"special", false}});
    j["added_tokens"].push_back({{"id", 501}, {"content", "zz"}, {"single_word", true}, {"lstrip", false},
                                 {"rstrip", false}, {"normalized", false}, {"special", false}});
    j["model"]["vocab"]["\xC4\xA0xyzzy"] = 600;  // "Ġxyzzy": no merge leads to it
    const auto plain = QwenTokenizer::from_json(file_, "tokenizer.json");
    const auto tok = QwenTokenizer::from_json(j, "flags/tokenizer.json");
    const int64_t im_start = added_id("<|im_start|>"), im_end = added_id("<|im_end|>");
    auto cat = [](std::vector<int64_t> a, const std::vector<int64_t>& b) {
      a.insert(a.end(), b.begin(), b.end());
      return a;
    };
    QVERIFY(plain.encode("hi  ") != plain.encode("hi"));
    QCOMPARE(plain.encode("hi  <|im_end|>"), cat(plain.encode("hi  "), {im_end}));
    QCOMPARE(tok.encode("hi  <|im_end|>"), cat(plain.encode("hi"), {im_end}));
    QCOMPARE(tok.encode("<|im_start|>  user"), cat({im_start}, plain.encode("user")));
    QCOMPARE(tok.encode("cafe\u0301!"), cat({500}, plain.encode("!")));  // matched after NFC
    // As tokenizers' ByteLevel decoder: "é" is also the code point of byte 0xE9, so it decodes to
    // that byte, which alone is not UTF-8.
    QCOMPARE(tok.decode({500, 501}), std::string("caf\xEF\xBF\xBDzz"));
    QCOMPARE(tok.encode("a zz b"), cat(cat(plain.encode("a "), {501}), plain.encode(" b")));
    QCOMPARE(tok.encode("azzb"), plain.encode("azzb"));
    QVERIFY(tok.encode(" xyzzy") != std::vector<int64_t>{600});
    j["model"]["ignore_merges"] = true;
    QCOMPARE(QwenTokenizer::from_json(j, "flags/tokenizer.json").encode(" xyzzy"), std::vector<int64_t>{600});
    QCOMPARE(tok.size(), plain.size() + 3);
  }

  void refusesOtherTokenizers() {
    // Each is written to a file and loaded: the message names the file, what was found and what is
    // expected.
    const json byte_level = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false}, {"use_regex", false}};
    const json t5 = {{"version", "1.0"},
                     {"normalizer", {{"type", "Precompiled"}, {"precompiled_charsmap", "AA=="}}},
                     {"pre_tokenizer", {{"type", "Metaspace"}, {"replacement", "\u2581"}, {"prepend_scheme", "always"}}},
                     {"decoder", {{"type", "Metaspace"}, {"replacement", "\u2581"}, {"prepend_scheme", "always"}}},
                     {"model", {{"type", "Unigram"}, {"unk_id", 2}, {"vocab", json::array({json::array({"<pad>", 0.0}), json::array({"</s>", 0.0}), json::array({"<unk>", 0.0})})}}}};
    const json bert = {{"normalizer", {{"type", "BertNormalizer"}, {"lowercase", true}}},
                       {"pre_tokenizer", {{"type", "BertPreTokenizer"}}},
                       {"decoder", {{"type", "WordPiece"}, {"prefix", "##"}}},
                       {"model", {{"type", "WordPiece"}, {"unk_token", "[UNK]"}, {"vocab", {{"[PAD]", 0}, {"[UNK]", 1}, {"hello", 2}}}}}};
    json metaspace_bpe = file_;  // a SentencePiece-style BPE (Llama 2)
    metaspace_bpe["pre_tokenizer"] = {{"type", "Metaspace"}, {"replacement", "\u2581"}, {"prepend_scheme", "first"}};
    metaspace_bpe["decoder"] = {{"type", "Sequence"}, {"decoders", json::array({{{"type", "Replace"}}, {{"type", "ByteFallback"}}})}};
    json gpt2_regex = file_;  // byte-level, but another split regex (GPT-2's ByteLevel regex alone)
    gpt2_regex["pre_tokenizer"] = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}};
    json other_split = file_;  // Qwen2's layout with another pattern
    other_split["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "\\s+|\\w+";
    json lowercase = file_;
    lowercase["normalizer"] = {{"type", "Sequence"}, {"normalizers", json::array({{{"type", "NFC"}}, {{"type", "Lowercase"}}})}};
    json byte_missing = file_;
    byte_missing["model"]["vocab"].erase("\xC4\x8A");  // "Ċ", the token of "\n"
    const json config = {{"architectures", {"Qwen2_5_VLForConditionalGeneration"}}, {"hidden_size", 64}};
    const std::string needs = "Qwen2.5-VL needs its own tokenizer.json";
    const std::vector<std::tuple<std::string, json, std::vector<std::string>>> files = {
        {"t5.json", t5, {"is not a byte-level BPE tokenizer (model type Unigram)", needs}},
        {"bert.json", bert, {"is not a byte-level BPE tokenizer (model type WordPiece)", needs}},
        {"llama.json", metaspace_bpe, {"is not a byte-level BPE tokenizer (model type BPE, pre-tokenizer Metaspace)", needs}},
        {"gpt2.json", gpt2_regex, {"pre-tokenizer ByteLevel is not Qwen2's Sequence[Split, ByteLevel]", needs}},
        {"split.json", other_split, {"splits on {\"Regex\":\"\\\\s+|\\\\w+\"}, not Qwen2's regex", needs}},
        {"lower.json", lowercase, {"normalizer Sequence[NFC, Lowercase] is not supported"}},
        {"bytes.json", byte_missing, {"the vocabulary lacks \"\xC4\x8A\", the token of byte 10"}},
        {"config.json", config, {"is not a byte-level BPE tokenizer (no \"model\" section: not a tokenizer.json)"}},
    };
    for (const auto& [name, doc, parts] : files) {
      const json& j = doc;  // a lambda may not capture a structured binding before C++20
      const fs::path path = write(name, j);
      for (const std::string& msg : {load_error([&] { QwenTokenizer::from_file(path); }),
                                     load_error([&] { QwenTokenizer::from_json(j, path); })}) {
        QVERIFY2(contains(msg, path.string()), (name + ": " + msg).c_str());
        for (const auto& part : parts) QVERIFY2(contains(msg, part), (name + ": " + msg).c_str());
      }
    }
    // Not JSON, and no file at all.
    { std::ofstream(tmp("broken.json")) << "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 1,"; }
    std::string msg = load_error([&] { QwenTokenizer::from_file(tmp("broken.json")); });
    QVERIFY2(contains(msg, tmp("broken.json").string()) && contains(msg, "not valid JSON"), msg.c_str());
    msg = load_error([&] { QwenTokenizer::from_file(tmp("absent/tokenizer.json")); });
    QVERIFY2(contains(msg, tmp("absent/tokenizer.json").string()) && contains(msg, "cannot open"), msg.c_str());
    // A merge that needs a token the vocabulary lacks names the merge.
    json bad_merge = file_;
    bad_merge["model"]["merges"].push_back(json::array({"\xC4\xA0", "qqq"}));
    msg = load_error([&] { QwenTokenizer::from_file(write("merge.json", bad_merge)); });
    QVERIFY2(contains(msg, "merge " + std::to_string(file_["model"]["merges"].size())) && contains(msg, "\"qqq\""), msg.c_str());
  }

  void qwenSizedVocabularyLoadsAndEncodes() {
    // Real Qwen2.5-VL: 151643 tokens, 151387 merges, 7 MB, ids padded with gaps. This one has all
    // 65536 two-byte tokens and 85844 three-byte ones, ids from 30000 on shifted by 7 (a gap).
    const auto& b2u = text::byte_level::bytes_to_unicode();
    std::vector<std::string> ch(256);
    for (int b = 0; b < 256; ++b) text::append_utf8(ch[b], b2u[b]);
    json vocab = json::object(), merges = json::array();
    int64_t next = 0;
    auto add = [&](const std::string& t) { vocab[t] = next < 30000 ? next++ : 7 + next++; };
    for (int b = 0; b < 256; ++b) add(ch[b]);
    for (int a = 0; a < 256; ++a)
      for (int b = 0; b < 256; ++b) add(ch[a] + ch[b]), merges.push_back(ch[a] + " " + ch[b]);
    for (int k = 0; k < 85844; ++k) {
      const int a = "etaoinshr "[k % 10], b = (k / 10) % 256, c = (k / 2560) % 256;
      add(ch[a] + ch[b] + ch[c]), merges.push_back(ch[a] + ch[b] + " " + ch[c]);
    }
    json j = file_;
    j["model"]["vocab"] = std::move(vocab);
    j["model"]["merges"] = std::move(merges);
    for (auto& t : j["added_tokens"]) t["id"] = t["id"].get<int64_t>() - 420 + 151643;
    const fs::path path = write("large.json", j);
    QVERIFY(fs::file_size(path) > 4'000'000);

    const auto t0 = std::chrono::steady_clock::now();
    const auto tok = QwenTokenizer::from_file(path);
    const auto t1 = std::chrono::steady_clock::now();
    QCOMPARE(tok.size(), size_t{256 + 65536 + 85844 + 16});
    QCOMPARE(tok.token_id("<|im_end|>"), std::optional<int64_t>(151645));
    // A prompt of over 1000 tokens built from the golden texts that decode to themselves.
    std::string prompt = "<|im_start|>system\n";
    while (prompt.size() < 6000)
      for (const auto& c : cases_)
        if (c["decoded_all"] == c["text"]) prompt += c["text"].get<std::string>() + "\n";
    const auto t2 = std::chrono::steady_clock::now();
    const auto ids = tok.encode(prompt);
    const auto t3 = std::chrono::steady_clock::now();
    QVERIFY(ids.size() > 1000);
    QVERIFY(std::any_of(ids.begin(), ids.end(), [](int64_t id) { return id > 30007 && id < 151643; }));
    QCOMPARE(tok.decode(ids, false), prompt);
    const double load_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
    const double encode_ms = std::chrono::duration<double, std::milli>(t3 - t2).count();
    qInfo("%s: %.0f ms to load (%zu bytes), %.1f ms to encode %zu tokens", path.filename().c_str(), load_ms,
          static_cast<size_t>(fs::file_size(path)), encode_ms, ids.size());
    // Reported, not asserted: tests never bound wall-clock time (a sanitizer build at -O0 is ~30x
    // slower than Release's ~0.3 s / ~2 ms); speed is the benchmarks' business.
  }
};

QTEST_GUILESS_MAIN(TestQwenTokenizer)
#include "test_qwen_tokenizer.moc"
