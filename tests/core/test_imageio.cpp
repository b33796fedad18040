// Reading and writing image files: formats, bit depths, alpha, EXIF orientation, bad files.
#include <QTemporaryDir>

#include "coz/error.h"
#include "coz/imageio.h"
#include "image_header.h"
#include "test_util.h"

using namespace coz;

namespace {
std::string pil(const char* name) { return (test::data_dir() / "goldens/pil" / name).string(); }
void write_bytes(const std::string& path, const std::string& b) {
  std::ofstream f(path, std::ios::binary);
  f << b;
}
std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}
// Expects InvalidInput whose message contains `needle`.
void expect_error(const std::function<void()>& fn, const std::string& needle) {
  try {
    fn();
  } catch (const InvalidInput& e) {
    const std::string m = e.what();
    if (m.find(needle) == std::string::npos) QFAIL(("message '" + m + "' lacks '" + needle + "'").c_str());
    return;
  }
  QFAIL(("no InvalidInput thrown (wanted '" + needle + "')").c_str());
}
}  // namespace

class TestImageIO : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::string tmp(const std::string& n) { return (std::filesystem::path(dir_.path().toStdString()) / n).string(); }

 private Q_SLOTS:
  void roundTripsEveryFormat() {
    Image img;
    img.rgb = test::test_pattern(33, 21);
    for (const char* ext : {".png", ".tif", ".bmp", ".webp", ".jpg"}) {
      const std::string p = tmp(std::string("rt") + ext);
      io::write_image(p, img);
      Image back = io::read_image(p);
      QCOMPARE(back.width(), 33);
      QCOMPARE(back.height(), 21);
      QCOMPARE(back.bit_depth, 8);
      const bool lossy = std::string(ext) == ".jpg" || std::string(ext) == ".webp";
      if (lossy) QVERIFY2(test::psnr(back.rgb, img.rgb) > 30, ext);
      else QVERIFY2(test::max_abs(back.rgb, img.rgb) <= 0.5 / 255 + 1e-6, ext);
    }
  }
  void sixteenBitKeepsPrecision() {
    Image img;
    img.rgb = test::test_pattern(20, 10);
    for (const char* ext : {".png", ".tif"}) {
      const std::string p = tmp(std::string("deep") + ext);
      io::write_image(p, img, {16});
      Image back = io::read_image(p);
      QCOMPARE(back.bit_depth, 16);
      QVERIFY(test::max_abs(back.rgb, img.rgb) <= 0.5 / 65535 + 1e-6);
    }
    expect_error([&] { io::write_image(tmp("deep.jpg"), img, {16}); }, "16-bit output needs a .png or .tif");
  }
  void alphaIsKeptWhereTheFormatAllows() {
    Image img;
    img.rgb = test::test_pattern(16, 12);
    img.alpha = torch::linspace(0, 1, 16 * 12).view({1, 1, 12, 16});
    io::write_image(tmp("a.png"), img);
    Image back = io::read_image(tmp("a.png"));
    QVERIFY(back.has_alpha());
    QVERIFY(test::max_abs(back.alpha, img.alpha) <= 0.5 / 255 + 1e-6);
    io::write_image(tmp("a.jpg"), img);
    QVERIFY(!io::read_image(tmp("a.jpg")).has_alpha());
  }
  void promotesPaletteGreyAndGreyAlpha() {
    Image pal = io::read_image(pil("read_palette.png"));
    QCOMPARE(pal.rgb.size(1), 3);
    QCOMPARE(pal.width(), 12);
    Image grey = io::read_image(pil("read_gray.png"));
    QVERIFY(torch::equal(grey.rgb[0][0], grey.rgb[0][2]));
    Image ga = io::read_image(pil("read_gray_alpha.png"));
    QVERIFY(ga.has_alpha());
    QCOMPARE(ga.alpha[0][0][7][11].item<float>(), 190.0f / 255.0f);  // (7*12+11)*2
    Image rgba = io::read_image(pil("read_rgba.png"));
    QVERIFY(rgba.has_alpha());
    QCOMPARE(rgba.alpha[0][0][0][0].item<float>(), 1.0f);
    QCOMPARE(rgba.alpha[0][0][0][5].item<float>(), 250.0f / 255.0f);
  }
  void appliesExifOrientation() {
    for (int o : {3, 6, 8}) {
      const auto name = "read_exif" + std::to_string(o);
      Image got = io::read_image(pil((name + ".jpg").c_str()));
      Image want = io::read_image(pil((name + "_upright.png").c_str()));
      QCOMPARE(got.width(), want.width());
      QCOMPARE(got.height(), want.height());
      // libjpeg versions may differ by a level or two; orientation errors would be far larger.
      QVERIFY2(test::max_abs(got.rgb, want.rgb) <= 3.0 / 255, name.c_str());
    }
    QCOMPARE(io::read_image(pil("read_exif6.jpg")).width(), 8);  // 12x8 stored, rotated 90 degrees
  }
  void headerSniffing() {
    auto h = io::sniff_header(read_bytes(pil("read_exif6.jpg")));
    QCOMPARE(h.format, io::Format::JPEG);
    QCOMPARE(h.width, 12);
    QCOMPARE(h.height, 8);
    QCOMPARE(h.orientation, 6);
    QVERIFY(!h.truncated);
    auto p = io::sniff_header(read_bytes(pil("resize_src.png")));
    QCOMPARE(p.format, io::Format::PNG);
    QCOMPARE(p.width, 37);
    QCOMPARE(p.height, 23);
  }
  void badFilesGetClearErrors() {
    expect_error([&] { io::read_image(tmp("missing.png")); }, "no such file");
    write_bytes(tmp("empty.png"), "");
    expect_error([&] { io::read_image(tmp("empty.png")); }, "is empty (0 bytes)");
    write_bytes(tmp("notes.png"), "this is a text file, not a picture\n");
    expect_error([&] { io::read_image(tmp("notes.png")); }, "not an image in a supported format");
    expect_error([&] { io::read_image(dir_.path().toStdString()); }, "it is a folder");
    const std::string png = read_bytes(pil("resize_lanczos_148x92.png"));
    write_bytes(tmp("cut.png"), png.substr(0, png.size() / 2));
    expect_error([&] { io::read_image(tmp("cut.png")); }, "corrupt or truncated");
    const std::string jpg = read_bytes(pil("read_plain.jpg"));
    write_bytes(tmp("cut.jpg"), jpg.substr(0, jpg.size() * 2 / 3));
    expect_error([&] { io::read_image(tmp("cut.jpg")); }, "truncated or corrupt");
    // A PNG header declaring 100000 x 100000 pixels: refused before decoding.
    std::string bomb = png.substr(0, 33);
    const unsigned char dims[8] = {0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0};
    bomb.replace(16, 8, reinterpret_cast<const char*>(dims), 8);
    write_bytes(tmp("bomb.png"), bomb + png.substr(33));
    expect_error([&] { io::read_image(tmp("bomb.png")); }, "100000x100000");
    io::ReadOptions small;
    small.max_pixels = 100;
    expect_error([&] { io::read_image(pil("resize_src.png"), small); }, "--max-pixels");
    // The same checks on bytes in memory (coz serve's uploads), named as the caller says.
    expect_error([&] { io::decode_image("", "the upload"); }, "the upload is empty (0 bytes)");
    expect_error([&] { io::decode_image(png.substr(0, png.size() / 2), "the upload"); }, "the upload: the PNG data is corrupt");
    expect_error([&] { io::decode_image(bomb + png.substr(33), "the upload"); }, "100000x100000");
    expect_error([&] { io::decode_image("not a picture", "the upload"); }, "the upload is not an image in a supported format");
  }

  // Decoding bytes gives exactly what reading the file gives (pixels, alpha, bit depth, orientation).
  void decodesBytesLikeFiles() {
    for (const char* f : {"resize_lanczos_148x92.png", "read_plain.jpg", "read_exif6.jpg"}) {
      const Image a = io::read_image(pil(f)), b = io::decode_image(read_bytes(pil(f)), f);
      QVERIFY(torch::equal(a.rgb, b.rgb));
      QCOMPARE(a.bit_depth, b.bit_depth);
      QCOMPARE(a.alpha.defined(), b.alpha.defined());
    }
  }
  void writesAreAtomicAndCheckPaths() {
    Image img;
    img.rgb = test::test_pattern(8, 8);
    expect_error([&] { io::write_image(tmp("nodir/x.png"), img); }, "does not exist");
    expect_error([&] { io::write_image(tmp("x.gif"), img); }, "unknown image type '.gif'");
    expect_error([&] { io::write_image(tmp("noext"), img); }, "add an extension");
    QDir d(dir_.path());
    d.mkdir("ro");
    QFile::setPermissions(dir_.path() + "/ro", QFileDevice::ReadOwner | QFileDevice::ExeOwner);
    if (::geteuid() != 0) expect_error([&] { io::write_image(tmp("ro/x.png"), img); }, "cannot write");
    io::write_image(tmp("ok.png"), img);
    io::write_image(tmp("ok.png"), img);  // overwrite
    for (const auto& e : std::filesystem::directory_iterator(dir_.path().toStdString()))
      QVERIFY2(e.path().filename().string().find(".tmp-") == std::string::npos, "temporary file left behind");
  }
};

QTEST_GUILESS_MAIN(TestImageIO)
#include "test_imageio.moc"
