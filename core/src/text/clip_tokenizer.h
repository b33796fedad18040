// CLIP byte-level BPE tokenizer as transformers 5 runs it for SD3's tokenizer/ and tokenizer_2/
// (CLIPTokenizer backed by the `tokenizers` library; see clip_tokenizer.cpp for the pipeline).
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace coz::text {

class CLIPTokenizer {
 public:
  // Reads vocab.json, merges.txt and special_tokens_map.json (or, without it, tokenizer_config.json).
  // The pad token decides the pad id: "<|endoftext|>" for SD3's tokenizer/, "!" for tokenizer_2/.
  // Throws coz::ModelLoadError naming the file and the value.
  static CLIPTokenizer from_folder(const std::filesystem::path& dir);

  // [BOS, tokens..., EOS, pad...], exactly max_length ids (>= 2). Longer texts keep their first
  // max_length-2 tokens. Invalid UTF-8 bytes are read as U+FFFD.
  std::vector<int64_t> encode(const std::string& text, size_t max_length = 77) const;
  // The content tokens alone (no BOS/EOS, no truncation, no padding).
  std::vector<int64_t> tokenize(const std::string& text) const;

  int64_t bos_id() const;
  int64_t eos_id() const;
  int64_t pad_id() const;
  size_t vocab_size() const;

  struct Data;

 private:
  std::shared_ptr<const Data> d_;
};

}  // namespace coz::text
