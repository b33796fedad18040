// CLIP byte-level BPE tokenizer as transformers 5 runs it for SD3's tokenizer/ and tokenizer_2/
// (CLIPTokenizer backed by the `tokenizers` library; see clip_tokenizer.cpp for the pipeline).
#pragma once
#include <nlohmann/json_fwd.hpp>

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
  // From the parsed files (vocab.json, special_tokens_map.json or tokenizer_config.json, and the
  // text of merges.txt); the paths name them in errors (used by the fuzzer).
  static CLIPTokenizer from_data(const nlohmann::json& vocab, const std::filesystem::path& vocab_path,
                                 const nlohmann::json& special, const std::filesystem::path& special_path,
                                 const std::string& merges, const std::filesystem::path& merges_path);

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
