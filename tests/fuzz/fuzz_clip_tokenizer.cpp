// The CLIP BPE tokenizer files: vocab.json, special_tokens_map.json and merges.txt; a tokenizer
// that loads then encodes a fixed text and the fuzz input itself.
#include "fuzz_common.h"
#include "json_file.h"
#include "text/clip_tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto parts = coz::fuzz::split(data, size, 3);
  coz::fuzz::expect_only_our_errors([&] {
    const auto vocab = coz::parse_json_text(parts[0], "fuzz/vocab.json");
    const auto special = coz::parse_json_text(parts[1], "fuzz/special_tokens_map.json");
    const auto tok = coz::text::CLIPTokenizer::from_data(vocab, "fuzz/vocab.json", special,
                                                         "fuzz/special_tokens_map.json", parts[2], "fuzz/merges.txt");
    if (tok.encode("a photo of a cat, sharp detail", 77).size() != 77) __builtin_trap();
    if (tok.encode(parts[2].substr(0, 200), 16).size() != 16) __builtin_trap();
  });
  return 0;
}
