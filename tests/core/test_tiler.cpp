#include "coz/tiler.h"
#include "test_util.h"

using namespace coz;
using test::error_of;
namespace F = torch::nn::functional;

class TestTiler : public QObject {
  Q_OBJECT
  // A local x2 operator with a 5x5 receptive field (radius 2): box blur, then nearest x2.
  static torch::Tensor local_op(const torch::Tensor& t) {
    auto k = torch::full({3, 1, 5, 5}, 1.0f / 25);
    auto b = F::conv2d(F::pad(t, F::PadFuncOptions({2, 2, 2, 2}).mode(torch::kReplicate)), k, F::Conv2dFuncOptions().groups(3));
    return b.repeat_interleave(2, 2).repeat_interleave(2, 3);
  }
 private Q_SLOTS:
  void startsCoverTheAxis() {
    for (int size : {1, 7, 64, 65, 100, 125, 257, 1000})
      for (int tile : {16, 64, 100})
        for (int ov : {0, 4, 8}) {
          auto s = tile_starts(size, tile, ov);
          const int len = std::min(tile, size);
          QCOMPARE(s.front(), 0);
          QCOMPARE(s.back() + len, size);
          for (size_t i = 1; i < s.size(); ++i) QVERIFY(s[i] > s[i - 1] && s[i] <= s[i - 1] + len);
        }
  }
  void tiledEqualsUntiledWithEnoughContext() {
    auto x = test::test_pattern(83, 61) + torch::rand({1, 3, 61, 83}) * 0.1;
    auto whole = local_op(x);
    RunControl ctl;
    int calls = 0;
    auto fn = [&](const torch::Tensor& t) { ++calls; return local_op(t); };
    auto tiled = run_tiled(x, 2, TileOptions{24, 6, 2}, fn, ctl);
    QCOMPARE(tiled.sizes().vec(), whole.sizes().vec());
    QVERIFY(calls >= 9);
    QVERIFY2(test::max_abs(tiled, whole) < 1e-5, std::to_string(test::max_abs(tiled, whole)).c_str());
  }
  void withoutContextTheSeamsDiffer() {  // proves the test above can fail
    auto x = torch::rand({1, 3, 61, 83});
    RunControl ctl;
    auto tiled = run_tiled(x, 2, TileOptions{24, 0, 0}, local_op, ctl);
    QVERIFY(test::max_abs(tiled, local_op(x)) > 1e-3);
  }
  void blendWeightsSumToOne() {  // identity-like op: any blend of equal values is that value
    auto x = torch::rand({1, 3, 50, 70});
    auto up = [](const torch::Tensor& t) { return t.repeat_interleave(3, 2).repeat_interleave(3, 3); };
    RunControl ctl;
    auto tiled = run_tiled(x, 3, TileOptions{16, 7, 0}, up, ctl);
    QVERIFY(test::max_abs(tiled, up(x)) < 1e-6);
  }
  void reportsProgressAndCancels() {
    auto x = torch::rand({1, 3, 40, 40});
    std::atomic<bool> cancel{false};
    RunControl ctl;
    ctl.cancel = &cancel;
    std::vector<int> seen;
    ctl.on_progress = [&](const Progress& p) {
      seen.push_back(p.tile);
      QCOMPARE(p.tiles, 9);
      if (p.tile == 4) cancel = true;
    };
    QVERIFY_THROWS_EXCEPTION(Cancelled, run_tiled(x, 1, TileOptions{16, 4, 2}, [](const torch::Tensor& t) { return t.clone(); }, ctl));
    QCOMPARE(seen, (std::vector<int>{1, 2, 3, 4}));
  }
  // Fractional scales: a VAE encoder's /8 and decoder's x8. With values on a coarse dyadic grid
  // every blend product and normalisation is exact in float32, so a local fn must come back equal.
  void fractionalScaleMatchesUntiledExactly() {
    auto x = torch::randint(0, 256, {1, 3, 72, 104}).to(torch::kFloat32) / 256;
    RunControl ctl;
    int calls = 0;
    auto pool = [&](const torch::Tensor& t) {
      // Every tile starts on an 8-pixel boundary of x (the slice's offset into x's storage).
      const int64_t off = t.storage_offset();
      if ((off % 104) % 8 != 0 || (off / 104) % 8 != 0) throw std::runtime_error("tile not aligned to 8");
      if (t.size(2) % 8 || t.size(3) % 8) throw std::runtime_error("tile side not a multiple of 8");
      ++calls;
      return F::avg_pool2d(t, F::AvgPool2dFuncOptions(8));
    };
    auto tiled = run_tiled(x, TileScale{1, 8}, TileOptions{32, 8, 0}, pool, ctl);
    QCOMPARE(tiled.sizes().vec(), (std::vector<int64_t>{1, 3, 9, 13}));
    QVERIFY(calls >= 9);
    QVERIFY(torch::equal(tiled, F::avg_pool2d(x, F::AvgPool2dFuncOptions(8))));
    // x8 nearest, as the VAE decoder tiles its latents.
    auto z = torch::randint(0, 256, {1, 4, 11, 13}).to(torch::kFloat32) / 256;
    auto nearest = [](const torch::Tensor& t) { return t.repeat_interleave(8, 2).repeat_interleave(8, 3); };
    auto up = run_tiled(z, 8, TileOptions{8, 2, 0}, nearest, ctl);
    QCOMPARE(up.sizes().vec(), (std::vector<int64_t>{1, 4, 88, 104}));
    QVERIFY(torch::equal(up, nearest(z)));
  }
  void fractionalScaleUsesItsContext() {
    // /8 pooling, then a 3x3 blur in the output: a radius of 8 input pixels, so 8 pixels of context
    // make the tiles compute the untiled values; none leaves seams.
    auto op = [](const torch::Tensor& t) {
      auto p = F::avg_pool2d(t, F::AvgPool2dFuncOptions(8));
      auto k = torch::full({3, 1, 3, 3}, 1.0f / 9);
      return F::conv2d(F::pad(p, F::PadFuncOptions({1, 1, 1, 1}).mode(torch::kReplicate)), k, F::Conv2dFuncOptions().groups(3));
    };
    auto x = torch::rand({1, 3, 96, 120});
    RunControl ctl;
    const double with = test::max_abs(run_tiled(x, TileScale{1, 8}, TileOptions{40, 16, 8}, op, ctl), op(x));
    const double without = test::max_abs(run_tiled(x, TileScale{1, 8}, TileOptions{40, 16, 0}, op, ctl), op(x));
    QVERIFY2(with < 1e-6, std::to_string(with).c_str());
    QVERIFY2(without > 1e-4, std::to_string(without).c_str());
  }
  void fractionalScaleRefusesMisalignedSizes() {
    RunControl ctl;
    auto pool = [](const torch::Tensor& t) { return F::avg_pool2d(t, F::AvgPool2dFuncOptions(8)); };
    const auto x = torch::rand({1, 3, 64, 64});
    QCOMPARE(error_of([&] { run_tiled(x, TileScale{1, 8}, TileOptions{36, 8, 0}, pool, ctl); }),
             std::string("tiler: tile size 36 is not a multiple of 8, which a x1/8 scale needs"));
    QCOMPARE(error_of([&] { run_tiled(x, TileScale{1, 8}, TileOptions{32, 4, 0}, pool, ctl); }),
             std::string("tiler: tile overlap 4 is not a multiple of 8, which a x1/8 scale needs"));
    QCOMPARE(error_of([&] { run_tiled(torch::rand({1, 3, 60, 64}), TileScale{1, 8}, TileOptions{32, 8, 8}, pool, ctl); }),
             std::string("tiler: a x1/8 scale needs sides that are multiples of 8 (got 64x60)"));
  }
  void rejectsWrongTileOutput() {
    RunControl ctl;
    QVERIFY_THROWS_EXCEPTION(Error, run_tiled(torch::rand({1, 3, 20, 20}), 2, TileOptions{0, 0, 0},
                                              [](const torch::Tensor& t) { return t; }, ctl));
  }
};

QTEST_GUILESS_MAIN(TestTiler)
#include "test_tiler.moc"
