// The Unicode pieces the tokenizers share: UTF-8 decoding and encoding, NFC, lowercase, and the
// character classes of the regexes huggingface/tokenizers runs (Oniguruma's \p{L}, \p{N}, \s).
// The tables are the reference's own (see the generated-data comment in unicode.cpp).
#pragma once
#include <string>
#include <string_view>

namespace coz::text {

// How decode_utf8 replaces a byte sequence that is not UTF-8 (each way gives U+FFFD):
//   PerByte        one U+FFFD per byte of a bad sequence, then the next byte starts afresh;
//   MaximalSubpart one U+FFFD per maximal subpart (Unicode §3.9), as Python's
//                  bytes.decode(errors="replace") and Rust's String::from_utf8_lossy do.
enum class Utf8Errors { PerByte, MaximalSubpart };

std::u32string decode_utf8(std::string_view s, Utf8Errors errors = Utf8Errors::PerByte);
void append_utf8(std::string& out, char32_t c);
std::string encode_utf8(std::u32string_view s);
// `bytes` with every invalid sequence replaced by U+FFFD, the way Python's bytes.decode("utf-8",
// errors="replace") does.
std::string replace_invalid_utf8(std::string_view bytes);

// Unicode normalization form C (canonical decomposition, ordering, composition).
std::u32string nfc(const std::u32string& s);
// Per code point, as Rust's char::to_lowercase (the only multi-code-point mapping is U+0130).
std::u32string lowercase(const std::u32string& s);

bool is_letter(char32_t c);  // \p{L}
bool is_number(char32_t c);  // \p{N}
bool is_space(char32_t c);   // \s of Oniguruma and Rust's char::is_whitespace (White_Space)

}  // namespace coz::text
