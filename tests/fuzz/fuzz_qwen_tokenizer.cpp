// The Qwen2 tokenizer.json reader, both ways in: from_file (which streams model.vocab and
// model.merges past the JSON tree) and from_json (the parsed file). The two must agree; a tokenizer
// that loads encodes a fixed prompt and the input's own text, and decodes every id it produced.
#include <unistd.h>

#include <fstream>
#include <functional>
#include <optional>

#include "fuzz_common.h"
#include "json_file.h"
#include "text/qwen_tokenizer.h"

using coz::text::QwenTokenizer;

namespace {

std::optional<QwenTokenizer> load(const std::function<QwenTokenizer()>& f) {
  try {
    return f();
  } catch (const coz::ModelLoadError&) {
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  static const std::string file = "/tmp/fuzz_qwen_tokenizer." + std::to_string(getpid()) + ".json";
  std::ofstream(file, std::ios::binary | std::ios::trunc).write(text.data(), static_cast<std::streamsize>(text.size()));
  const auto streamed = load([&] { return QwenTokenizer::from_file(file); });
  const auto parsed = load([&] { return QwenTokenizer::from_json(coz::parse_json_text(text, file), file); });
  if (streamed.has_value() != parsed.has_value()) __builtin_trap();
  if (!streamed) return 0;
  if (streamed->size() != parsed->size()) __builtin_trap();
  for (const std::string& s : {std::string("<|im_start|>system\nWhat is in this image? 日本語 café 123<|im_end|>\n"),
                               text.substr(0, 300)}) {
    const auto ids = streamed->encode(s);
    if (ids != parsed->encode(s)) __builtin_trap();
    try {
      (void)streamed->decode(ids, false);
      (void)streamed->decode(ids, true);
    } catch (const coz::InvalidInput&) {
      __builtin_trap();  // encode() gave an id decode() does not know
    }
  }
  return 0;
}
