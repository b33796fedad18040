// Qwen2 byte-level BPE tokenizer read from a Hugging Face tokenizer.json, as huggingface/tokenizers
// runs Qwen2TokenizerFast's file (the pipeline is described in qwen_tokenizer.cpp). Used for
// Qwen2.5-VL prompts: encode() is transformers' encode(add_special_tokens=False), decode() its
// decode(clean_up_tokenization_spaces=False).
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coz::text {

class QwenTokenizer {
 public:
  // Throws coz::ModelLoadError naming the file: missing or not JSON, a tokenizer of another family
  // (Unigram, WordPiece, a BPE without ByteLevel), a normaliser or pre-tokenizer other than Qwen2's,
  // or a vocabulary/merge table that does not hold together.
  static QwenTokenizer from_file(const std::filesystem::path& tokenizer_json);
  // The same from the parsed file; `for_errors` names it in messages (tests, the fuzzer).
  static QwenTokenizer from_json(const nlohmann::json& tokenizer, const std::filesystem::path& for_errors);

  // Token ids of `text`; added tokens (<|im_start|>, <|image_pad|>, ...) written in the text map to
  // their ids. No BOS/EOS. Invalid UTF-8 bytes are read as U+FFFD.
  std::vector<int64_t> encode(const std::string& text) const;
  // The text of `ids`; special added tokens are left out when skip_special_tokens. Byte sequences
  // that are not UTF-8 become U+FFFD. Throws coz::InvalidInput naming an id the tokenizer lacks.
  std::string decode(const std::vector<int64_t>& ids, bool skip_special_tokens = true) const;

  // The id of an added token (by its content) or of a vocabulary token (in its byte-level spelling,
  // e.g. "Ġworld").
  std::optional<int64_t> token_id(const std::string& token) const;
  // Whether `id` is a vocabulary or added token (a model's padded embedding rows are not).
  bool has_id(int64_t id) const;
  // Distinct ids known (vocabulary and added tokens), not the model's padded embedding rows.
  size_t size() const;

  struct Data;

 private:
  std::shared_ptr<const Data> d_;
};

}  // namespace coz::text
