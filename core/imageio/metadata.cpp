// Layouts followed: PNG 1.2 section 4.2.3.3 (iTXt); JPEG T.81 B.1.1 with XMP part 3 section 1.1.3
// (APP1); the WebP container spec (RIFF, VP8X flags, "XMP " chunk); TIFF 6.0 section 2 (IFD) with
// XMP part 3 section 1.1.4 (tag 700). Every reader checks an offset before reading it, walks chunks
// in a loop that always moves forward, and copies nothing larger than the recipe itself.
#include "metadata.h"

#include <algorithm>
#include <array>
#include <vector>

#include "coz/error.h"

namespace coz::io {
namespace {

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
constexpr std::string_view kKeyword = "coz:recipe";
constexpr std::string_view kXmpNamespace("http://ns.adobe.com/xap/1.0/\0", 29);
constexpr std::string_view kExifHeader("Exif\0\0", 6);
constexpr uint32_t kTiffXmpTag = 700;

struct Bytes {
  std::string_view s;
  bool le = false;
  bool ok(size_t off, size_t len) const { return off <= s.size() && len <= s.size() - off; }
  uint32_t u8(size_t o) const { return ok(o, 1) ? static_cast<unsigned char>(s[o]) : 0; }
  uint32_t u16(size_t o) const {
    if (!ok(o, 2)) return 0;
    return le ? u8(o) | u8(o + 1) << 8 : u8(o) << 8 | u8(o + 1);
  }
  uint32_t u32(size_t o) const {
    if (!ok(o, 4)) return 0;
    return le ? u16(o) | u16(o + 2) << 16 : u16(o) << 16 | u16(o + 2);
  }
  bool is(size_t o, std::string_view tag) const { return ok(o, tag.size()) && s.substr(o, tag.size()) == tag; }
};

void put16(std::string& out, uint32_t v, bool le) {
  const char b[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
  out += le ? std::string{b[1], b[0]} : std::string{b[0], b[1]};
}
void put32(std::string& out, uint32_t v, bool le) {
  if (le) { put16(out, v & 0xFFFF, true); put16(out, v >> 16, true); }
  else { put16(out, v >> 16, false); put16(out, v & 0xFFFF, false); }
}
void patch32(std::string& out, size_t at, uint32_t v, bool le) {
  std::string b;
  put32(b, v, le);
  out.replace(at, 4, b);
}

enum class Container { PNG, JPEG, WebP, TIFF, BMP, Unknown };

Container container_of(std::string_view s) {
  const Bytes b{s};
  if (b.is(0, kPngSignature)) return Container::PNG;
  if (b.is(0, "\xFF\xD8\xFF")) return Container::JPEG;
  if (b.is(0, "RIFF") && b.is(8, "WEBP")) return Container::WebP;
  if (b.is(0, std::string_view("II*\0", 4)) || b.is(0, std::string_view("MM\0*", 4))) return Container::TIFF;
  if (b.is(0, "BM")) return Container::BMP;
  return Container::Unknown;
}

InvalidInput damaged(const std::string& why) { return InvalidInput("the embedded recipe is damaged: " + why); }
InvalidInput cannot_embed(const std::string& why) { return InvalidInput("cannot add the recipe: " + why); }

// Throws unless `r` is UTF-8 text that XML can carry. JSON escapes control characters, so tab,
// LF and CR are the only ones a recipe holds raw.
void check_recipe_text(std::string_view r) {
  if (r.size() > kMaxRecipeBytes)
    throw InvalidInput("the recipe is " + std::to_string(r.size()) + " bytes, over the limit of " +
                       std::to_string(kMaxRecipeBytes >> 20) + " MiB");
  const Bytes b{r};
  for (size_t i = 0; i < r.size();) {
    const uint32_t c = b.u8(i);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        throw InvalidInput("the recipe holds control character " + std::to_string(c) + " at byte " + std::to_string(i) +
                           "; JSON text writes it as an escape (\\u00XX)");
      ++i;
      continue;
    }
    const size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    uint32_t cp = len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    bool good = len != 0 && b.ok(i, len);
    for (size_t k = 1; good && k < len; ++k) {
      good = (b.u8(i + k) & 0xC0) == 0x80;
      cp = cp << 6 | (b.u8(i + k) & 0x3F);
    }
    good = good && !(len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) || cp >= 0xFFFE)) &&
           !(len == 4 && (cp < 0x10000 || cp > 0x10FFFF));
    if (!good) throw InvalidInput("the recipe is not valid UTF-8 at byte " + std::to_string(i) + "; a recipe is JSON text");
    i += len;
  }
}

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\r': out += "&#xD;"; break;  // an XML parser would turn a raw CR into LF
      default: out += c;
    }
  }
  return out;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// XML character data or an attribute value back to text: the five named entities and character
// references. Never longer than its input (every escape is at least as long as what it stands for).
std::string xml_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '<') throw damaged("markup inside <coz:recipe>");
    if (c != '&') {
      out += c;
      continue;
    }
    const size_t semi = s.substr(i, 12).find(';');
    if (semi == std::string_view::npos) throw damaged("an unterminated '&' escape at byte " + std::to_string(i));
    const std::string_view e = s.substr(i + 1, semi - 1);
    if (e == "amp") out += '&';
    else if (e == "lt") out += '<';
    else if (e == "gt") out += '>';
    else if (e == "quot") out += '"';
    else if (e == "apos") out += '\'';
    else {
      const bool hex = e.size() > 2 && e[0] == '#' && (e[1] == 'x' || e[1] == 'X');
      const std::string_view digits = hex ? e.substr(2) : e.size() > 1 && e[0] == '#' ? e.substr(1) : std::string_view();
      uint32_t cp = 0;
      bool good = !digits.empty() && digits.size() <= 8;
      for (size_t k = 0; good && k < digits.size(); ++k) {
        const char d = digits[k];
        const int v = d >= '0' && d <= '9' ? d - '0'
                      : hex && d >= 'a' && d <= 'f' ? d - 'a' + 10
                      : hex && d >= 'A' && d <= 'F' ? d - 'A' + 10 : -1;
        good = v >= 0;
        cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(std::max(v, 0));
      }
      if (!good || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        throw damaged("an unknown escape '&" + std::string(e) + ";'");
      append_utf8(out, cp);
    }
    i += semi;
  }
  if (out.size() > kMaxRecipeBytes) throw damaged(std::to_string(out.size()) + " bytes, over the limit of 16 MiB");
  return out;
}

// ---- PNG ----

struct PngChunk {
  uint32_t len = 0;
  std::string_view type, data;
};

// The complete chunk at `at`; false at the end of the data or where a length runs past it.
bool png_chunk(const Bytes& b, size_t at, PngChunk& c) {
  if (!b.ok(at, 12)) return false;
  c.len = b.u32(at);
  if (c.len > 0x7FFFFFFF || !b.ok(at, size_t{12} + c.len)) return false;
  c.type = b.s.substr(at + 4, 4);
  c.data = b.s.substr(at + 8, c.len);
  return true;
}

// The text of an iTXt chunk whose keyword is ours, "" for any other keyword.
std::string recipe_from_itxt(const Bytes& b, size_t at, const PngChunk& c) {
  const size_t key_end = c.data.substr(0, 80).find('\0');
  if (key_end == std::string_view::npos || c.data.substr(0, key_end) != kKeyword) return "";
  if (crc32(b.s.substr(at + 4, size_t{4} + c.len)) != b.u32(at + 8 + c.len))
    throw damaged("the PNG's coz:recipe chunk fails its CRC check");
  const Bytes d{c.data};
  if (!d.ok(key_end + 1, 2)) throw damaged("the PNG's coz:recipe chunk ends inside its header");
  if (d.u8(key_end + 1) != 0)
    throw InvalidInput("the PNG's coz:recipe chunk is zlib-compressed, which CoZ does not read; re-save it uncompressed");
  const size_t lang_end = c.data.find('\0', key_end + 3);
  const size_t tkey_end = lang_end == std::string_view::npos ? lang_end : c.data.find('\0', lang_end + 1);
  if (tkey_end == std::string_view::npos) throw damaged("the PNG's coz:recipe chunk ends inside its header");
  const std::string_view text = c.data.substr(tkey_end + 1);
  if (text.size() > kMaxRecipeBytes) throw damaged(std::to_string(text.size()) + " bytes, over the limit of 16 MiB");
  return std::string(text);
}

std::string find_png(const Bytes& b) {
  PngChunk c;
  for (size_t at = kPngSignature.size(); png_chunk(b, at, c); at += size_t{12} + c.len) {
    if (c.type == "IEND") break;
    if (c.type != "iTXt") continue;
    std::string r = recipe_from_itxt(b, at, c);
    if (!r.empty()) return r;
  }
  return "";
}

void embed_png(std::string& s, std::string_view recipe) {
  const Bytes b{s};
  PngChunk c;
  size_t at = kPngSignature.size();
  for (; png_chunk(b, at, c); at += size_t{12} + c.len)
    if (c.type == "IDAT" || c.type == "IEND") break;
  if (!png_chunk(b, at, c) || c.type != "IDAT") throw cannot_embed("the PNG data has no image chunk (IDAT)");
  // keyword, NUL, compression flag 0 and method 0, empty language tag and translated keyword.
  std::string body = "iTXt" + std::string(kKeyword) + std::string(4, '\0');
  body.push_back('\0');
  body += recipe;
  std::string chunk;
  put32(chunk, static_cast<uint32_t>(body.size() - 4), false);
  chunk += body;
  put32(chunk, crc32(body), false);
  s.insert(at, chunk);
}

// ---- JPEG ----

struct JpegSegment {
  uint32_t marker = 0;
  std::string_view payload;
  size_t end = 0;  // where the next marker (or fill bytes) starts
};

// The marker segment at `at` (after fill bytes); false at SOS or EOI (the metadata comes before
// them) and where the data is not a well-formed segment.
bool jpeg_segment(const Bytes& b, size_t at, JpegSegment& seg) {
  size_t o = at;
  while (b.u8(o) == 0xFF && b.u8(o + 1) == 0xFF) ++o;
  if (!b.ok(o, 2) || b.u8(o) != 0xFF) return false;
  seg.marker = b.u8(o + 1);
  if (seg.marker == 0x01 || (seg.marker >= 0xD0 && seg.marker <= 0xD8)) {  // no length field
    seg.payload = {};
    seg.end = o + 2;
    return true;
  }
  if (seg.marker == 0xDA || seg.marker == 0xD9 || seg.marker == 0x00) return false;
  const uint32_t len = b.u16(o + 2);
  if (len < 2 || !b.ok(o + 2, len)) return false;
  seg.payload = b.s.substr(o + 4, len - 2);
  seg.end = o + 2 + len;
  return true;
}

std::string find_jpeg(const Bytes& b) {
  JpegSegment seg;
  for (size_t at = 2; jpeg_segment(b, at, seg); at = seg.end) {
    if (seg.marker != 0xE1 || seg.payload.substr(0, kXmpNamespace.size()) != kXmpNamespace) continue;
    std::string r = recipe_from_xmp(seg.payload.substr(kXmpNamespace.size()));
    if (!r.empty()) return r;
  }
  return "";
}

void embed_jpeg(std::string& s, std::string_view recipe) {
  const std::string packet = xmp_packet(recipe);
  const size_t payload = kXmpNamespace.size() + packet.size();
  if (payload > kJpegMaxSegment)
    throw InvalidInput("the recipe (" + std::to_string(recipe.size()) + " bytes) does not fit in a JPEG file: its XMP segment would be " +
                       std::to_string(payload) + " bytes, over the format's limit of " + std::to_string(kJpegMaxSegment) +
                       "; write a PNG, WebP or TIFF instead, or leave the recipe out (--no-metadata)");
  // After SOI, the JFIF APP0 and an Exif APP1, where readers expect the XMP segment.
  const Bytes b{s};
  JpegSegment seg;
  size_t at = 2;
  while (jpeg_segment(b, at, seg) &&
         (seg.marker == 0xE0 || (seg.marker == 0xE1 && seg.payload.substr(0, kExifHeader.size()) == kExifHeader)))
    at = seg.end;
  std::string app1 = "\xFF\xE1";
  put16(app1, static_cast<uint32_t>(payload + 2), false);
  app1 += kXmpNamespace;
  app1 += packet;
  s.insert(at, app1);
}

// ---- WebP ----

struct RiffChunk {
  std::string_view id, data;
  size_t end = 0;  // after the pad byte of an odd-sized chunk
};

bool riff_chunk(const Bytes& b, size_t at, size_t limit, RiffChunk& c) {
  if (at > limit || limit - at < 8) return false;
  const uint32_t len = b.u32(at + 4);
  if (len > limit - at - 8) return false;
  c.id = b.s.substr(at, 4);
  c.data = b.s.substr(at + 8, len);
  c.end = at + 8 + len + (len & 1);
  return true;
}

std::string find_webp(const Bytes& b) {
  // A RIFF size past the end of the data is read as far as the data goes.
  const size_t limit = std::min<size_t>(b.s.size(), size_t{8} + b.u32(4));
  RiffChunk c;
  for (size_t at = 12; riff_chunk(b, at, limit, c); at = c.end) {
    if (c.id != "XMP ") continue;
    std::string r = recipe_from_xmp(c.data);
    if (!r.empty()) return r;
  }
  return "";
}

// The VP8X chunk of a simple (VP8 or VP8L) file, canvas size from the bitstream header.
std::string vp8x_for(const RiffChunk& first) {
  const Bytes d{first.data, true};
  uint32_t w = 0, h = 0;
  bool alpha = false;
  if (first.id == "VP8 " && d.is(3, "\x9D\x01\x2A")) {
    w = d.u16(6) & 0x3FFF;
    h = d.u16(8) & 0x3FFF;
  } else if (first.id == "VP8L" && d.u8(0) == 0x2F && d.ok(1, 4)) {
    const uint32_t bits = d.u32(1);
    w = (bits & 0x3FFF) + 1;
    h = (bits >> 14 & 0x3FFF) + 1;
    alpha = bits >> 28 & 1;
  }
  if (w == 0 || h == 0) throw cannot_embed("the WebP data starts with neither a VP8X chunk nor a valid VP8/VP8L image");
  std::string x = "VP8X";
  put32(x, 10, true);
  x += static_cast<char>(0x04 | (alpha ? 0x10 : 0));  // XMP, alpha
  x += std::string(3, '\0');
  put32(x, w - 1, true);
  x.pop_back();  // 24-bit fields
  put32(x, h - 1, true);
  x.pop_back();
  return x;
}

void embed_webp(std::string& s, std::string_view recipe) {
  const Bytes b{s, true};
  const size_t riff_end = size_t{8} + b.u32(4);
  if (riff_end > s.size()) throw cannot_embed("the WebP RIFF size runs past the end of the data");
  RiffChunk c, first;
  for (size_t at = 12; at < riff_end; at = c.end) {
    if (!riff_chunk(b, at, riff_end, c) || c.end > riff_end) throw cannot_embed("a WebP chunk runs past the end of the data");
    if (at == 12) first = c;
  }
  if (first.id.empty()) throw cannot_embed("the WebP data has no image chunk");
  std::string vp8x;
  if (first.id == "VP8X") {
    if (first.data.size() < 10) throw cannot_embed("the WebP VP8X chunk is too short");
  } else {
    vp8x = vp8x_for(first);
  }
  s.resize(riff_end);  // nothing after the RIFF form belongs to the file
  if (vp8x.empty()) s[20] = static_cast<char>(s[20] | 0x04);  // the XMP flag of the existing VP8X
  else s.insert(12, vp8x);
  const std::string packet = xmp_packet(recipe);
  s += "XMP ";
  put32(s, static_cast<uint32_t>(packet.size()), true);
  s += packet;
  if (packet.size() & 1) s += '\0';
  if (s.size() - 8 > 0xFFFFFFFFu) throw cannot_embed("the WebP file would exceed 4 GiB");
  patch32(s, 4, static_cast<uint32_t>(s.size() - 8), true);
}

// ---- TIFF ----

std::string find_tiff(Bytes b) {
  b.le = b.s[0] == 'I';
  if (b.u16(2) != 42) return "";
  const size_t ifd = b.u32(4);
  const uint32_t n = b.u16(ifd);
  if (!b.ok(ifd, 2 + size_t{12} * n)) return "";  // a directory cut short is not read at all (as libtiff)
  for (size_t i = 0; i < n; ++i) {
    const size_t e = ifd + 2 + 12 * i;
    const uint32_t tag = b.u16(e), type = b.u16(e + 2), count = b.u32(e + 4);
    if (tag != kTiffXmpTag || (type != 1 && type != 2 && type != 7)) continue;  // BYTE, ASCII, UNDEFINED
    const size_t at = count <= 4 ? e + 8 : b.u32(e + 8);
    if (!b.ok(at, count)) return "";
    std::string r = recipe_from_xmp(b.s.substr(at, count));
    if (!r.empty()) return r;
  }
  return "";
}

// Appends the XMP packet and a copy of IFD0 with a tag 700 entry, then points the header at the
// copy; the old IFD0 stays behind unreferenced, and no strip or tile moves.
void embed_tiff(std::string& s, std::string_view recipe) {
  const bool le = s.compare(0, 2, "II") == 0;
  const Bytes b{s, le};
  if (b.u16(2) != 42) throw cannot_embed("the TIFF header is corrupt");
  const size_t ifd = b.u32(4);
  const uint32_t n = b.u16(ifd);
  if (!b.ok(ifd, 2 + size_t{12} * n + 4)) throw cannot_embed("the TIFF's first directory runs past the end of the data");
  std::vector<std::string> entries;
  for (size_t i = 0; i < n; ++i) {
    const size_t e = ifd + 2 + 12 * i;
    if (b.u16(e) != kTiffXmpTag) entries.emplace_back(s.substr(e, 12));
  }
  const std::string next_ifd = s.substr(ifd + 2 + size_t{12} * n, 4);
  if (entries.size() >= 0xFFFF) throw cannot_embed("the TIFF's first directory is full");

  const std::string packet = xmp_packet(recipe);
  if (s.size() & 1) s += '\0';  // values and directories start on a word boundary
  const size_t packet_at = s.size();
  s += packet;
  if (s.size() & 1) s += '\0';
  std::string xmp;
  put16(xmp, kTiffXmpTag, le);
  put16(xmp, 1, le);  // BYTE
  put32(xmp, static_cast<uint32_t>(packet.size()), le);
  put32(xmp, static_cast<uint32_t>(packet_at), le);
  entries.push_back(xmp);
  const auto tag_of = [le](const std::string& e) { return Bytes{e, le}.u16(0); };
  std::stable_sort(entries.begin(), entries.end(),
                   [&](const std::string& x, const std::string& y) { return tag_of(x) < tag_of(y); });
  const size_t new_ifd = s.size();
  put16(s, static_cast<uint32_t>(entries.size()), le);
  for (const std::string& e : entries) s += e;
  s += next_ifd;
  if (s.size() > 0xFFFFFFFFu) throw cannot_embed("the TIFF file would exceed 4 GiB");
  patch32(s, 4, static_cast<uint32_t>(new_ifd), le);
}

}  // namespace

uint32_t crc32(std::string_view bytes) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (const char ch : bytes) c = table[(c ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::string xmp_packet(std::string_view recipe) {
  return "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
         "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
         " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
         "  <rdf:Description rdf:about=\"\" xmlns:coz=\"https://coz.studio/ns/1.0/\">\n"
         "   <coz:recipe>" +
         xml_escape(recipe) +
         "</coz:recipe>\n"
         "  </rdf:Description>\n"
         " </rdf:RDF>\n"
         "</x:xmpmeta>\n"
         "<?xpacket end=\"w\"?>";
}

std::string recipe_from_xmp(std::string_view x) {
  // The element CoZ writes: <coz:recipe>...</coz:recipe> (attributes allowed, none expected).
  constexpr std::string_view open = "<coz:recipe", close = "</coz:recipe>";
  for (size_t at = x.find(open); at != std::string_view::npos; at = x.find(open, at + open.size())) {
    const size_t after = at + open.size();
    if (after >= x.size()) throw damaged("the XMP ends inside <coz:recipe");
    if (std::string_view(">/ \t\r\n").find(x[after]) == std::string_view::npos) continue;  // e.g. <coz:recipes>
    const size_t gt = x.find('>', after);
    if (gt == std::string_view::npos) throw damaged("the XMP ends inside <coz:recipe");
    if (x[gt - 1] == '/') continue;  // <coz:recipe/>: empty
    const size_t end = x.find(close, gt + 1);
    if (end == std::string_view::npos) throw damaged("the XMP has no closing </coz:recipe>");
    std::string r = xml_unescape(x.substr(gt + 1, end - gt - 1));
    if (!r.empty()) return r;
  }
  // The attribute form XMP toolkits may rewrite a simple property to: coz:recipe="...".
  constexpr std::string_view attr = "coz:recipe=";
  for (size_t at = x.find(attr); at != std::string_view::npos; at = x.find(attr, at + attr.size())) {
    if (at == 0 || std::string_view(" \t\r\n").find(x[at - 1]) == std::string_view::npos) continue;
    const size_t q = at + attr.size();
    if (q >= x.size() || (x[q] != '"' && x[q] != '\'')) continue;  // prose, not an attribute
    const size_t end = x.find(x[q], q + 1);
    if (end == std::string_view::npos) throw damaged("the XMP ends inside the coz:recipe attribute");
    std::string r = xml_unescape(x.substr(q + 1, end - q - 1));
    if (!r.empty()) return r;
  }
  return "";
}

std::string embed_recipe(std::string encoded, std::string_view recipe) {
  if (recipe.empty()) return encoded;
  check_recipe_text(recipe);
  switch (container_of(encoded)) {
    case Container::PNG: embed_png(encoded, recipe); return encoded;
    case Container::JPEG: embed_jpeg(encoded, recipe); return encoded;
    case Container::WebP: embed_webp(encoded, recipe); return encoded;
    case Container::TIFF: embed_tiff(encoded, recipe); return encoded;
    case Container::BMP: return encoded;
    case Container::Unknown: break;
  }
  throw cannot_embed("the data is not a PNG, JPEG, WebP, TIFF or BMP file");
}

std::string find_recipe(std::string_view bytes) {
  const Bytes b{bytes};
  switch (container_of(bytes)) {
    case Container::PNG: return find_png(b);
    case Container::JPEG: return find_jpeg(b);
    case Container::WebP: return find_webp(Bytes{bytes, true});
    case Container::TIFF: return find_tiff(b);
    case Container::BMP:
    case Container::Unknown: break;
  }
  return "";
}

}  // namespace coz::io
