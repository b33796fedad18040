// A run's recipe (JSON text, UTF-8) inside the image files CoZ writes, at the byte level: no
// OpenCV, no LibTorch, so the fuzzer builds this file alone.
//   PNG   an uncompressed iTXt chunk, keyword "coz:recipe", before the first IDAT
//   JPEG  an APP1 XMP segment after SOI (and APP0 / Exif APP1), at most 65533 bytes
//   WebP  a RIFF "XMP " chunk; a simple VP8/VP8L file becomes the extended (VP8X) layout
//   TIFF  XMP in tag 700 (XMLPacket) of a rewritten IFD0 appended to the file
// The XMP packet holds <coz:recipe> (namespace https://coz.studio/ns/1.0/) with the JSON escaped.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace coz::io {

inline constexpr size_t kMaxRecipeBytes = size_t{16} << 20;  // far above any real recipe
inline constexpr size_t kJpegMaxSegment = 65533;             // APP1 payload: 65535 minus its length field

// `encoded` (a PNG, JPEG, WebP or TIFF file) with `recipe` embedded; a BMP comes back unchanged
// (the format has no place for metadata). Throws InvalidInput when the recipe is not UTF-8 text,
// does not fit (JPEG), or the file is not a well-formed container of a known format.
std::string embed_recipe(std::string encoded, std::string_view recipe);

// The first non-empty recipe in an encoded file, "" when it has none, is truncated before it or is
// of another format. Throws InvalidInput only where a recipe is present but damaged (CRC mismatch,
// unterminated element, bad escape, zlib-compressed iTXt, over kMaxRecipeBytes). Never reads past
// `bytes`, never recurses, allocates at most the recipe's size.
std::string find_recipe(std::string_view bytes);

// The XMP packet that carries `recipe`, and the recipe read back from a packet ("" when it has no
// <coz:recipe>).
std::string xmp_packet(std::string_view recipe);
std::string recipe_from_xmp(std::string_view xmp);

// CRC-32 of PNG chunks (ISO 3309, as zlib's crc32).
uint32_t crc32(std::string_view bytes);

}  // namespace coz::io
