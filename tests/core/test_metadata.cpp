// Recipes inside image files (issue 14): round trips through every format and bit depth, pixels
// untouched, the layout each format's readers expect, and hostile files.
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include "coz/error.h"
#include "coz/imageio.h"
#include "image_header.h"
#include "metadata.h"
#include "test_util.h"

using namespace coz;

namespace QTest {
template <>
char* toString(const std::string& s) {  // failures print the strings that differ
  return qstrdup(QByteArray::fromStdString(s).toPercentEncoding(" {}\":,<>&/!'()=;").constData());
}
}  // namespace QTest

namespace {

// Non-ASCII UTF-8 (2, 3 and 4-byte sequences), XML's special characters, a CDATA terminator,
// CR, LF and a tab.
const std::string kRecipe =
    "{\"coz\":1,\"prompt\":\"caf\xC3\xA9 \xE2\x98\x95 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\xA6\x8A <b>&amp;</b> ]]> \\\"q\\\"\",\n"
    "\"note\":\"line1\r\nline2\t<end> & ]]>\"}";

std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}
void write_bytes(const std::string& path, const std::string& b) {
  std::ofstream f(path, std::ios::binary);
  f << b;
}

uint32_t get16(const std::string& s, size_t o, bool le) {
  const auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s.at(o + i))); };
  return le ? b(0) | b(1) << 8 : b(0) << 8 | b(1);
}
uint32_t get32(const std::string& s, size_t o, bool le) {
  return le ? get16(s, o, true) | get16(s, o + 2, true) << 16 : get16(s, o, false) << 16 | get16(s, o + 2, false);
}
void set16(std::string& s, size_t o, uint32_t v, bool le) {
  s.at(o + (le ? 0 : 1)) = static_cast<char>(v & 0xFF);
  s.at(o + (le ? 1 : 0)) = static_cast<char>(v >> 8 & 0xFF);
}
void set32(std::string& s, size_t o, uint32_t v, bool le) {
  set16(s, o + (le ? 0 : 2), v & 0xFFFF, le);
  set16(s, o + (le ? 2 : 0), v >> 16, le);
}
void add16(std::string& s, uint32_t v, bool le) { s.append(2, '\0'); set16(s, s.size() - 2, v, le); }
void add32(std::string& s, uint32_t v, bool le) { s.append(4, '\0'); set32(s, s.size() - 4, v, le); }

// recipe_from_bytes's answer, or "!" and the message where it throws InvalidInput. Anything else
// it throws fails the test.
std::string answer(const std::string& bytes) {
  try {
    return io::recipe_from_bytes(bytes);
  } catch (const InvalidInput& e) {
    return std::string("!") + e.what();
  }
}

void expect_error(const std::function<void()>& fn, const std::string& needle) {
  const std::string m = test::error_of(fn);
  if (m.find(needle) == std::string::npos) QFAIL(("message '" + m + "' lacks '" + needle + "'").c_str());
}

// The chunks of a PNG, the segments of a JPEG up to SOS, the chunks of a RIFF: (type, offset).
struct Part {
  std::string type;
  size_t at;
  uint32_t len;
};
std::vector<Part> png_chunks(const std::string& s) {
  std::vector<Part> out;
  for (size_t at = 8; at + 12 <= s.size(); at += 12 + size_t{out.back().len})
    out.push_back({s.substr(at + 4, 4), at, get32(s, at, false)});
  return out;
}
std::vector<Part> jpeg_segments(const std::string& s) {
  std::vector<Part> out;
  for (size_t at = 2; at + 4 <= s.size() && static_cast<unsigned char>(s[at]) == 0xFF; at += 2 + size_t{out.back().len}) {
    out.push_back({s.substr(at, 2), at, get16(s, at + 2, false)});
    if (out.back().type == "\xFF\xDA") break;
  }
  return out;
}
std::vector<Part> riff_chunks(const std::string& s) {
  std::vector<Part> out;
  for (size_t at = 12; at + 8 <= s.size(); at += 8 + size_t{out.back().len} + (out.back().len & 1))
    out.push_back({s.substr(at, 4), at, get32(s, at + 4, true)});
  return out;
}
Part find_part(const std::vector<Part>& parts, const std::string& type) {
  for (const Part& p : parts)
    if (p.type == type) return p;
  return {"", 0, 0};
}

// A 3x2 RGB 8-bit uncompressed TIFF, written by hand, in either byte order.
std::string tiny_tiff(bool le) {
  std::string s = le ? std::string("II*\0", 4) : std::string("MM\0*", 4);
  add32(s, 8, le);
  const uint32_t n = 10, bps_at = 8 + 2 + n * 12 + 4, pixels_at = bps_at + 6;
  add16(s, n, le);
  const auto entry = [&](uint32_t tag, uint32_t type, uint32_t count, uint32_t value) {
    add16(s, tag, le);
    add16(s, type, le);
    add32(s, count, le);
    if (type == 3 && count == 1) {  // a SHORT sits in the first two bytes of the field
      add16(s, value, le);
      add16(s, 0, le);
    } else {
      add32(s, value, le);
    }
  };
  entry(256, 3, 1, 3);          // ImageWidth
  entry(257, 3, 1, 2);          // ImageLength
  entry(258, 3, 3, bps_at);     // BitsPerSample 8,8,8
  entry(259, 3, 1, 1);          // no compression
  entry(262, 3, 1, 2);          // RGB
  entry(273, 4, 1, pixels_at);  // StripOffsets
  entry(277, 3, 1, 3);          // SamplesPerPixel
  entry(278, 3, 1, 2);          // RowsPerStrip
  entry(279, 4, 1, 18);         // StripByteCounts
  entry(284, 3, 1, 1);          // chunky
  add32(s, 0, le);              // no next IFD
  for (int i = 0; i < 3; ++i) add16(s, 8, le);
  for (int i = 0; i < 18; ++i) s += static_cast<char>(i * 14);
  return s;
}

}  // namespace

class TestMetadata : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::string tmp(const std::string& n) { return (std::filesystem::path(dir_.path().toStdString()) / n).string(); }

  static Image picture(bool alpha) {
    Image img;
    img.rgb = test::test_pattern(33, 21);
    if (alpha) img.alpha = torch::linspace(0, 1, 33 * 21).view({1, 1, 21, 33});
    return img;
  }
  static std::string encoded(const std::string& ext, const std::string& recipe, int bits = 8, bool alpha = false,
                             int webp_quality = 95) {
    io::WriteOptions o;
    o.bit_depth = bits;
    o.webp_quality = webp_quality;
    o.recipe = recipe;
    return io::encode_image(ext, picture(alpha), o);
  }

 private Q_SLOTS:
  void roundTrip_data() {
    QTest::addColumn<QString>("ext");
    QTest::addColumn<int>("bits");
    QTest::addColumn<bool>("alpha");
    QTest::addColumn<int>("webp_quality");
    QTest::newRow("png 8") << ".png" << 8 << false << 0;
    QTest::newRow("png 8 alpha") << ".png" << 8 << true << 0;
    QTest::newRow("png 16") << ".png" << 16 << false << 0;
    QTest::newRow("png 16 alpha") << ".png" << 16 << true << 0;
    QTest::newRow("jpeg") << ".jpg" << 8 << false << 0;
    QTest::newRow("webp lossy") << ".webp" << 8 << false << 90;
    QTest::newRow("webp lossy alpha") << ".webp" << 8 << true << 90;
    QTest::newRow("webp lossless") << ".webp" << 8 << false << 101;
    QTest::newRow("webp lossless alpha") << ".webp" << 8 << true << 101;
    QTest::newRow("tiff 8") << ".tif" << 8 << false << 0;
    QTest::newRow("tiff 16") << ".tiff" << 16 << false << 0;
    QTest::newRow("tiff 8 rgba") << ".tif" << 8 << true << 0;
    QTest::newRow("tiff 16 rgba") << ".tif" << 16 << true << 0;
  }
  // write_image and encode_image carry the recipe byte for byte; the file without it reads "";
  // both decode to the same pixels and the header reader sees the same image.
  void roundTrip() {
    QFETCH(QString, ext);
    QFETCH(int, bits);
    QFETCH(bool, alpha);
    QFETCH(int, webp_quality);
    const std::string e = ext.toStdString();
    io::WriteOptions with, without;
    with.bit_depth = without.bit_depth = bits;
    with.webp_quality = without.webp_quality = webp_quality;
    with.recipe = kRecipe;
    const Image img = picture(alpha);

    const std::string bytes = io::encode_image(e, img, with);
    const std::string plain = io::encode_image(e, img, without);
    QCOMPARE(io::recipe_from_bytes(bytes), kRecipe);
    QCOMPARE(io::recipe_from_bytes(plain), std::string());
    QVERIFY(bytes.find(io::xmp_packet(kRecipe)) != std::string::npos || e == ".png");

    const std::string path = tmp("with" + e), plain_path = tmp("without" + e);
    io::write_image(path, img, with);
    io::write_image(plain_path, img, without);
    QCOMPARE(io::read_recipe(path), kRecipe);
    QCOMPARE(io::read_recipe(plain_path), std::string());
    QCOMPARE(read_bytes(path), bytes);

    const Image a = io::read_image(path), b = io::read_image(plain_path);
    QCOMPARE(a.bit_depth, bits);
    QCOMPARE(a.width(), 33);
    QCOMPARE(a.height(), 21);
    QVERIFY(torch::equal(a.rgb, b.rgb));
    QCOMPARE(a.has_alpha(), alpha && e != ".jpg");
    QCOMPARE(b.has_alpha(), a.has_alpha());
    if (a.has_alpha()) QVERIFY(torch::equal(a.alpha, b.alpha));
    if (e == ".png" || e == ".tif" || e == ".tiff") QVERIFY(test::max_abs(a.rgb, img.rgb) <= 0.5 / 255 + 1e-6);

    const io::HeaderInfo h = io::sniff_header(bytes);
    QCOMPARE(h.width, 33);
    QCOMPARE(h.height, 21);
    QVERIFY(!h.truncated);
    io::check_declared_size(h, path, 1000);
  }

  // Where each format's readers look: PNG iTXt before IDAT with a valid CRC, JPEG APP1 after
  // APP0, WebP VP8X + "XMP " with the right flags and RIFF size, TIFF tag 700 in a sorted IFD0.
  void pngLayout() {
    const std::string s = encoded(".png", kRecipe, 16, true);
    const auto chunks = png_chunks(s);
    QCOMPARE(chunks.front().type, std::string("IHDR"));
    QCOMPARE(chunks.back().type, std::string("IEND"));
    QCOMPARE(chunks.back().at + 12, s.size());
    size_t itxt = 0, idat = 0;
    for (size_t i = 0; i < chunks.size(); ++i) {
      const Part& c = chunks[i];
      QCOMPARE(io::crc32(s.substr(c.at + 4, 4 + size_t{c.len})), get32(s, c.at + 8 + c.len, false));
      if (c.type == "iTXt") itxt = i;
      if (c.type == "IDAT" && idat == 0) idat = i;
    }
    QVERIFY(itxt > 0 && itxt < idat);
    const Part& c = chunks[itxt];
    QCOMPARE(s.substr(c.at + 8, c.len), std::string("coz:recipe\0\0\0\0\0", 15) + kRecipe);  // uncompressed, no language
  }
  void crcMatchesZlib() {
    QCOMPARE(io::crc32("IEND"), 0xAE426082u);  // every PNG's last four bytes
    QCOMPARE(io::crc32("123456789"), 0xCBF43926u);
    QCOMPARE(io::crc32(""), 0u);
  }
  void jpegLayout() {
    const std::string s = encoded(".jpg", kRecipe);
    const auto seg = jpeg_segments(s);
    QCOMPARE(s.substr(0, 2), std::string("\xFF\xD8"));
    QVERIFY(seg.size() > 3);
    QCOMPARE(seg[0].type, std::string("\xFF\xE0"));  // JFIF first, as its readers require
    QCOMPARE(seg[1].type, std::string("\xFF\xE1"));
    const std::string packet = io::xmp_packet(kRecipe);
    QCOMPARE(seg[1].len, 2 + 29 + packet.size());
    QCOMPARE(s.substr(seg[1].at + 4, seg[1].len - 2), std::string("http://ns.adobe.com/xap/1.0/\0", 29) + packet);
  }
  void webpLayout_data() {
    QTest::addColumn<bool>("alpha");
    QTest::addColumn<int>("quality");
    QTest::addColumn<QString>("image");  // the bitstream chunk after VP8X (and ALPH)
    QTest::newRow("lossy") << false << 90 << "VP8 ";
    QTest::newRow("lossy alpha") << true << 90 << "VP8 ";
    QTest::newRow("lossless") << false << 101 << "VP8L";
    QTest::newRow("lossless alpha") << true << 101 << "VP8L";
  }
  void webpLayout() {
    QFETCH(bool, alpha);
    QFETCH(int, quality);
    QFETCH(QString, image);
    const std::string plain = encoded(".webp", "", 8, alpha, quality);
    const std::string s = encoded(".webp", kRecipe, 8, alpha, quality);
    QCOMPARE(get32(s, 4, true), s.size() - 8);
    const auto chunks = riff_chunks(s);
    QCOMPARE(chunks.front().type, std::string("VP8X"));
    QCOMPARE(chunks.front().len, 10u);
    const auto flags = static_cast<unsigned char>(s[20]);
    QCOMPARE(flags & 0x04, 0x04);                    // XMP
    QCOMPARE((flags & 0x10) != 0, alpha);             // alpha
    QCOMPARE(flags & ~0x14, 0);                       // nothing else (no ICC, EXIF, animation)
    QCOMPARE(get32(s, 24, true) & 0xFFFFFF, 33u - 1);  // canvas
    QCOMPARE(get32(s, 27, true) & 0xFFFFFF, 21u - 1);
    QCOMPARE(find_part(chunks, "ALPH").type.empty(), !(alpha && quality <= 100));
    const Part img = find_part(chunks, image.toStdString());
    QVERIFY(img.len > 0);
    QCOMPARE(s.substr(img.at, 8 + size_t{img.len}), plain.substr(plain.find(image.toStdString()), 8 + size_t{img.len}));
    const Part xmp = chunks.back();
    QCOMPARE(xmp.type, std::string("XMP "));
    QCOMPARE(s.substr(xmp.at + 8, xmp.len), io::xmp_packet(kRecipe));
    QCOMPARE(xmp.at + 8 + xmp.len + (xmp.len & 1), s.size());
  }
  void tiffLayout() {
    for (bool deep : {false, true}) {
      const std::string s = encoded(".tif", kRecipe, deep ? 16 : 8, true);
      QCOMPARE(s.substr(0, 4), std::string("II*\0", 4));
      const size_t ifd = get32(s, 4, true);
      QCOMPARE(ifd % 2, size_t{0});
      const uint32_t n = get16(s, ifd, true);
      uint32_t last = 0, xmp = 0;
      for (uint32_t i = 0; i < n; ++i) {
        const size_t e = ifd + 2 + 12 * i;
        const uint32_t tag = get16(s, e, true);
        QVERIFY2(tag > last, "IFD0 entries are sorted by tag");
        last = tag;
        if (tag == 700) xmp = static_cast<uint32_t>(e);
      }
      QVERIFY(xmp != 0);
      const std::string packet = io::xmp_packet(kRecipe);
      QCOMPARE(get16(s, xmp + 2, true), 1u);  // BYTE
      QCOMPARE(get32(s, xmp + 4, true), static_cast<uint32_t>(packet.size()));
      QCOMPARE(s.substr(get32(s, xmp + 8, true), packet.size()), packet);
      QCOMPARE(ifd + 2 + 12 * size_t{n} + 4, s.size());  // the new IFD0 ends the file
    }
  }

  // A conforming XML parser reads the packet back to the same text, in the CoZ namespace.
  void xmpIsWellFormedXml() {
    QXmlStreamReader xml(QByteArray::fromStdString(io::xmp_packet(kRecipe)));
    QString text;
    int recipes = 0;
    while (!xml.atEnd()) {
      if (xml.readNext() == QXmlStreamReader::StartElement && xml.namespaceUri() == u"https://coz.studio/ns/1.0/" &&
          xml.name() == u"recipe") {
        ++recipes;
        text = xml.readElementText();
      }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(recipes, 1);
    QCOMPARE(text.toStdString(), kRecipe);
    const std::string p = io::xmp_packet("a<b>&c]]>\r\n\"d\"");
    QVERIFY(p.find("<coz:recipe>a&lt;b&gt;&amp;c]]&gt;&#xD;\n\"d\"</coz:recipe>") != std::string::npos);
    QVERIFY(p.find("xmlns:coz=\"https://coz.studio/ns/1.0/\"") != std::string::npos);
    QCOMPARE(p.substr(0, 17), std::string("<?xpacket begin=\""));
    QCOMPARE(p.substr(p.size() - 19), std::string("<?xpacket end=\"w\"?>"));
  }
  // Readers also accept what XMP toolkits rewrite the property to: the attribute form, character
  // references, an element with attributes.
  void xmpVariants() {
    QCOMPARE(io::recipe_from_xmp("<rdf:Description xmlns:coz=\"https://coz.studio/ns/1.0/\"\n  coz:recipe=\"{&quot;a&quot;:&#x31;}\"/>"),
             std::string("{\"a\":1}"));
    QCOMPARE(io::recipe_from_xmp("<coz:recipe rdf:parseType=\"Literal\">&#233;&#x1F98A;&#10;</coz:recipe>"),
             std::string("\xC3\xA9\xF0\x9F\xA6\x8A\n"));
    QCOMPARE(io::recipe_from_xmp("<coz:recipe/><coz:recipes>x</coz:recipes><coz:recipe>{}</coz:recipe>"), std::string("{}"));
    QCOMPARE(io::recipe_from_xmp("<x:xmpmeta>no recipe; the word coz:recipe=in prose</x:xmpmeta>"), std::string());
    expect_error([] { io::recipe_from_xmp("<coz:recipe>{\"a\":1}"); }, "no closing </coz:recipe>");
    expect_error([] { io::recipe_from_xmp("<coz:recipe>&bogus;</coz:recipe>"); }, "unknown escape '&bogus;'");
    expect_error([] { io::recipe_from_xmp("<coz:recipe>&#xD800;</coz:recipe>"); }, "unknown escape");
    expect_error([] { io::recipe_from_xmp("<coz:recipe>a & b</coz:recipe>"); }, "unterminated '&' escape");
    expect_error([] { io::recipe_from_xmp("<coz:recipe><rdf:Alt/></coz:recipe>"); }, "markup inside <coz:recipe>");
  }

  void bmpIsWrittenWithout() {
    const std::string with = encoded(".bmp", kRecipe), without = encoded(".bmp", "");
    QCOMPARE(with, without);
    io::WriteOptions o;
    o.recipe = kRecipe;
    io::write_image(tmp("r.bmp"), picture(false), o);
    QCOMPARE(io::read_recipe(tmp("r.bmp")), std::string());
  }

  // The XMP segment may be 65533 bytes (escapes counted); one more is refused with the file's name.
  void jpegRefusesOversizeRecipe() {
    const size_t room = io::kJpegMaxSegment - 29 - io::xmp_packet("").size();
    QCOMPARE(room, size_t{65533 - 29 - 324});  // the largest plain-ASCII recipe a JPEG takes
    const std::string fits = std::string(room - 5, 'a') + "&";  // '&' is written as &amp;
    QCOMPARE(io::recipe_from_bytes(encoded(".jpg", fits)), fits);
    const std::string big = std::string(room - 4, 'a') + "&";
    io::WriteOptions o;
    o.recipe = big;
    const std::string path = tmp("big.jpg");
    QCOMPARE(test::error_of([&] { io::write_image(path, picture(false), o); }),
             "cannot write " + path + ": the recipe (" + std::to_string(big.size()) +
                 " bytes) does not fit in a JPEG file: its XMP segment would be 65534 bytes, over the format's limit "
                 "of 65533; write a PNG, WebP or TIFF instead, or leave the recipe out (--no-metadata)");
    QVERIFY(!std::filesystem::exists(path));
    // PNG, WebP and TIFF take it.
    for (const char* ext : {".png", ".webp", ".tif"}) QCOMPARE(io::recipe_from_bytes(encoded(ext, big)), big);
  }

  void refusesRecipesThatAreNotText() {
    io::WriteOptions o;
    o.recipe = "{\"a\":\"\x01\"}";
    expect_error([&] { io::encode_image(".png", picture(false), o); }, "control character 1 at byte 6");
    o.recipe = "{\"a\":\"\xC3(\"}";
    expect_error([&] { io::write_image(tmp("bad.png"), picture(false), o); }, "not valid UTF-8 at byte 6");
    o.recipe = "\xED\xA0\x80";  // a UTF-16 surrogate
    expect_error([&] { io::encode_image(".webp", picture(false), o); }, "not valid UTF-8 at byte 0");
    o.recipe = "\xC0\xAF";  // overlong '/'
    expect_error([&] { io::encode_image(".tif", picture(false), o); }, "not valid UTF-8 at byte 0");
  }

  void filesWithoutRecipe() {
    const auto pil = [](const char* n) { return (test::data_dir() / "goldens/pil" / n).string(); };
    QCOMPARE(io::read_recipe(pil("read_rgba.png")), std::string());
    QCOMPARE(io::read_recipe(pil("read_exif6.jpg")), std::string());  // Exif APP1, no XMP
    QCOMPARE(io::recipe_from_bytes(""), std::string());
    QCOMPARE(io::recipe_from_bytes("{\"not\": \"an image\"}"), std::string());
    QCOMPARE(io::recipe_from_bytes(std::string("\x89PNG\r\n\x1a\n", 8)), std::string());
    QCOMPARE(io::recipe_from_bytes("RIFF"), std::string());
    QCOMPARE(io::recipe_from_bytes(std::string("II*\0", 4)), std::string());
    expect_error([&] { io::read_recipe(tmp("missing.png")); }, "no such file");
    expect_error([&] { io::read_recipe(dir_.path().toStdString()); }, "it is a folder");
  }

  // Every prefix of a file with a recipe reads as "" (a cut container) or as the whole recipe,
  // never as part of it; in PNG and JPEG the recipe comes before the image data, so a file cut
  // anywhere after its chunk still has it.
  void truncatedFiles() {
    for (const std::string ext : {".png", ".jpg", ".webp", ".tif"}) {
      const std::string s = encoded(ext, kRecipe, 8, true, 101);
      size_t complete = s.size();  // where the recipe's container ends
      if (ext == ".png") {
        const Part c = find_part(png_chunks(s), "iTXt");
        complete = c.at + 12 + c.len;
      } else if (ext == ".jpg") {
        complete = jpeg_segments(s)[1].at + 2 + jpeg_segments(s)[1].len;
      }
      QVERIFY(complete < s.size() / 2 || ext == ".webp" || ext == ".tif");
      for (size_t n = 0; n <= s.size(); ++n) {
        const std::string got = answer(s.substr(0, n));
        const std::string where = ext + " cut at " + std::to_string(n);
        QVERIFY2(got.empty() || got == kRecipe, (where + ": " + got).c_str());
        if (n >= complete && ext != ".tif" && ext != ".webp") QVERIFY2(got == kRecipe, where.c_str());
      }
      QCOMPARE(answer(s.substr(0, s.size() / 2)), ext == ".png" || ext == ".jpg" ? kRecipe : std::string());
    }
  }

  void hostilePng() {
    const std::string s = encoded(".png", kRecipe);
    const Part c = find_part(png_chunks(s), "iTXt");
    QVERIFY(c.len > 0);
    std::string t = s.substr(0, c.at + 20);  // cut inside the chunk
    QCOMPARE(answer(t), std::string());
    for (uint32_t len : {0x7FFFFFF0u, 0xFFFFFFFFu, c.len + 1}) {  // lengths past the end
      t = s.substr(0, c.at + 12 + c.len);
      set32(t, c.at, len, false);
      QCOMPARE(answer(t), std::string());
    }
    t = s;
    t[c.at + 20] ^= 1;  // a changed byte in the text
    QCOMPARE(answer(t), std::string("!the embedded recipe is damaged: the PNG's coz:recipe chunk fails its CRC check"));
    const auto with_crc = [&](std::string u, size_t at, uint32_t len) {
      set32(u, at, len, false);
      set32(u, at + 8 + len, io::crc32(u.substr(at + 4, 4 + size_t{len})), false);
      return u;
    };
    t = s;
    t[c.at + 8 + 11] = 1;  // the compression flag
    QCOMPARE(answer(with_crc(t, c.at, c.len)),
             std::string("!the PNG's coz:recipe chunk is zlib-compressed, which CoZ does not read; re-save it uncompressed"));
    t = s.substr(0, c.at + 8 + 11) + std::string(4, '\0') + s.substr(c.at + 12 + c.len);
    QCOMPARE(answer(with_crc(t, c.at, 11)), std::string("!the embedded recipe is damaged: the PNG's coz:recipe chunk ends inside its header"));
    // Another keyword is someone else's text.
    t = s;
    t[c.at + 8] = 'x';
    QCOMPARE(answer(with_crc(t, c.at, c.len)), std::string());
    // Our chunk after IEND is not part of the file.
    const Part iend = find_part(png_chunks(s), "IEND");
    t = s.substr(0, c.at) + s.substr(c.at + 12 + c.len);
    QCOMPARE(answer(t), std::string());
    QCOMPARE(answer(t + s.substr(c.at, 12 + c.len)), std::string());
    QCOMPARE(iend.at + 12, s.size());
  }

  void hostileJpeg() {
    const std::string s = encoded(".jpg", kRecipe);
    const Part app1 = jpeg_segments(s)[1];
    for (uint32_t len : {0u, 1u, 0xFFFFu}) {  // 0 and 1 cannot hold their own length field
      std::string t = s;
      set16(t, app1.at + 2, len, false);
      QCOMPARE(answer(t), std::string());
    }
    std::string t = s;
    set16(t, jpeg_segments(s)[0].at + 2, 0, false);  // a broken APP0 before it
    QCOMPARE(answer(t), std::string());
    t = s;
    t.replace(t.find("</coz:recipe>"), 3, "<!-");
    QCOMPARE(answer(t), std::string("!the embedded recipe is damaged: the XMP has no closing </coz:recipe>"));
    t = s;
    t.replace(t.find("&amp;"), 5, "&amq;");
    QCOMPARE(answer(t), std::string("!the embedded recipe is damaged: an unknown escape '&amq;'"));
    // Fill bytes before the marker are allowed (T.81 B.1.1.2).
    t = s.substr(0, app1.at) + "\xFF\xFF\xFF" + s.substr(app1.at);
    QCOMPARE(answer(t), kRecipe);
    // An XMP segment after SOS is image data, not metadata.
    const Part sos = jpeg_segments(s).back();
    QCOMPARE(sos.type, std::string("\xFF\xDA"));
    t = s.substr(0, app1.at) + s.substr(app1.at + 2 + app1.len);
    QCOMPARE(answer(t), std::string());
    t.insert(t.size() - 2, s.substr(app1.at, 2 + app1.len));  // just before EOI
    QCOMPARE(answer(t), std::string());
  }

  void hostileWebp() {
    const std::string s = encoded(".webp", kRecipe, 8, false, 90);
    std::string t = s;
    set32(t, 4, 0xFFFFFFF0u, true);  // RIFF size past the end: read as far as the data goes
    QCOMPARE(answer(t), kRecipe);
    const Part xmp = riff_chunks(s).back();
    set32(t, 4, static_cast<uint32_t>(xmp.at - 8), true);  // RIFF size ends before the XMP chunk
    QCOMPARE(answer(t), std::string());
    set32(t, 4, 0, true);
    QCOMPARE(answer(t), std::string());
    t = s;
    set32(t, xmp.at + 4, xmp.len + 2, true);  // XMP chunk longer than the file
    QCOMPARE(answer(t), std::string());
    t = s;
    set32(t, 16, 0xFFFFFFF0u, true);  // VP8X chunk size past the end hides everything after it
    QCOMPARE(answer(t), std::string());
    // A file with trailing bytes after the RIFF form, then written with a recipe, loses them.
    std::string plain = encoded(".webp", "", 8, false, 90) + "junk";
    const std::string carried = io::embed_recipe(plain, kRecipe);
    QCOMPARE(io::recipe_from_bytes(carried), kRecipe);
    QVERIFY(carried.find("junk") == std::string::npos);
    // Not a VP8/VP8L/VP8X bitstream: refused, not guessed at.
    plain = encoded(".webp", "", 8, false, 90);
    plain.replace(12, 4, "VP8Q");
    expect_error([&] { io::embed_recipe(plain, kRecipe); }, "neither a VP8X chunk nor a valid VP8/VP8L image");
  }

  void hostileTiff() {
    const std::string s = encoded(".tif", kRecipe);
    const size_t ifd = get32(s, 4, true);
    std::string t = s;
    for (uint32_t off : {static_cast<uint32_t>(s.size()), static_cast<uint32_t>(s.size() - 1), 0xFFFFFFFFu}) {
      set32(t, 4, off, true);  // IFD0 past the end
      QCOMPARE(answer(t), std::string());
    }
    set32(t, 4, 0, true);  // IFD0 at the header itself: 0x4949 entries, all past the end
    QCOMPARE(answer(t), std::string());
    t = s;
    set32(t, s.size() - 4, static_cast<uint32_t>(ifd), true);  // IFD0's next IFD is itself: a loop
    QCOMPARE(answer(t), kRecipe);
    t = s;
    set16(t, ifd, 0xFFFF, true);  // more entries than the file holds
    QCOMPARE(answer(t), std::string());
    t = s;
    const uint32_t n = get16(s, ifd, true);
    for (uint32_t i = 0; i < n; ++i)
      if (get16(s, ifd + 2 + 12 * i, true) == 700) {
        set32(t, ifd + 2 + 12 * i + 8, static_cast<uint32_t>(s.size() - 10), true);  // XMP past the end
        QCOMPARE(answer(t), std::string());
        set32(t, ifd + 2 + 12 * i + 4, 0xFFFFFFFFu, true);
        set32(t, ifd + 2 + 12 * i + 8, 8, true);
        QCOMPARE(answer(t), std::string());
      }
    expect_error([&] { io::embed_recipe(std::string("II*\0\xF0\0\0\0", 8), kRecipe); }, "runs past the end");
  }

  // A big-endian TIFF (OpenCV writes little-endian ones): the same pixels with the recipe, and an
  // old tag 700 is replaced rather than duplicated.
  void bigEndianTiff() {
    for (bool le : {false, true}) {
      const std::string plain = tiny_tiff(le);
      const std::string s = io::embed_recipe(plain, kRecipe);
      QCOMPARE(io::recipe_from_bytes(s), kRecipe);
      write_bytes(tmp("be.tif"), s);
      write_bytes(tmp("be_plain.tif"), plain);
      const Image a = io::read_image(tmp("be.tif")), b = io::read_image(tmp("be_plain.tif"));
      QCOMPARE(a.width(), 3);
      QCOMPARE(a.height(), 2);
      QVERIFY(torch::equal(a.rgb, b.rgb));
      QCOMPARE(a.rgb[0][2][1][2].item<float>(), 238.0f / 255.0f);  // byte 17 = 17 * 14
      const io::HeaderInfo h = io::sniff_header(s);
      QCOMPARE(h.width, 3);
      QCOMPARE(h.height, 2);
      const size_t ifd = get32(s, 4, le);
      QCOMPARE(get16(s, ifd, le), 11u);
      QCOMPARE(get16(s, ifd + 2 + 12 * 10, le), 700u);  // after 284, the largest tag before it
      QCOMPARE(get32(s, ifd + 2 + 12 * 11, le), 0u);    // next IFD copied
      const std::string again = io::embed_recipe(s, "{\"second\":true}");
      QCOMPARE(io::recipe_from_bytes(again), std::string("{\"second\":true}"));
      QCOMPARE(get16(again, get32(again, 4, le), le), 11u);
    }
  }

  // Files written by this version, committed so that later versions keep reading them (they also
  // seed the fuzzer).
  void committedSamples() {
    const auto dir = test::data_dir() / "metadata";
    int n = 0;
    for (const char* name : {"recipe.png", "recipe16.png", "recipe.jpg", "recipe_lossy_alpha.webp", "recipe_lossless.webp",
                             "recipe.tif", "recipe_be.tif"}) {
      const std::string path = (dir / name).string();
      QVERIFY2(std::filesystem::exists(path), path.c_str());
      QCOMPARE(io::read_recipe(path), kRecipe);
      const Image img = io::read_image(path);
      QVERIFY(img.width() == 8 || img.width() == 3);
      ++n;
    }
    QCOMPARE(n, 7);
  }
};

QTEST_GUILESS_MAIN(TestMetadata)
#include "test_metadata.moc"
