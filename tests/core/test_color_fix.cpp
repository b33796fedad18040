// Colour fixes against a float64 NumPy re-derivation of CoZ's wavelet_color_fix.py.
#include "coz/color_fix.h"
#include "coz/error.h"
#include "test_util.h"

using namespace coz;

class TestColorFix : public QObject {
  Q_OBJECT
  torch::Tensor load(const char* k) {
    return test::read_f32(test::data_dir() / "goldens/colorfix" / (std::string("colorfix_") + k + ".f32"), {1, 3, 40, 36});
  }
 private Q_SLOTS:
  void waveletMatchesReference() {
    auto got = wavelet_color_fix(load("target"), load("source"));
    QVERIFY2(test::max_abs(got, load("wavelet")) < 2e-6, std::to_string(test::max_abs(got, load("wavelet"))).c_str());
  }
  void adainMatchesReference() {
    auto got = adain_color_fix(load("target"), load("source"));
    QVERIFY2(test::max_abs(got, load("adain")) < 2e-6, std::to_string(test::max_abs(got, load("adain"))).c_str());
  }
  void adainTakesTheSourceStatistics() {
    auto got = adain_color_fix(load("target"), load("source"));
    auto s = load("source");
    QVERIFY(test::max_abs(got.mean({2, 3}), s.mean({2, 3})) < 2e-3);  // clamping moves it slightly
  }
  void waveletOfAnImageWithItselfIsIdentity() {
    auto s = load("source");
    QVERIFY(test::max_abs(wavelet_color_fix(s, s), s) < 1e-5);
  }
  void noneOnlyClamps() {
    auto t = load("target") * 1.5 - 0.2;
    auto got = apply_color_fix(ColorFix::None, t, load("source"));
    QVERIFY(torch::equal(got, t.clamp(0, 1)));
  }
  void parsesNamesAndRejectsOthers() {
    QCOMPARE(parse_color_fix("wavelet"), ColorFix::Wavelet);
    QCOMPARE(parse_color_fix("adain"), ColorFix::AdaIN);
    QCOMPARE(parse_color_fix("nofix"), ColorFix::None);
    QVERIFY_THROWS_EXCEPTION(InvalidInput, parse_color_fix("sepia"));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, wavelet_color_fix(torch::zeros({1, 3, 8, 8}), torch::zeros({1, 3, 8, 9})));
  }
};

QTEST_GUILESS_MAIN(TestColorFix)
#include "test_color_fix.moc"
