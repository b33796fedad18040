// Header layouts: PNG (IHDR, eXIf), JPEG (SOFn, APP1 Exif, EOI after SOS), BMP (BITMAPINFOHEADER),
// WebP (RIFF: VP8/VP8L/VP8X, EXIF chunk), TIFF (IFD0 tags 256/257/274).
#include "image_header.h"

#include <cstring>
#include <sstream>

#include "coz/error.h"

namespace coz::io {
namespace {

struct Reader {
  const unsigned char* p;
  size_t n;
  bool le = true;
  bool ok(size_t off, size_t len) const { return off <= n && len <= n - off; }
  uint32_t u8(size_t o) const { return ok(o, 1) ? p[o] : 0; }
  uint32_t u16(size_t o) const {
    if (!ok(o, 2)) return 0;
    return le ? (p[o] | (p[o + 1] << 8)) : ((p[o] << 8) | p[o + 1]);
  }
  uint32_t u32(size_t o) const {
    if (!ok(o, 4)) return 0;
    return le ? (p[o] | (p[o + 1] << 8) | (p[o + 2] << 16) | (uint32_t(p[o + 3]) << 24))
              : ((uint32_t(p[o]) << 24) | (p[o + 1] << 16) | (p[o + 2] << 8) | p[o + 3]);
  }
};

// Parses a TIFF structure (also the body of an Exif block): size and orientation from IFD0.
void parse_tiff(const unsigned char* data, size_t n, HeaderInfo& h, bool want_size) {
  if (n < 8) return;
  Reader r{data, n};
  if (data[0] == 'I' && data[1] == 'I') r.le = true;
  else if (data[0] == 'M' && data[1] == 'M') r.le = false;
  else return;
  if (r.u16(2) != 42) return;
  const uint32_t ifd = r.u32(4);
  const uint32_t count = r.u16(ifd);
  for (size_t i = 0; i < count && r.ok(size_t{ifd} + 2 + i * 12, 12); ++i) {
    const size_t e = size_t{ifd} + 2 + i * 12;
    const uint32_t tag = r.u16(e), type = r.u16(e + 2);
    const uint32_t value = type == 3 ? r.u16(e + 8) : r.u32(e + 8);
    if (tag == 274 && value >= 1 && value <= 8) h.orientation = static_cast<int>(value);
    if (want_size && tag == 256) h.width = value;
    if (want_size && tag == 257) h.height = value;
  }
}

void parse_exif_block(const unsigned char* d, size_t n, HeaderInfo& h) {
  if (n >= 6 && std::memcmp(d, "Exif\0\0", 6) == 0) { d += 6; n -= 6; }
  parse_tiff(d, n, h, false);
}

void parse_png(const Reader& r, HeaderInfo& h) {
  h.format = Format::PNG;
  if (r.n < 24) { h.truncated = true; return; }
  Reader be = r;
  be.le = false;
  h.width = be.u32(16);
  h.height = be.u32(20);
  bool iend = false;
  for (size_t o = 8; be.ok(o, 12);) {
    const uint32_t len = be.u32(o);
    if (std::memcmp(r.p + o + 4, "eXIf", 4) == 0 && be.ok(o + 8, len)) parse_exif_block(r.p + o + 8, len, h);
    if (std::memcmp(r.p + o + 4, "IEND", 4) == 0) { iend = true; break; }
    if (len > r.n) break;
    o += 12 + static_cast<size_t>(len);
  }
  (void)iend;  // libpng itself rejects cut-off pixel data; a missing IEND alone is tolerated
}

void parse_jpeg(const Reader& r, HeaderInfo& h) {
  h.format = Format::JPEG;
  Reader be = r;
  be.le = false;
  size_t o = 2;
  bool sos = false;
  while (be.ok(o, 4)) {
    if (r.p[o] != 0xFF) { ++o; continue; }
    const uint32_t m = r.p[o + 1];
    if (m == 0xFF) { ++o; continue; }
    if (m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) { o += 2; continue; }
    const uint32_t len = be.u16(o + 2);
    if (m == 0xE1 && be.ok(o + 4, len - 2)) parse_exif_block(r.p + o + 4, len - 2, h);
    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
      h.height = be.u16(o + 5);
      h.width = be.u16(o + 7);
    }
    if (m == 0xDA) { sos = true; o += 2 + len; break; }
    o += 2 + len;
  }
  // The entropy-coded data cannot contain FF D9, so the end marker must follow the first SOS.
  bool eoi = false;
  if (sos)
    for (size_t i = o; i + 1 < r.n; ++i)
      if (r.p[i] == 0xFF && r.p[i + 1] == 0xD9) { eoi = true; break; }
  h.truncated = !eoi;
}

void parse_webp(const Reader& r, HeaderInfo& h) {
  h.format = Format::WebP;
  for (size_t o = 12; r.ok(o, 8);) {
    const char* id = reinterpret_cast<const char*>(r.p + o);
    const uint32_t len = r.u32(o + 4);
    const size_t d = o + 8;
    if (std::memcmp(id, "VP8 ", 4) == 0 && r.ok(d, 10)) {
      h.width = r.u16(d + 6) & 0x3FFF;
      h.height = r.u16(d + 8) & 0x3FFF;
    } else if (std::memcmp(id, "VP8L", 4) == 0 && r.ok(d, 5)) {
      const uint32_t b = r.u32(d + 1);
      h.width = 1 + (b & 0x3FFF);
      h.height = 1 + ((b >> 14) & 0x3FFF);
    } else if (std::memcmp(id, "VP8X", 4) == 0 && r.ok(d, 10)) {
      h.width = 1 + (r.u8(d + 4) | (r.u8(d + 5) << 8) | (r.u8(d + 6) << 16));
      h.height = 1 + (r.u8(d + 7) | (r.u8(d + 8) << 8) | (r.u8(d + 9) << 16));
    } else if (std::memcmp(id, "EXIF", 4) == 0 && r.ok(d, len)) {
      parse_exif_block(r.p + d, len, h);
    }
    if (len > r.n) break;
    o = d + len + (len & 1);
  }
  if (h.width < 0) h.truncated = true;
}

}  // namespace

HeaderInfo sniff_header(const std::string& bytes) {
  HeaderInfo h;
  Reader r{reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()};
  const auto starts = [&](const char* sig, size_t len, size_t at = 0) {
    return r.ok(at, len) && std::memcmp(r.p + at, sig, len) == 0;
  };
  if (starts("\x89PNG\r\n\x1a\n", 8)) {
    parse_png(r, h);
  } else if (starts("\xFF\xD8\xFF", 3)) {
    parse_jpeg(r, h);
  } else if (starts("RIFF", 4) && starts("WEBP", 4, 8)) {
    parse_webp(r, h);
  } else if (starts("II*\0", 4) || starts("MM\0*", 4)) {
    h.format = Format::TIFF;
    parse_tiff(r.p, r.n, h, true);
  } else if (starts("BM", 2)) {
    h.format = Format::BMP;
    if (r.n < 26) { h.truncated = true; return h; }
    h.width = static_cast<int32_t>(r.u32(18));
    const int32_t hh = static_cast<int32_t>(r.u32(22));
    h.height = hh < 0 ? -static_cast<int64_t>(hh) : hh;  // top-down BMPs store -height
  }
  return h;
}

void check_declared_size(const HeaderInfo& h, const std::string& path, int64_t max_pixels) {
  // Only formats whose size we can read are handed to the decoder: anything else could allocate
  // whatever it declares before the limit is checked.
  if (h.format == Format::Unknown)
    throw InvalidInput(path + " is not an image in a supported format (PNG, JPEG, WebP, TIFF, BMP)");
  if ((h.width < 0 || h.height < 0) && !h.truncated)
    throw InvalidInput(path + ": the " + std::string(format_name(h.format)) +
                       " header does not declare the image size; the file is corrupt or a variant we cannot read");
  if (h.width == 0 || h.height == 0)
    throw InvalidInput(path + ": the " + std::string(format_name(h.format)) + " header declares an empty image; the file is corrupt");
  int64_t pixels = 0;
  if (h.width > 0 && h.height > 0 && (__builtin_mul_overflow(h.width, h.height, &pixels) || pixels > max_pixels)) {
    std::ostringstream o;
    o << path << " declares " << h.width << "x" << h.height << " pixels";
    if (pixels > 0) o << " (" << pixels / 1000000 << " megapixels)";
    o << ", over the limit of " << max_pixels / 1000000
      << " megapixels; if you trust the file, raise the limit (--max-pixels)";
    throw InvalidInput(o.str());
  }
  if (h.truncated)
    throw InvalidInput(path + ": the " + std::string(format_name(h.format)) + " file is truncated or corrupt; re-export or re-download it");
}

const char* format_name(Format f) {
  switch (f) {
    case Format::PNG: return "PNG";
    case Format::JPEG: return "JPEG";
    case Format::WebP: return "WebP";
    case Format::TIFF: return "TIFF";
    case Format::BMP: return "BMP";
    case Format::Unknown: break;
  }
  return "unknown";
}

}  // namespace coz::io
