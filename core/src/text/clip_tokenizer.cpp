// CLIP byte-level BPE tokenizer. Follows the pipeline transformers 5.17 builds for CLIPTokenizer
// (models/clip/tokenization_clip.py, backed by huggingface/tokenizers 0.23):
//   1. special tokens (bos, eos, unk, pad — e.g. tokenizer_2's "!") are cut out of the raw text
//      first, leftmost-longest, and map straight to their ids;
//   2. each remaining segment: normalizers NFC -> Replace(\s+, " ") -> Lowercase (per code point,
//      Unicode full lowercase);
//   3. pre-tokenizer Split(<|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|
//      [^\s\p{L}\p{N}]+, keep matches), then ByteLevel (GPT-2 regex, bytes -> unicode table);
//   4. BPE: "</w>" on the last symbol, merges by rank (lowest rank first, leftmost on ties);
//   5. RobertaProcessing [BOS] ... [EOS], truncation to max_length, right padding with pad_token.
// This differs from the slow tokenizer of transformers 4.x (BERT BasicTokenizer pre-cleaning): CJK
// characters are not split apart and control characters are not removed.
#include "text/clip_tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "coz/error.h"
#include "json_file.h"
#include "text/byte_level.h"
#include "text/unicode.h"

namespace coz::text {
namespace fs = std::filesystem;
using json = nlohmann::json;

struct CLIPTokenizer::Data {
  std::unordered_map<std::string, int64_t> vocab;
  byte_level::Merges merges;
  std::array<int64_t, 256> byte_id{}, byte_eow_id{};     // one byte, alone / with "</w>"
  std::vector<std::pair<std::string, int64_t>> specials;  // matched literally in the raw text
  int64_t bos = 0, eos = 0, pad = 0, unk = 0;
};

namespace {

// ------------------------------------------------------------------------------------ pre-tokenizer

bool starts_with(const std::u32string& s, size_t i, const char32_t* lit) {
  for (; *lit; ++lit, ++i)
    if (i >= s.size() || s[i] != *lit) return false;
  return true;
}

// Length of "'s|'t|'re|'ve|'m|'ll|'d" at i (0 if none).
size_t contraction_at(const std::u32string& s, size_t i) {
  for (const char32_t* c : {U"'s", U"'t", U"'re", U"'ve", U"'m", U"'ll", U"'d"})
    if (starts_with(s, i, c)) return std::char_traits<char32_t>::length(c);
  return 0;
}

enum class CharClass { Space, Letter, Number, Other };
CharClass char_class(char32_t c) {
  return is_space(c)    ? CharClass::Space
         : is_letter(c)  ? CharClass::Letter
         : is_number(c)  ? CharClass::Number
                         : CharClass::Other;
}

// The GPT-2 regex of the ByteLevel pre-tokenizer, on a piece without whitespace:
// 's|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}+|[^\s\p{L}\p{N}]+. It only splits pieces the CLIP regex
// kept whole, i.e. a literal "<|endoftext|>" left in the text (-> "<|", "endoftext", "|>").
void byte_level_split(const std::u32string& s, std::vector<std::u32string>& out) {
  size_t i = 0;
  while (i < s.size()) {
    size_t n = contraction_at(s, i);
    if (!n) {
      const CharClass k = char_class(s[i]);
      n = 1;
      while (i + n < s.size() && char_class(s[i + n]) == k) ++n;
    }
    out.push_back(s.substr(i, n));
    i += n;
  }
}

constexpr const char32_t* kStartOfText = U"<|startoftext|>";
constexpr const char32_t* kEndOfText = U"<|endoftext|>";

// The CLIP split regex, keeping the matches (whitespace and nothing else falls between them).
std::vector<std::u32string> pre_tokenize(const std::u32string& s) {
  std::vector<std::u32string> out;
  size_t i = 0;
  while (i < s.size()) {
    const CharClass k = char_class(s[i]);
    if (k == CharClass::Space) {
      ++i;
      continue;
    }
    // Alternatives in the regex's order; the first that matches at i wins.
    size_t n = 1;
    if (starts_with(s, i, kStartOfText)) {
      n = std::char_traits<char32_t>::length(kStartOfText);
    } else if (starts_with(s, i, kEndOfText)) {
      n = std::char_traits<char32_t>::length(kEndOfText);
    } else if (const size_t c = contraction_at(s, i)) {
      n = c;
    } else if (k != CharClass::Number) {  // a digit stands alone; letters and "other" run on
      while (i + n < s.size() && char_class(s[i + n]) == k) ++n;
    }
    byte_level_split(s.substr(i, n), out);
    i += n;
  }
  return out;
}
// ------------------------------------------------------------------------------------------- BPE

// One byte symbol each, "</w>" on the last, then tokenizers' merge loop.
void bpe(const CLIPTokenizer::Data& d, const std::u32string& piece, std::vector<int64_t>& out) {
  const std::string bytes = encode_utf8(piece);
  if (bytes.empty()) return;
  std::vector<int64_t> ids(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    ids[i] = i + 1 == bytes.size() ? d.byte_eow_id[b] : d.byte_id[b];
  }
  byte_level::merge_all(ids, d.merges);
  out.insert(out.end(), ids.begin(), ids.end());
}

// ---------------------------------------------------------------------------------------- loading

json read_json(const fs::path& p) { return read_json_file(p, "the tokenizer file"); }

// A special-token entry is either "text" or {"content": "text", ...}.
std::string token_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains("content") && v["content"].is_string()) return v["content"].get<std::string>();
  return "";
}

}  // namespace

CLIPTokenizer CLIPTokenizer::from_folder(const fs::path& dir) {
  const fs::path vocab_path = dir / "vocab.json", merges_path = dir / "merges.txt";
  fs::path special_path = dir / "special_tokens_map.json";
  std::error_code ec;
  if (!fs::exists(special_path, ec) && fs::exists(dir / "tokenizer_config.json", ec)) special_path = dir / "tokenizer_config.json";
  const json vocab = read_json(vocab_path);
  const json special = read_json(special_path);
  std::ifstream mf(merges_path, std::ios::binary);
  if (!mf) throw ModelLoadError(merges_path.string() + ": cannot open the tokenizer file; reinstall the model");
  std::ostringstream merges;
  merges << mf.rdbuf();
  return from_data(vocab, vocab_path, special, special_path, merges.str(), merges_path);
}

CLIPTokenizer CLIPTokenizer::from_data(const json& vocab, const fs::path& vocab_path, const json& special,
                                       const fs::path& special_path, const std::string& merges,
                                       const fs::path& merges_path) {
  return guard_model_file(vocab_path, [&] {
  auto d = std::make_shared<Data>();
  if (!vocab.is_object() || vocab.empty()) throw ModelLoadError(vocab_path.string() + ": expected an object of token -> id");
  for (const auto& [tok, id] : vocab.items()) {
    if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > 0x7FFFFFFF)
      throw ModelLoadError(vocab_path.string() + ": token \"" + tok + "\" has no valid id");
    d->vocab[tok] = id.get<int64_t>();
  }
  auto id_of = [&](const std::string& tok, const fs::path& where) -> int64_t {
    auto it = d->vocab.find(tok);
    if (it == d->vocab.end())
      throw ModelLoadError(where.string() + ": token \"" + tok + "\" is not in " + vocab_path.string());
    return it->second;
  };

  if (!special.is_object()) throw ModelLoadError(special_path.string() + ": expected an object of special tokens");
  auto special_token = [&](const char* key, const std::string& fallback) {
    std::string t = special.contains(key) ? token_text(special[key]) : "";
    if (t.empty()) t = fallback;
    if (t.empty()) throw ModelLoadError(special_path.string() + ": no " + key);
    const int64_t id = id_of(t, special_path);
    if (std::none_of(d->specials.begin(), d->specials.end(), [&](const auto& s) { return s.first == t; }))
      d->specials.emplace_back(t, id);
    return id;
  };
  d->bos = special_token("bos_token", "");
  d->eos = special_token("eos_token", "");
  d->unk = special_token("unk_token", "<|endoftext|>");
  d->pad = special_token("pad_token", "<|endoftext|>");
  if (special.contains("additional_special_tokens") && special["additional_special_tokens"].is_array())
    for (const auto& t : special["additional_special_tokens"]) {
      const std::string s = token_text(t);
      if (!s.empty() && std::none_of(d->specials.begin(), d->specials.end(), [&](const auto& x) { return x.first == s; }))
        d->specials.emplace_back(s, id_of(s, special_path));
    }

  const auto& b2u = byte_level::bytes_to_unicode();
  for (int b = 0; b < 256; ++b) {
    std::string s;
    append_utf8(s, b2u[b]);
    auto it = d->vocab.find(s);
    d->byte_id[b] = it == d->vocab.end() ? d->unk : it->second;
    it = d->vocab.find(s + "</w>");
    d->byte_eow_id[b] = it == d->vocab.end() ? d->unk : it->second;
  }

  std::istringstream mf(merges);
  std::string line;
  int64_t rank = 0;
  for (size_t line_no = 1; std::getline(mf, line); ++line_no) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if ((line_no == 1 && line.rfind("#version", 0) == 0) || line.empty()) continue;
    const size_t sp = line.find(' ');
    if (sp == std::string::npos || line.find(' ', sp + 1) != std::string::npos)
      throw ModelLoadError(merges_path.string() + ": line " + std::to_string(line_no) + " is not \"left right\"");
    const std::string a = line.substr(0, sp), b = line.substr(sp + 1);
    const fs::path where = merges_path.string() + " line " + std::to_string(line_no);
    const uint64_t key = byte_level::merge_key(id_of(a, where), id_of(b, where));
    d->merges[key] = {rank++, id_of(a + b, where)};
  }
  if (rank == 0) throw ModelLoadError(merges_path.string() + ": no merges");
  CLIPTokenizer t;
  t.d_ = std::move(d);
  return t;
  });
}

std::vector<int64_t> CLIPTokenizer::tokenize(const std::string& text) const {
  std::vector<int64_t> ids;
  auto segment = [&](size_t from, size_t to) {
    if (from >= to) return;
    // The Replace(\s+ -> " ") normalizer is skipped: the split drops all whitespace anyway.
    for (const auto& piece : pre_tokenize(lowercase(nfc(decode_utf8(text.substr(from, to - from)))))) bpe(*d_, piece, ids);
  };
  size_t start = 0, i = 0;
  while (i < text.size()) {
    const std::pair<std::string, int64_t>* best = nullptr;
    for (const auto& s : d_->specials)
      if (text.compare(i, s.first.size(), s.first) == 0 && (!best || s.first.size() > best->first.size())) best = &s;
    if (!best) {
      ++i;
      continue;
    }
    segment(start, i);
    ids.push_back(best->second);
    i += best->first.size();
    start = i;
  }
  segment(start, text.size());
  return ids;
}

std::vector<int64_t> CLIPTokenizer::encode(const std::string& text, size_t max_length) const {
  if (max_length < 2)
    throw InvalidInput("CLIP tokenizer: max_length " + std::to_string(max_length) + " leaves no room for BOS and EOS");
  std::vector<int64_t> content = tokenize(text);
  if (content.size() > max_length - 2) content.resize(max_length - 2);
  std::vector<int64_t> ids;
  ids.reserve(max_length);
  ids.push_back(d_->bos);
  ids.insert(ids.end(), content.begin(), content.end());
  ids.push_back(d_->eos);
  ids.resize(max_length, d_->pad);
  return ids;
}

int64_t CLIPTokenizer::bos_id() const { return d_->bos; }
int64_t CLIPTokenizer::eos_id() const { return d_->eos; }
int64_t CLIPTokenizer::pad_id() const { return d_->pad; }
size_t CLIPTokenizer::vocab_size() const { return d_->vocab.size(); }

}  // namespace coz::text
