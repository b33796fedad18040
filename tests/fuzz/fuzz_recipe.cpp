// Reading a recipe out of hostile image bytes (recipe_from_bytes is find_recipe), and embedding
// one: wherever embed_recipe accepts a file that held no recipe, it must read back byte for byte.
#include "fuzz_common.h"
#include "metadata.h"

namespace {
// Non-ASCII UTF-8, XML's special characters, a CDATA terminator, CR/LF: every escape path.
const std::string kRecipe = "{\"prompt\":\"caf\xC3\xA9 \xF0\x9F\xA6\x8A <b>&amp;</b> ]]>\",\r\n\"steps\":4}";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::string before = "unread";
  coz::fuzz::expect_only_our_errors([&] { before = coz::io::find_recipe(bytes); });
  if (before.size() > size) __builtin_trap();  // a recipe is never longer than its file
  if (!before.empty()) return 0;
  std::string after;
  try {
    after = coz::io::embed_recipe(bytes, kRecipe);
  } catch (const coz::Error&) {
    return 0;
  }
  if (after == bytes) return 0;  // BMP: no place for it
  if (coz::io::find_recipe(after) != kRecipe) __builtin_trap();
  return 0;
}
