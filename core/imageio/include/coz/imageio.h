// Image files in and out (OpenCV codecs): PNG 8/16-bit, JPEG, WebP, TIFF 8/16-bit, BMP.
// EXIF orientation is applied, grey and palette images become RGB, alpha is kept.
// Files can carry the recipe of the run that made them (issue 14): see WriteOptions::recipe.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "coz/api.h"
#include "coz/image.h"

namespace coz::io {

struct ReadOptions {
  int64_t max_pixels = 200'000'000;  // refuse larger declared sizes (decompression bombs)
};

struct WriteOptions {
  int bit_depth = 8;       // 16 for PNG and TIFF only
  int jpeg_quality = 95;
  int webp_quality = 95;   // > 100 = lossless
  // The recipe (JSON text, UTF-8) to embed; empty: none. PNG: an uncompressed iTXt chunk with
  // keyword "coz:recipe"; JPEG (APP1), WebP ("XMP " chunk) and TIFF (tag 700): an XMP packet whose
  // <coz:recipe> (namespace https://coz.studio/ns/1.0/) holds it. The pixels are unchanged. BMP has
  // no place for metadata and is written without it. A JPEG holds at most 65533 bytes of XMP: a
  // larger recipe throws InvalidInput rather than being dropped.
  std::string recipe;
};

// Throws InvalidInput with the path and the reason (missing, empty, corrupt, too large, ...).
COZ_API Image read_image(const std::string& path, const ReadOptions& opt = {});
// The same for an image file's bytes already in memory (an upload); `name` stands for the file in
// the error messages ("image", "the upload", a URL, ...).
COZ_API Image decode_image(const std::string& bytes, const std::string& name, const ReadOptions& opt = {});

// Writes atomically (temp file + rename). Throws InvalidInput for unknown extensions,
// unsupported bit depths and unwritable paths.
COZ_API void write_image(const std::string& path, const Image& img, const WriteOptions& opt = {});

// Encodes to the format of `ext` (".png", ".jpg", ...), e.g. for the clipboard or HTTP.
COZ_API std::string encode_image(const std::string& ext, const Image& img, const WriteOptions& opt = {});

// The recipe embedded by write_image/encode_image, "" when the file has none (or is a BMP, or of
// another format). Throws InvalidInput with the path and the reason when the file cannot be read or
// holds a damaged recipe (failed CRC, broken XMP).
COZ_API std::string read_recipe(const std::string& path);
// The same, from a file's bytes (e.g. from encode_image).
COZ_API std::string recipe_from_bytes(std::string_view bytes);

COZ_API const std::vector<std::string>& writable_extensions();
// Whether files of this extension (".png", any case) hold 16 bits per channel: PNG and TIFF.
COZ_API bool holds_16_bit(const std::string& ext);

}  // namespace coz::io
