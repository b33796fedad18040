// Image files in and out (OpenCV codecs): PNG 8/16-bit, JPEG, WebP, TIFF 8/16-bit, BMP.
// EXIF orientation is applied, grey and palette images become RGB, alpha is kept.
#pragma once
#include <cstdint>
#include <string>
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
};

// Throws InvalidInput with the path and the reason (missing, empty, corrupt, too large, ...).
COZ_API Image read_image(const std::string& path, const ReadOptions& opt = {});

// Writes atomically (temp file + rename). Throws InvalidInput for unknown extensions,
// unsupported bit depths and unwritable paths.
COZ_API void write_image(const std::string& path, const Image& img, const WriteOptions& opt = {});

// Encodes to the format of `ext` (".png", ".jpg", ...), e.g. for the clipboard or HTTP.
COZ_API std::string encode_image(const std::string& ext, const Image& img, const WriteOptions& opt = {});

COZ_API const std::vector<std::string>& writable_extensions();
// Whether files of this extension (".png", any case) hold 16 bits per channel: PNG and TIFF.
COZ_API bool holds_16_bit(const std::string& ext);

}  // namespace coz::io
