// Reads an image file's declared size and EXIF orientation from its header, without decoding,
// so oversized files are refused before any pixel memory is allocated.
#pragma once
#include <cstdint>
#include <string>

namespace coz::io {

enum class Format { Unknown, PNG, JPEG, WebP, TIFF, BMP };

struct HeaderInfo {
  Format format = Format::Unknown;
  int64_t width = -1, height = -1;  // -1: not found
  int orientation = 1;              // EXIF 1..8
  bool truncated = false;           // structurally incomplete (e.g. JPEG without end marker)
};

HeaderInfo sniff_header(const std::string& bytes);
const char* format_name(Format f);

// Refuses, before any decoding, a header that declares an empty image, more than `max_pixels`
// pixels (compared without overflow, whatever the declared sizes), or a truncated file. Throws
// coz::InvalidInput naming `path`.
void check_declared_size(const HeaderInfo& h, const std::string& path, int64_t max_pixels);

}  // namespace coz::io
