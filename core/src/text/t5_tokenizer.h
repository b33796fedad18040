// T5 tokenizer (SD3's tokenizer_3) reproducing transformers' T5TokenizerFast (tokenizers' Unigram
// from spiece.model: added tokens split out first, Precompiled (nmt_nfkc) normaliser, WhitespaceSplit,
// Metaspace "▁" with prepend_scheme "always", then "</s>" appended) on top of libsentencepiece.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace coz::text {

class T5Tokenizer {
 public:
  // True when the engine was built with SentencePiece.
  static bool available();
  // dir holds spiece.model; tokenizer_config.json (extra_ids, eos/pad/unk token) and tokenizer.json
  // (added tokens) are read when present. Throws coz::ModelLoadError naming the file.
  static T5Tokenizer from_folder(const std::filesystem::path& dir);

  // ids of `text` with EOS "</s>" appended, truncated so that EOS stays (at most max_length ids) and
  // padded with "<pad>" to max_length; max_length = 0 means no truncation and no padding.
  std::vector<int64_t> encode(const std::string& text, size_t max_length = 512) const;
  // Content ids only (no EOS, no padding).
  std::vector<int64_t> tokenize(const std::string& text) const;

  int64_t eos_id() const;
  int64_t pad_id() const;
  int64_t vocab_size() const;  // SentencePiece pieces + extra ids (32100 for T5, the model pads to 32128)

  struct Impl;

 private:
  static T5Tokenizer read_folder(const std::filesystem::path& dir);
  explicit T5Tokenizer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace coz::text
