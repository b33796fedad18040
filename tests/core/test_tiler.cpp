#include "coz/tiler.h"
#include "test_util.h"

using namespace coz;
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
  void rejectsWrongTileOutput() {
    RunControl ctl;
    QVERIFY_THROWS_EXCEPTION(Error, run_tiled(torch::rand({1, 3, 20, 20}), 2, TileOptions{0, 0, 0},
                                              [](const torch::Tensor& t) { return t; }, ctl));
  }
};

QTEST_GUILESS_MAIN(TestTiler)
#include "test_tiler.moc"
