// Pillow-exact resampling against images written by Pillow (tools/goldens/pil_goldens.py).
#include <nlohmann/json.hpp>

#include "coz/imageio.h"
#include "coz/resample.h"
#include "test_util.h"

using namespace coz;

class TestResample : public QObject {
  Q_OBJECT
 private:
  static torch::Tensor load_u8(const std::string& name) {
    return to_u8_hwc(io::read_image((test::data_dir() / "goldens/pil" / name).string()).rgb);
  }
 private Q_SLOTS:
  void matchesPillowBitForBit() {
    std::ifstream f(test::data_dir() / "goldens/pil/manifest.json");
    auto m = nlohmann::json::parse(f);
    const auto src = load_u8("resize_src.png");
    QCOMPARE(src.size(1), 37);
    QCOMPARE(src.size(0), 23);
    int n = 0;
    for (const auto& c : m["resize"]) {
      const std::string fn = c["filter"];
      const Filter filter = fn == "nearest" ? Filter::Nearest : fn == "bicubic" ? Filter::Bicubic : Filter::Lanczos;
      const auto want = load_u8(c["file"]);
      const auto got = pil_resize_u8(src, c["w"], c["h"], filter);
      QCOMPARE(got.sizes().vec(), want.sizes().vec());
      const int64_t diff = (got.to(torch::kInt32) - want.to(torch::kInt32)).abs().max().item<int64_t>();
      if (diff != 0) QFAIL(("mismatch in " + c["file"].get<std::string>() + ": max diff " + std::to_string(diff)).c_str());
      ++n;
    }
    QCOMPARE(n, 18);
  }

  void floatResizeAgreesWithPillowWithinRounding() {
    const auto src = load_u8("resize_src.png");
    const auto want = to_float_nchw(load_u8("resize_lanczos_148x92.png"));
    const auto got = resize_float(to_float_nchw(src), 148, 92, Filter::Lanczos);
    QCOMPARE(got.size(3), 148);
    // Pillow rounds to 8 bits after each pass: at most about 1.5 levels apart.
    QVERIFY(test::max_abs(got.clamp(0, 1), want) <= 2.0 / 255.0);
    const auto down = resize_float(to_float_nchw(src), 19, 12, Filter::Bicubic);
    QVERIFY(test::max_abs(down.clamp(0, 1), to_float_nchw(load_u8("resize_bicubic_19x12.png"))) <= 2.0 / 255.0);
  }

  void floatResizeKeepsConstantsAndSize() {
    auto x = torch::full({1, 3, 30, 41}, 0.3f);
    for (Filter f : {Filter::Nearest, Filter::Bicubic, Filter::Lanczos}) {
      auto y = resize_float(x, 97, 13, f);
      QCOMPARE(y.sizes().vec(), (std::vector<int64_t>{1, 3, 13, 97}));
      QVERIFY(test::max_abs(y, torch::full_like(y, 0.3f)) < 1e-5);
    }
  }

  void identitySizeIsACopy() {
    const auto src = load_u8("resize_src.png");
    QVERIFY(torch::equal(pil_resize_u8(src, 37, 23, Filter::Bicubic), src));
  }

  void cropFillsOutsideWithBlack() {
    auto img = torch::full({4, 5, 3}, 200, torch::kUInt8);
    auto c = crop_zero_fill_u8(img, -1, -2, 4, 4);
    QCOMPARE(c.size(0), 4);
    QCOMPARE(c[0][0][0].item<int>(), 0);
    QCOMPARE(c[1][3][2].item<int>(), 0);
    QCOMPARE(c[2][0][0].item<int>(), 0);
    QCOMPARE(c[2][1][0].item<int>(), 200);
    QCOMPARE(c[3][3][1].item<int>(), 200);
  }

  void rejectsEmptySizes() {
    auto img = torch::zeros({4, 5, 3}, torch::kUInt8);
    QVERIFY_THROWS_EXCEPTION(coz::InvalidInput, pil_resize_u8(img, 0, 3, Filter::Bicubic));
  }
};

QTEST_GUILESS_MAIN(TestResample)
#include "test_resample.moc"
