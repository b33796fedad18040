// Qwen2 byte-level BPE tokenizer. Follows what huggingface/tokenizers 0.23 (tokenizer/mod.rs,
// tokenizer/added_vocabulary.rs, models/bpe, pre_tokenizers/byte_level.rs) does with the
// tokenizer.json of Qwen2 / Qwen2.5-VL:
//   1. added tokens (the file's added_tokens) are cut out of the raw text, leftmost-longest, with
//      their lstrip / rstrip / single_word flags; tokens marked "normalized" are looked for after 2;
//   2. each remaining segment is normalised: NFC, or nothing;
//   3. pre-tokenizer Split(Qwen2's regex, Isolated) — the regex is matched by hand below — then
//      ByteLevel (bytes -> GPT-2 code points, no prefix space, no GPT-2 regex);
//   4. BPE, merges by rank (with ignore_merges a whole piece found in the vocabulary is one id);
//   5. nothing added around (transformers' add_special_tokens=False; Qwen2 has no BOS).
// Decoding: ids -> tokens (added tokens first), special ones dropped when asked, then the ByteLevel
// decoder (code points -> bytes; a token with a code point outside the table passes as its UTF-8)
// and the bytes read as UTF-8 with U+FFFD for what is not (Rust's String::from_utf8_lossy).
#include "text/qwen_tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "coz/error.h"
#include "json_file.h"
#include "text/byte_level.h"
#include "text/unicode.h"

namespace coz::text {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// transformers' tokenization_qwen2.py PRETOKENIZE_REGEX, the only Split pattern accepted.
constexpr const char* kQwen2Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

constexpr size_t kCacheCapacity = 10000;  // pieces kept by the BPE cache (tokenizers' default)
constexpr int64_t kMaxId = 0x7FFFFFFF;

struct AddedToken {
  std::u32string match;  // what is looked for: the content (NFC'd for a "normalized" one)
  std::string decoded;   // what the ByteLevel decoder gets (likewise)
  int64_t id = 0;
  bool special = false, lstrip = false, rstrip = false, single_word = false;
  bool normalized = false;  // matched in the normalised text
};

// Added tokens by first code point, longest first, so the first one that matches at a position is
// the leftmost-longest match.
using AddedIndex = std::unordered_map<char32_t, std::vector<const AddedToken*>>;

}  // namespace

struct QwenTokenizer::Data {
  std::unordered_map<std::string, int64_t> vocab;           // byte-level spelling -> id
  std::vector<std::pair<int64_t, const std::string*>> vocab_r;  // id -> key of `vocab`, sorted (ids have gaps)
  byte_level::Merges merges;
  std::array<int64_t, 256> byte_id{};
  bool nfc = false, ignore_merges = false;
  std::vector<AddedToken> added;
  std::unordered_map<int64_t, size_t> added_by_id;  // -> index in `added`
  std::unordered_map<std::string, size_t> added_by_content;
  std::unordered_set<std::string> special_contents;
  AddedIndex raw_index, normalized_index;
  size_t size = 0;
  // Pieces already tokenized (prompts repeat words). The tokenizer is shared between threads.
  mutable std::mutex cache_mutex;
  mutable std::unordered_map<std::string, std::vector<int64_t>> cache;
};

namespace {

// ------------------------------------------------------------------------------------ added tokens

// Rust regex's \w, near enough for single_word tokens (letters, numbers, underscore).
bool is_word_char(char32_t c) { return c == '_' || is_letter(c) || is_number(c); }

struct Segment {
  size_t begin, end;
  const AddedToken* token;  // null: text to tokenize
};

// tokenizers' AddedVocabulary::find_matches over s: matches and the text between them, in order.
// The search resumes after each match as found (before rstrip widens it), as there.
std::vector<Segment> split_added(const std::u32string& s, const AddedIndex& index) {
  std::vector<Segment> out;
  size_t start_offset = 0;
  for (size_t i = 0; !index.empty() && i < s.size();) {
    const AddedToken* hit = nullptr;
    if (auto it = index.find(s[i]); it != index.end())
      for (const AddedToken* t : it->second)
        if (s.compare(i, t->match.size(), t->match) == 0) {
          hit = t;
          break;
        }
    if (!hit) {
      ++i;
      continue;
    }
    size_t start = i, stop = i + hit->match.size();
    i = stop;
    if (hit->single_word && ((start > 0 && is_word_char(s[start - 1])) || (stop < s.size() && is_word_char(s[stop]))))
      continue;
    if (hit->lstrip) {
      size_t b = start;
      while (b > 0 && is_space(s[b - 1])) --b;
      start = std::max(b, start_offset);
    }
    if (hit->rstrip)
      while (stop < s.size() && is_space(s[stop])) ++stop;
    if (start_offset < start) out.push_back({start_offset, start, nullptr});
    out.push_back({start, stop, hit});
    start_offset = stop;
  }
  if (start_offset < s.size()) out.push_back({start_offset, s.size(), nullptr});
  return out;
}

// ------------------------------------------------------------------------------------ pre-tokenizer

enum class CharClass : uint8_t { Space, Letter, Number, Other };
CharClass char_class(char32_t c) {
  return is_space(c) ? CharClass::Space : is_letter(c) ? CharClass::Letter : is_number(c) ? CharClass::Number : CharClass::Other;
}
bool is_newline(char32_t c) { return c == '\r' || c == '\n'; }

// (?i:'s|'t|'re|'ve|'m|'ll|'d) at i: its length, or 0. Oniguruma folds case with Unicode's
// CaseFolding, under which U+017F (long s) is an "s" too.
size_t contraction_at(const std::u32string& s, size_t i, size_t end) {
  if (s[i] != '\'' || i + 1 >= end) return 0;
  auto fold = [](char32_t c) -> char32_t { return c == 0x17F ? 's' : (c >= 'A' && c <= 'Z') ? c + 32 : c; };
  const char32_t a = fold(s[i + 1]);
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
  if (i + 2 >= end) return 0;
  const char32_t b = fold(s[i + 2]);
  return (a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l') ? 3 : 0;
}

// Qwen2's regex, split "Isolated" over s[begin, end) (end is the end of the subject: the lookahead
// sees nothing past it). Some alternative matches at every position and none matches empty, so the
// matches tile the text; each is passed to emit(from, to). The alternatives, first match wins:
//   1 (?i:'s|'t|'re|'ve|'m|'ll|'d)   2 [^\r\n\p{L}\p{N}]?\p{L}+   3 \p{N}
//   4 " ?[^\s\p{L}\p{N}]+[\r\n]*"    5 \s*[\r\n]+   6 \s+(?!\S)   7 \s+
template <class Emit>
void split_qwen2(const std::u32string& s, size_t begin, size_t end, Emit&& emit) {
  std::vector<CharClass> cls(end - begin);
  for (size_t j = begin; j < end; ++j) cls[j - begin] = char_class(s[j]);
  auto k = [&](size_t j) { return cls[j - begin]; };
  auto run = [&](size_t j, CharClass c) {
    while (j < end && k(j) == c) ++j;
    return j;
  };
  size_t i = begin;
  while (i < end) {
    size_t stop = 0;
    if (const size_t n = contraction_at(s, i, end)) {
      stop = i + n;
    } else if (k(i) == CharClass::Letter) {
      stop = run(i, CharClass::Letter);
    } else if (k(i) != CharClass::Number && !is_newline(s[i]) && i + 1 < end && k(i + 1) == CharClass::Letter) {
      stop = run(i + 1, CharClass::Letter);
    } else if (k(i) == CharClass::Number) {
      stop = i + 1;
    } else if (const size_t j = s[i] == ' ' && i + 1 < end ? i + 1 : i; k(j) == CharClass::Other) {
      stop = run(j, CharClass::Other);
      while (stop < end && is_newline(s[stop])) ++stop;
    } else {  // s[i] is whitespace: alternatives 5-7 over the run [i, e)
      const size_t e = run(i, CharClass::Space);
      size_t last_newline = e;
      for (size_t j = e; j > i; --j)
        if (is_newline(s[j - 1])) {
          last_newline = j - 1;
          break;
        }
      if (last_newline < e)
        stop = last_newline + 1;  // 5: \s* backs off to the last newline of the run
      else if (e == end || e - i == 1)
        stop = e;  // 6 at the end of the subject, else 7
      else
        stop = e - 1;  // 6: leaves the last space to the word after it
    }
    emit(i, stop);
    i = stop;
  }
}

// -------------------------------------------------------------------------------------------- BPE

void bpe(const QwenTokenizer::Data& d, const std::string& bytes, std::vector<int64_t>& out) {
  if (bytes.size() == 1) {
    out.push_back(d.byte_id[static_cast<unsigned char>(bytes[0])]);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(d.cache_mutex);
    if (auto it = d.cache.find(bytes); it != d.cache.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  std::vector<int64_t> ids;
  if (d.ignore_merges)
    if (auto it = d.vocab.find(byte_level::to_unicode(bytes)); it != d.vocab.end()) ids.push_back(it->second);
  if (ids.empty()) {
    ids.reserve(bytes.size());
    for (char b : bytes) ids.push_back(d.byte_id[static_cast<unsigned char>(b)]);
    byte_level::merge_all(ids, d.merges);
  }
  out.insert(out.end(), ids.begin(), ids.end());
  std::lock_guard<std::mutex> lock(d.cache_mutex);
  if (d.cache.size() < kCacheCapacity) d.cache.emplace(bytes, std::move(ids));
}

// The vocabulary token of `id`, or null.
const std::string* vocab_token(const QwenTokenizer::Data& d, int64_t id) {
  auto it = std::lower_bound(d.vocab_r.begin(), d.vocab_r.end(), id, [](const auto& x, int64_t v) { return x.first < v; });
  return it != d.vocab_r.end() && it->first == id ? it->second : nullptr;
}

// ---------------------------------------------------------------------------------------- loading

const json* member(const json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it == o.end() || it->is_null() ? nullptr : &*it;
}

std::string type_of(const json* v) {
  if (!v) return "none";
  const json* t = member(*v, "type");
  return t && t->is_string() ? t->get<std::string>() : "without a type";
}

// "Sequence[Split, ByteLevel]", "Metaspace", "none".
std::string describe(const json* v, const char* list_key) {
  std::string out = type_of(v);
  const json* list = v ? member(*v, list_key) : nullptr;
  if (out == "Sequence" && list && list->is_array()) {
    out += "[";
    for (size_t i = 0; i < list->size(); ++i) out += (i ? ", " : "") + type_of(&(*list)[i]);
    out += "]";
  }
  return out;
}

bool flag(const json& o, const char* key, bool fallback) {
  const json* v = member(o, key);
  return v ? v->get<bool>() : fallback;
}

// The normaliser: none or NFC (alone or as the whole of a Sequence). Returns whether it is NFC.
bool read_normalizer(const json& j, const std::string& p) {
  const json* n = member(j, "normalizer");
  if (!n) return false;
  const std::string type = type_of(n);
  if (type == "NFC") return true;
  if (type == "Sequence") {
    const json* list = member(*n, "normalizers");
    if (list && list->is_array() &&
        std::all_of(list->begin(), list->end(), [](const json& x) { return type_of(&x) == "NFC"; }))
      return !list->empty();
  }
  throw ModelLoadError(p + ": normalizer " + describe(n, "normalizers") +
                       " is not supported; Qwen2's tokenizer.json has NFC (or none)");
}

// The pre-tokenizer must be Sequence[Split(Qwen2's regex, Isolated), ByteLevel(no prefix space,
// no regex)], the decoder ByteLevel.
void check_pipeline(const json& j, const std::string& p) {
  const json* pre = member(j, "pre_tokenizer");
  const json* list = pre && type_of(pre) == "Sequence" ? member(*pre, "pretokenizers") : nullptr;
  const bool has_byte_level =
      type_of(pre) == "ByteLevel" ||
      (list && list->is_array() && std::any_of(list->begin(), list->end(), [](const json& x) { return type_of(&x) == "ByteLevel"; }));
  const std::string expected = "; Qwen2.5-VL needs its own tokenizer.json";
  if (!has_byte_level)
    throw ModelLoadError(p + " is not a byte-level BPE tokenizer (model type BPE, pre-tokenizer " +
                         describe(pre, "pretokenizers") + ")" + expected);
  const json* dec = member(j, "decoder");
  if (type_of(dec) != "ByteLevel")
    throw ModelLoadError(p + " is not a byte-level BPE tokenizer (model type BPE, decoder " + describe(dec, "decoders") +
                         ")" + expected);
  if (!list || list->size() != 2 || type_of(&(*list)[0]) != "Split" || type_of(&(*list)[1]) != "ByteLevel")
    throw ModelLoadError(p + ": pre-tokenizer " + describe(pre, "pretokenizers") +
                         " is not Qwen2's Sequence[Split, ByteLevel]" + expected);
  const json& split = (*list)[0];
  const json* pattern = member(split, "pattern");
  const json* regex = pattern ? member(*pattern, "Regex") : nullptr;
  if (!regex || !regex->is_string() || regex->get<std::string>() != kQwen2Pattern)
    throw ModelLoadError(p + ": the pre-tokenizer splits on " + (pattern ? pattern->dump() : std::string("nothing")) +
                         ", not Qwen2's regex " + kQwen2Pattern + expected);
  const json* behavior = member(split, "behavior");
  if (!behavior || *behavior != "Isolated" || flag(split, "invert", false))
    throw ModelLoadError(p + ": the pre-tokenizer's Split has behavior " + (behavior ? behavior->dump() : "none") +
                         (flag(split, "invert", false) ? " inverted" : "") + "; Qwen2's is \"Isolated\"" + expected);
  const json& byte_level = (*list)[1];
  // tokenizers' defaults for absent keys: add_prefix_space true, use_regex true.
  if (flag(byte_level, "add_prefix_space", true) || flag(byte_level, "use_regex", true))
    throw ModelLoadError(p + ": the ByteLevel pre-tokenizer has add_prefix_space or use_regex set; Qwen2's has neither" +
                         expected);
}

const char* const kReinstall = "; the file is damaged — reinstall the model";

// Builds the tables from a tokenizer.json's parts: the entries of model.vocab and model.merges as
// they come (from a parsed file, or streamed by from_file's parser so that the 300k small values
// never become a JSON tree), then the rest of the file. Errors in the entries are kept until the
// rest has shown the file is a byte-level BPE at all, so another family gets that message.
class Loader {
 public:
  explicit Loader(const fs::path& path) : p_(path.string()), d_(std::make_shared<QwenTokenizer::Data>()) {}

  void vocab_entry(const std::string& token, const json& id) {
    if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > kMaxId) {
      if (vocab_error_.empty()) vocab_error_ = "vocabulary token \"" + token + "\" has id " + id.dump() + ", not an id from 0 to 2^31-1";
      return;
    }
    d_->vocab.insert_or_assign(token, id.get<int64_t>());
  }

  // "a b" or ["a", "b"]; resolved in finish(), as the vocabulary may come later in the file.
  void merge(const json& m) {
    if (m.is_string()) {
      const std::string& s = m.get_ref<const std::string&>();
      const size_t sp = s.find(' ');
      if (sp != std::string::npos && sp > 0 && sp + 1 < s.size() && s.find(' ', sp + 1) == std::string::npos)
        return merges_.emplace_back(s.substr(0, sp), s.substr(sp + 1)), void();
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string() && !m[0].get_ref<const std::string&>().empty() &&
               !m[1].get_ref<const std::string&>().empty()) {
      return merges_.emplace_back(m[0].get<std::string>(), m[1].get<std::string>()), void();
    }
    if (merges_error_.empty())
      merges_error_ = "merge " + std::to_string(merges_.size()) + " " + m.dump() + " is not \"left right\" or [left, right]";
    merges_.emplace_back();  // keeps the ranks of the merges after it
  }

  // A key repeated in the file replaces what came before (as in a parsed file, where the last wins).
  void reset_vocab() { d_->vocab.clear(), vocab_error_.clear(); }
  void reset_merges() { merges_.clear(), merges_error_.clear(); }

  std::shared_ptr<const QwenTokenizer::Data> finish(const json& j) {
    const std::string expected = "; Qwen2.5-VL needs its own tokenizer.json";
    const json* model = member(j, "model");
    if (!model || !model->is_object())
      throw ModelLoadError(p_ + " is not a byte-level BPE tokenizer (no \"model\" section: not a tokenizer.json)" + expected);
    const std::string type = member(*model, "type") ? type_of(model) : member(*model, "merges") ? "BPE" : "unknown";
    if (type != "BPE") throw ModelLoadError(p_ + " is not a byte-level BPE tokenizer (model type " + type + ")" + expected);
    check_pipeline(j, p_);
    for (const std::string* e : {&vocab_error_, &merges_error_})
      if (!e->empty()) throw ModelLoadError(p_ + ": " + *e + kReinstall);

    QwenTokenizer::Data& d = *d_;
    d.nfc = read_normalizer(j, p_);
    d.ignore_merges = flag(*model, "ignore_merges", false);
    if (const json* dropout = member(*model, "dropout"); dropout && dropout->get<double>() != 0.0)
      throw ModelLoadError(p_ + ": BPE dropout " + dropout->dump() + " is set; Qwen2's tokenizer has none" + expected);
    for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"})
      if (const json* v = member(*model, key); v && !v->get<std::string>().empty())
        throw ModelLoadError(p_ + ": BPE " + key + " " + v->dump() + " is set; Qwen2's tokenizer has none" + expected);

    const json* merges = member(*model, "merges");
    if (d.vocab.empty()) throw ModelLoadError(p_ + ": model.vocab is not an object of token -> id" + kReinstall);
    if (!merges || !merges->is_array()) throw ModelLoadError(p_ + ": model.merges is not a list" + kReinstall);
    d.vocab_r.reserve(d.vocab.size());
    for (const auto& [token, id] : d.vocab) d.vocab_r.emplace_back(id, &token);
    std::sort(d.vocab_r.begin(), d.vocab_r.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    const auto& b2u = byte_level::bytes_to_unicode();
    for (int b = 0; b < 256; ++b) {
      std::string s;
      append_utf8(s, b2u[b]);
      auto it = d.vocab.find(s);
      if (it == d.vocab.end())
        throw ModelLoadError(p_ + ": the vocabulary lacks \"" + s + "\", the token of byte " + std::to_string(b) +
                             "; a byte-level BPE has all 256 — the file is damaged or of another kind");
      d.byte_id[b] = it->second;
    }
    d.merges.reserve(merges_.size());
    for (size_t rank = 0; rank < merges_.size(); ++rank) {
      const std::string& a = merges_[rank].first;  // (no structured binding: the lambda uses them)
      const std::string& b = merges_[rank].second;
      auto id_of = [&](const std::string& t) {
        auto it = d.vocab.find(t);
        if (it == d.vocab.end())
          throw ModelLoadError(p_ + ": merge " + std::to_string(rank) + " [\"" + a + "\", \"" + b + "\"] needs \"" + t +
                               "\", which is not in the vocabulary" + kReinstall);
        return it->second;
      };
      // A repeated pair keeps its last rank, as tokenizers' map does.
      d.merges[byte_level::merge_key(id_of(a), id_of(b))] = {int64_t(rank), id_of(a + b)};
    }
    merges_ = {};
    read_added_tokens(j);
    d.size = static_cast<size_t>(std::unique(d.vocab_r.begin(), d.vocab_r.end(), [](const auto& x, const auto& y) {
                                   return x.first == y.first;  // two tokens of one id: decode() gives one
                                 }) - d.vocab_r.begin());
    d.vocab_r.resize(d.size);
    for (const auto& [id, i] : d.added_by_id)
      if (!vocab_token(d, id)) ++d.size;
    return std::move(d_);
  }

 private:
  void read_added_tokens(const json& j) {
    QwenTokenizer::Data& d = *d_;
    const json* added = member(j, "added_tokens");
    if (!added) return;
    if (!added->is_array()) throw ModelLoadError(p_ + ": added_tokens is not a list" + kReinstall);
    d.added.reserve(added->size());
    for (const json& t : *added) {
      const json* id = member(t, "id");
      const json* content = member(t, "content");
      if (!id || !id->is_number_integer() || id->get<int64_t>() < 0 || id->get<int64_t>() > kMaxId || !content ||
          !content->is_string())
        throw ModelLoadError(p_ + ": added token " + t.dump() + " has no content or no valid id" + kReinstall);
      const std::string& text = content->get_ref<const std::string&>();
      if (text.empty()) continue;  // tokenizers ignores empty added tokens
      AddedToken a;
      a.id = id->get<int64_t>();
      a.special = flag(t, "special", false);
      a.lstrip = flag(t, "lstrip", false);
      a.rstrip = flag(t, "rstrip", false);
      a.single_word = flag(t, "single_word", false);
      a.normalized = flag(t, "normalized", !a.special);
      a.match = decode_utf8(text);
      if (a.normalized && d.nfc) a.match = nfc(a.match);
      a.decoded = encode_utf8(a.match);
      if (a.special) d.special_contents.insert(text);
      d.added_by_id[a.id] = d.added.size();
      d.added_by_content[text] = d.added.size();  // a repeated content: the last one
      d.added.push_back(std::move(a));
    }
    // Index each content's token, longest first (`added` no longer grows: pointers stay valid).
    for (const auto& [text, i] : d.added_by_content) {
      const AddedToken& a = d.added[i];
      (a.normalized ? d.normalized_index : d.raw_index)[a.match[0]].push_back(&a);
    }
    for (AddedIndex* index : {&d.raw_index, &d.normalized_index})
      for (auto& [c, list] : *index)
        std::sort(list.begin(), list.end(), [](const AddedToken* x, const AddedToken* y) {
          return x->match.size() != y->match.size() ? x->match.size() > y->match.size() : x->id < y->id;
        });
  }

  std::string p_;
  std::shared_ptr<QwenTokenizer::Data> d_;
  std::vector<std::pair<std::string, std::string>> merges_;
  std::string vocab_error_, merges_error_;
};

}  // namespace

QwenTokenizer QwenTokenizer::from_file(const fs::path& tokenizer_json) {
  const std::string text = read_model_text_file(tokenizer_json, "the tokenizer file");
  return guard_model_file(tokenizer_json, [&] {
    Loader loader(tokenizer_json);
    // Where the parser is: the key at depth 1 and 2, and whether it is inside model.vocab (an
    // object) or model.merges (a list). Their entries go to the loader and are dropped from the tree.
    std::string top_key, model_key, vocab_key;
    bool in_vocab = false, in_merges = false;
    const json::parser_callback_t route = [&](int depth, json::parse_event_t event, json& parsed) {
      using E = json::parse_event_t;
      if (depth > kMaxJsonDepth)
        throw ModelLoadError(tokenizer_json.string() + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                             " levels" + kReinstall);
      if (event == E::key && depth == 1) {
        top_key = parsed.get<std::string>(), model_key.clear();
        if (top_key == "model") loader.reset_vocab(), loader.reset_merges();
      }
      if (event == E::key && depth == 2) {
        model_key = top_key == "model" ? parsed.get<std::string>() : "";
        if (model_key == "vocab") loader.reset_vocab();
        if (model_key == "merges") loader.reset_merges();
      }
      if ((event == E::object_start || event == E::array_start) && depth == 2) {
        in_vocab = event == E::object_start && model_key == "vocab";
        in_merges = event == E::array_start && model_key == "merges";
      }
      if ((event == E::object_end || event == E::array_end) && depth == 2) in_vocab = in_merges = false;
      if (in_vocab && depth == 3) {  // token -> id; an object or list as the id is refused at its start
        if (event == E::key) vocab_key = parsed.get<std::string>();
        if (event == E::value) loader.vocab_entry(vocab_key, parsed);
        if (event == E::object_start || event == E::array_start)
          loader.vocab_entry(vocab_key, event == E::object_start ? json::object() : json::array());
        return false;
      }
      if (in_merges && depth == 3) {  // "a b", or a list kept until its end: ["a", "b"]
        if (event == E::value || event == E::object_end || event == E::array_end) loader.merge(parsed);
        return event == E::object_start || event == E::array_start;
      }
      return true;
    };
    json rest;
    try {
      rest = json::parse(text, route);
    } catch (const json::parse_error& e) {
      throw ModelLoadError(tokenizer_json.string() + ": not valid JSON (" + e.what() + "); reinstall the model");
    }
    QwenTokenizer tok;
    tok.d_ = loader.finish(rest);
    return tok;
  });
}

QwenTokenizer QwenTokenizer::from_json(const json& j, const fs::path& path) {
  return guard_model_file(path, [&] {
    Loader loader(path);
    if (const json* model = member(j, "model")) {
      if (const json* vocab = member(*model, "vocab"); vocab && vocab->is_object())
        for (auto it = vocab->begin(); it != vocab->end(); ++it) loader.vocab_entry(it.key(), *it);
      if (const json* merges = member(*model, "merges"); merges && merges->is_array())
        for (const json& m : *merges) loader.merge(m);
    }
    QwenTokenizer tok;
    tok.d_ = loader.finish(j);
    return tok;
  });
}

std::vector<int64_t> QwenTokenizer::encode(const std::string& text) const {
  const Data& d = *d_;
  std::vector<int64_t> ids;
  const std::u32string s = decode_utf8(text);
  for (const Segment& raw : split_added(s, d.raw_index)) {
    if (raw.token) {
      ids.push_back(raw.token->id);
      continue;
    }
    std::u32string seg = s.substr(raw.begin, raw.end - raw.begin);
    if (d.nfc) seg = nfc(seg);
    for (const Segment& part : split_added(seg, d.normalized_index)) {
      if (part.token) {
        ids.push_back(part.token->id);
        continue;
      }
      split_qwen2(seg, part.begin, part.end, [&](size_t from, size_t to) {
        bpe(d, encode_utf8(std::u32string_view(seg).substr(from, to - from)), ids);
      });
    }
  }
  return ids;
}

bool QwenTokenizer::has_id(int64_t id) const { return d_->added_by_id.count(id) || vocab_token(*d_, id); }

std::string QwenTokenizer::decode(const std::vector<int64_t>& ids, bool skip_special_tokens) const {
  const Data& d = *d_;
  std::string bytes;
  for (int64_t id : ids) {
    const std::string* token = nullptr;
    if (auto a = d.added_by_id.find(id); a != d.added_by_id.end()) {
      const AddedToken& t = d.added[a->second];
      if (skip_special_tokens && t.special) continue;
      token = &t.decoded;
    } else if ((token = vocab_token(d, id))) {
      if (skip_special_tokens && d.special_contents.count(*token)) continue;
    } else {
      throw InvalidInput("Qwen tokenizer: token id " + std::to_string(id) + " is not in the vocabulary (" +
                         std::to_string(d.size) + " tokens)");
    }
    // ByteLevel decoder: a token whose code points are all in the byte table gives those bytes,
    // any other token its own UTF-8.
    const size_t mark = bytes.size();
    for (char32_t c : decode_utf8(*token)) {
      const int b = byte_level::unicode_to_byte(c);
      if (b < 0) {
        bytes.resize(mark);
        bytes += *token;
        break;
      }
      bytes += static_cast<char>(b);
    }
  }
  return replace_invalid_utf8(bytes);
}

std::optional<int64_t> QwenTokenizer::token_id(const std::string& token) const {
  if (auto a = d_->added_by_content.find(token); a != d_->added_by_content.end()) return d_->added[a->second].id;
  if (auto v = d_->vocab.find(token); v != d_->vocab.end()) return v->second;
  return std::nullopt;
}

size_t QwenTokenizer::size() const { return d_->size; }

}  // namespace coz::text
