// Base64 (RFC 4648) for `coz serve`, its load test and its tests: the standard alphabet when
// encoding; standard or URL-safe when decoding, whitespace ignored, padding optional.
#pragma once
#include <cstdint>
#include <string>

namespace coz::cli {

inline std::string base64_encode(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) out += t[(acc >> (bits -= 6)) & 63];
  }
  if (bits) out += t[(acc << (6 - bits)) & 63];
  while (out.size() % 4) out += '=';
  return out;
}

enum class Base64Error { None, BadCharacter, DataAfterPadding, Truncated };

// Decodes in[start..] into out; on an error, `at` is the offending character's index.
inline Base64Error base64_decode(const std::string& in, size_t start, std::string& out, size_t& at) {
  out.clear();
  uint32_t acc = 0;
  int bits = 0;
  bool pad = false;
  for (size_t i = start; i < in.size(); ++i) {
    const char c = in[i];
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else if (c == '=') { pad = true; continue; }
    else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    else { at = i; return Base64Error::BadCharacter; }
    if (pad) { at = i; return Base64Error::DataAfterPadding; }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (bits >= 6) { at = in.size(); return Base64Error::Truncated; }
  return Base64Error::None;
}

}  // namespace coz::cli
