// Follows transformers' T5TokenizerFast (convert_slow_tokenizer.T5Converter → tokenizers: added tokens
// matched literally on the raw text, Precompiled normaliser = spiece.model's nmt_nfkc charsmap,
// WhitespaceSplit + Metaspace("▁", prepend_scheme="always", split=True), Unigram, TemplateProcessing
// "$A </s>"), with SentencePiece doing normalisation and the Unigram Viterbi.
//
// Plain SentencePiece and the fast tokenizer agree on ordinary text (both drop leading/trailing and
// repeated spaces; nmt_nfkc maps tab/newline to spaces; neither lets a piece cross a word
// boundary). They differ on:
//  - added tokens ("</s>", "<pad>", "<unk>", "<extra_id_N>") written in the text: the fast tokenizer
//    turns them into their ids, SentencePiece spells them out (and knows no <extra_id_N>). They are
//    split out here first.
//  - whitespace that survives normalisation (of Unicode's White_Space only U+0085 NEL does; the
//    others become spaces or vanish): SentencePiece keeps it as an <unk> inside a word,
//    WhitespaceSplit (Rust char::is_whitespace) splits on it. Such text is re-encoded word by word.
// Checked against tokenizers 0.23.2 on the golden tokenizer.json: the 15 golden strings and 2,754
// random mixes of spaces, Unicode whitespace, compatibility characters, "▁" and special tokens.
#include "text/t5_tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>

#include "coz/error.h"
#include "json_file.h"

#include "text/spm.h"

namespace coz::text {
namespace fs = std::filesystem;
using json = nlohmann::json;

#ifdef COZ_HAVE_SENTENCEPIECE
namespace {
// Every SentencePiece call goes through this one class, over the dlopen()ed shim (text/spm.h).
class SpmModel {
 public:
  void load(const fs::path& file) { sp_ = SentencePiece::load(file.string()); }
  int64_t size() const { return sp_->piece_size(); }
  // The id of a piece, or -1 when the vocabulary lacks it.
  int64_t id_of(const std::string& piece) const {
    const int id = sp_->piece_to_id(piece);
    return sp_->id_to_piece(id) == piece ? id : -1;
  }
  // Normalises and segments `text`; appends the ids and, if asked, the normalised text ("▁" for
  // spaces, dummy prefix, runs of spaces removed; unknown pieces keep their normalised surface).
  void encode(const std::string& text, std::vector<int64_t>& ids, std::string* normalized, const std::string& source) const {
    try {
      for (int id : sp_->encode(text)) ids.push_back(id);
      if (normalized)
        for (const auto& p : sp_->encode_pieces(text)) *normalized += p;
    } catch (const std::exception& e) {
      throw InvalidInput("T5 tokenizer (" + source + "): cannot encode the prompt (" + e.what() + ")");
    }
  }

 private:
  std::shared_ptr<SentencePiece> sp_;
};
}  // namespace
#endif

struct T5Tokenizer::Impl {
#ifdef COZ_HAVE_SENTENCEPIECE
  SpmModel sp;
#endif
  std::vector<std::pair<std::string, int64_t>> added;  // literal special tokens → id, longest first
  std::string added_first_bytes;                      // quick filter for the literal match
  int64_t eos = 1, pad = 0, vocab = 0;
  std::string source;
};

bool T5Tokenizer::available() { return SentencePiece::available(); }

#ifdef COZ_HAVE_SENTENCEPIECE
namespace {

json read_json(const fs::path& p) { return read_json_file(p, "the tokenizer file"); }

// An added token's id: an integer in [0, 2^31).
int64_t token_id(const json& v, const fs::path& where) {
  if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 0x7FFFFFFF)
    throw ModelLoadError(where.string() + ": an added token's id " + v.dump() + " is not an integer from 0 to 2^31-1");
  return v.get<int64_t>();
}

// "eos_token": "</s>" or {"content": "</s>", ...}
std::string token_text(const json& cfg, const char* key, const std::string& fallback) {
  if (!cfg.contains(key)) return fallback;
  const json& v = cfg[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains("content") && v["content"].is_string()) return v["content"].get<std::string>();
  return fallback;
}

// Decodes the UTF-8 code point at s[i] (invalid bytes count as one U+FFFD) and advances i.
char32_t next_cp(const std::string& s, size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  int n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return cp;
}

// Unicode White_Space (= Rust char::is_whitespace, what tokenizers' WhitespaceSplit splits on).
bool is_unicode_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

constexpr char32_t kMeta = 0x2581;  // "▁"

}  // namespace
#endif

T5Tokenizer T5Tokenizer::from_folder(const fs::path& dir) {
  return guard_model_file(dir, [&] { return read_folder(dir); });
}

T5Tokenizer T5Tokenizer::read_folder(const fs::path& dir) {
#ifndef COZ_HAVE_SENTENCEPIECE
  throw ModelLoadError((dir / "spiece.model").string() +
                       ": this build has no SentencePiece support, so the T5 tokenizer is unavailable; "
                       "rebuild with libsentencepiece or pass T5 token ids directly");
#else
  auto impl = std::make_shared<Impl>();
  const fs::path model = dir / "spiece.model";
  impl->source = model.string();
  std::error_code ec;
  if (!fs::exists(model, ec)) throw ModelLoadError(model.string() + ": missing; reinstall the T5 tokenizer (tokenizer_3)");
  impl->sp.load(model);
  const int64_t n_pieces = impl->sp.size();

  json cfg = json::object();
  if (fs::exists(dir / "tokenizer_config.json", ec)) cfg = read_json(dir / "tokenizer_config.json");
  int64_t extra_ids = 100;  // T5Tokenizer's default
  if (cfg.contains("extra_ids") && cfg["extra_ids"].is_number_integer()) extra_ids = cfg["extra_ids"].get<int64_t>();
  if (extra_ids < 0 || extra_ids > 100000)
    throw ModelLoadError((dir / "tokenizer_config.json").string() + ": extra_ids = " + std::to_string(extra_ids) +
                         " is not a count from 0 to 100000");

  std::map<std::string, int64_t> added;
  const std::string eos_text = token_text(cfg, "eos_token", "</s>"), pad_text = token_text(cfg, "pad_token", "<pad>"),
                    unk_text = token_text(cfg, "unk_token", "<unk>");
  for (const std::string& t : {pad_text, eos_text, unk_text})
    if (impl->sp.id_of(t) >= 0) added[t] = impl->sp.id_of(t);
  for (int64_t i = 0; i < extra_ids; ++i) added["<extra_id_" + std::to_string(i) + ">"] = n_pieces + extra_ids - 1 - i;
  // The authoritative list, where present: tokenizer.json's added_tokens (fast) or the config's
  // added_tokens_decoder (transformers 4.x).
  if (fs::exists(dir / "tokenizer.json", ec)) {
    const json tj = read_json(dir / "tokenizer.json");
    if (tj.contains("added_tokens") && tj["added_tokens"].is_array())
      for (const json& t : tj["added_tokens"])
        if (t.contains("content") && t.contains("id")) added[t["content"].get<std::string>()] = token_id(t["id"], dir / "tokenizer.json");
  } else if (cfg.contains("added_tokens_decoder") && cfg["added_tokens_decoder"].is_object()) {
    for (auto it = cfg["added_tokens_decoder"].begin(); it != cfg["added_tokens_decoder"].end(); ++it)
      if (it.value().contains("content")) added[it.value()["content"].get<std::string>()] = token_id(json::parse(it.key(), nullptr, false), dir / "tokenizer_config.json");
  }
  impl->vocab = n_pieces + extra_ids;
  for (auto& [text, id] : added) {
    if (text.empty()) continue;
    impl->added.emplace_back(text, id);
    impl->vocab = std::max(impl->vocab, id + 1);
    if (impl->added_first_bytes.find(text[0]) == std::string::npos) impl->added_first_bytes += text[0];
  }
  std::stable_sort(impl->added.begin(), impl->added.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  auto id_of = [&](const std::string& t, const char* what) -> int64_t {
    auto it = added.find(t);
    if (it != added.end()) return it->second;
    const int64_t id = impl->sp.id_of(t);
    if (id < 0)
      throw ModelLoadError(model.string() + ": the " + what + " token \"" + t + "\" is not in the vocabulary");
    return id;
  };
  impl->eos = id_of(eos_text, "eos");
  impl->pad = id_of(pad_text, "pad");
  return T5Tokenizer(impl);
#endif
}

std::vector<int64_t> T5Tokenizer::tokenize(const std::string& text) const {
  std::vector<int64_t> out;
#ifndef COZ_HAVE_SENTENCEPIECE
  (void)text;
  throw ModelLoadError("this build has no SentencePiece support, so the T5 tokenizer is unavailable");
#else
  const Impl& m = *impl_;
  auto encode = [&](const std::string& s, std::vector<int64_t>& ids, std::string* normalized) {
    m.sp.encode(s, ids, normalized, m.source);
  };
  // One run of text between added tokens: SentencePiece normalises (nmt_nfkc, spaces → "▁",
  // dummy prefix, extra spaces removed) and segments; re-split word by word only if non-ASCII
  // whitespace survived normalisation (the fast tokenizer's WhitespaceSplit splits there).
  auto segment = [&](const std::string& s) {
    if (s.empty()) return;
    std::vector<int64_t> ids;
    std::string norm;
    encode(s, ids, &norm);
    bool other_space = false;
    for (size_t i = 0; i < norm.size() && !other_space;) other_space = is_unicode_space(next_cp(norm, i));
    if (!other_space) {
      out.insert(out.end(), ids.begin(), ids.end());
      return;
    }
    size_t i = 0, start = 0;
    auto flush = [&](size_t end) {
      if (end > start) encode(norm.substr(start, end - start), out, nullptr);  // gets its own "▁"
    };
    while (i < norm.size()) {
      const size_t at = i;
      const char32_t c = next_cp(norm, i);
      if (c == kMeta || is_unicode_space(c)) {
        flush(at);
        start = i;
      }
    }
    flush(norm.size());
  };
  size_t start = 0, i = 0;
  while (i < text.size()) {
    size_t len = 0;
    int64_t id = 0;
    if (m.added_first_bytes.find(text[i]) != std::string::npos)
      for (const auto& [tok, tid] : m.added)  // longest first: leftmost-longest like the fast tokenizer
        if (text.compare(i, tok.size(), tok) == 0) {
          len = tok.size();
          id = tid;
          break;
        }
    if (len == 0) {
      ++i;
      continue;
    }
    segment(text.substr(start, i - start));
    out.push_back(id);
    i += len;
    start = i;
  }
  segment(text.substr(start));
  return out;
#endif
}

std::vector<int64_t> T5Tokenizer::encode(const std::string& text, size_t max_length) const {
  std::vector<int64_t> ids = tokenize(text);
  if (max_length > 0 && ids.size() > max_length - 1) ids.resize(max_length - 1);  // EOS is kept
  ids.push_back(impl_->eos);
  if (max_length > 0) ids.resize(max_length, impl_->pad);
  return ids;
}

int64_t T5Tokenizer::eos_id() const { return impl_->eos; }
int64_t T5Tokenizer::pad_id() const { return impl_->pad; }
int64_t T5Tokenizer::vocab_size() const { return impl_->vocab; }

}  // namespace coz::text
