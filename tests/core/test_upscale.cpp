#include "coz/error.h"
#include "coz/engine.h"
#include "coz/upscale.h"
#include "test_util.h"

using namespace coz;

class TestUpscale : public QObject {
  Q_OBJECT
  Engine engine_;
 private Q_SLOTS:
  void plansExactSizesAndPasses() {
    auto p = engine_.plan_upscale(101, 67, "esrgan-slim", 2.5, 8192);
    QCOMPARE(p.out_w, 253);  // round(252.5) rounds half away from zero
    QCOMPARE(p.out_h, 168);  // round(167.5)
    QCOMPARE(p.native_scale, 3);
    QCOMPARE(p.passes, 1);
    QVERIFY(p.resize_after);
    auto four = engine_.plan_upscale(64, 48, "esrgan-thick", 4, 8192);
    QCOMPARE(four.native_scale, 4);
    QCOMPARE(four.passes, 1);
    QVERIFY(!four.resize_after);
    auto big = engine_.plan_upscale(20, 10, "esrgan-medium", 12, 8192);  // no native >= 12: x4 twice
    QCOMPARE(big.native_scale, 4);
    QCOMPARE(big.passes, 2);
    QCOMPARE(big.out_w, 240);
    auto huge = engine_.plan_upscale(10, 10, "esrgan-medium", 64, 8192);
    QCOMPARE(huge.passes, 3);
    QVERIFY(!huge.resize_after);
  }
  void refusesBadScalesAndHugeOutputs() {
    QVERIFY_THROWS_EXCEPTION(InvalidInput, engine_.plan_upscale(10, 10, "bicubic", 1.0, 8192));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, engine_.plan_upscale(10, 10, "bicubic", 0.5, 8192));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, engine_.plan_upscale(10, 10, "bicubic", std::nan(""), 8192));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, engine_.plan_upscale(10, 10, "bicubic", INFINITY, 8192));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, engine_.plan_upscale(10, 10, "esrgan-huge", 2, 8192));
    try {
      engine_.plan_upscale(3000, 2000, "esrgan-thick", 4, 8192);
      QFAIL("no error");
    } catch (const InvalidInput& e) {
      QVERIFY(std::string(e.what()).find("12000x8000") != std::string::npos);
    }
  }
  void bicubicUpscaleKeepsAlphaAndSize() {
    UpscaleRequest r;
    r.image.rgb = test::test_pattern(30, 20);
    r.image.alpha = torch::full({1, 1, 20, 30}, 0.5f);
    r.model = "bicubic";
    r.scale = 2.5;
    auto out = engine_.upscale(r, {});
    QCOMPARE(out.width(), 75);
    QCOMPARE(out.height(), 50);
    QVERIFY(out.has_alpha());
    QVERIFY(test::max_abs(out.alpha, torch::full_like(out.alpha, 0.5f)) < 1e-5);
    // A smooth picture upscaled and shrunk back stays close to itself.
    QVERIFY(test::psnr(torch::nn::functional::interpolate(out.rgb, torch::nn::functional::InterpolateFuncOptions()
                          .size(std::vector<int64_t>{20, 30}).mode(torch::kArea)), r.image.rgb) > 30);
  }
  void esrganSlimUpscalesAnyFactorTiled() {
    if (!test::require_model("esrgan-slim")) return;
    UpscaleRequest r;
    r.image.rgb = test::test_pattern(45, 37);
    r.model = "esrgan-slim";
    r.scale = 2.5;
    r.tiles = {32, 8, 8};
    int tiles = 0;
    RunControl ctl;
    ctl.on_progress = [&](const Progress& p) { tiles = std::max(tiles, p.tiles); };
    auto out = engine_.upscale(r, ctl);
    QCOMPARE(out.width(), 113);   // round(112.5)
    QCOMPARE(out.height(), 93);   // round(92.5)
    QVERIFY(tiles == 4);
    QVERIFY(out.rgb.min().item<float>() >= 0.0f && out.rgb.max().item<float>() <= 1.0f);
    UpscaleRequest whole = r;
    whole.tiles.tile = 0;
    auto ref = engine_.upscale(whole, {});
    QVERIFY2(test::psnr(out.rgb, ref.rgb) > 40, std::to_string(test::psnr(out.rgb, ref.rgb)).c_str());
  }
};

QTEST_GUILESS_MAIN(TestUpscale)
#include "test_upscale.moc"
