// The zoom plan and pipeline: reference crop boxes, Pillow-exact baselines, zoom points,
// callbacks, cancel, bad parameters.
#include <nlohmann/json.hpp>

#include "coz/error.h"
#include "coz/imageio.h"
#include "coz/zoom.h"
#include "coz/engine.h"
#include "test_util.h"

using namespace coz;

namespace {
torch::Tensor pil(const std::string& name) { return io::read_image((test::data_dir() / "goldens/pil" / name).string()).rgb; }
ZoomRequest request(int steps, Recursion r, int P) {
  ZoomRequest q;
  q.steps = steps;
  q.recursion = r;
  q.process_size = P;
  return q;
}
}  // namespace

class TestZoom : public QObject {
  Q_OBJECT
  Engine engine_;
 private Q_SLOTS:
  void centrePlanMatchesTheReference() {
    auto plan = plan_zoom(600, 400, request(4, Recursion::Recursive, 512));
    QCOMPARE(plan.resized_w, 768);
    QCOMPARE(plan.resized_h, 512);
    QCOMPARE(plan.initial_crop.x, 128);
    QCOMPARE(plan.initial_crop.y, 0);
    for (const auto& s : plan.steps) {  // (192,192,320,320) every step
      QCOMPARE(s.crop.x, 192);
      QCOMPARE(s.crop.y, 192);
      QCOMPARE(s.crop.w, 128);
      QCOMPARE(s.source_step, s.step - 1);
    }
    QCOMPARE(plan.steps[3].magnification, 256.0);
    // In the original: step 1 is the central 1/4 of the 400x400 square at x=100.
    QVERIFY(std::fabs(plan.steps[0].in_original.x - 250.0) < 1e-9);
    QVERIFY(std::fabs(plan.steps[0].in_original.w - 100.0) < 1e-9);
    QVERIFY(std::fabs(plan.steps[1].in_original.x - 287.5) < 1e-9);
    QVERIFY(std::fabs(plan.steps[1].in_original.w - 25.0) < 1e-9);

    auto one = plan_zoom(512, 512, request(4, Recursion::OneStep, 512));
    const int n[] = {128, 32, 8, 2};
    for (int k = 0; k < 4; ++k) {
      QCOMPARE(one.steps[k].crop.w, n[k]);
      QCOMPARE(one.steps[k].crop.x, (512 - n[k]) / 2);
      QCOMPARE(one.steps[k].source_step, 0);
    }
  }
  void offCentrePointIsTrackedAndClamped() {
    auto q = request(3, Recursion::Recursive, 512);
    q.center_x = 0.9;
    q.center_y = 0.1;
    auto plan = plan_zoom(1024, 512, q);
    QCOMPARE(plan.initial_crop.x, 512);  // clamped to the right edge
    QCOMPARE(plan.initial_crop.y, 0);
    // Point (921.6-512, 51.2) = (409.6, 51.2) in step 0: crop x = 409.6-64 -> 345, y clamped to 0.
    QCOMPARE(plan.steps[0].crop.x, 345);
    QCOMPARE(plan.steps[0].crop.y, 0);
    // Every box lies inside its source image and the regions nest in the original.
    for (size_t k = 0; k < plan.steps.size(); ++k) {
      const auto& s = plan.steps[k];
      QVERIFY(s.crop.x >= 0 && s.crop.x + s.crop.w <= 512 && s.crop.y >= 0 && s.crop.y + s.crop.h <= 512);
      if (k > 0) {
        const auto& a = plan.steps[k - 1].in_original;
        const auto& b = s.in_original;
        QVERIFY(b.x >= a.x - 1e-9 && b.x + b.w <= a.x + a.w + 1e-9 && b.y >= a.y - 1e-9 && b.y + b.h <= a.y + a.h + 1e-9);
      }
    }
    // The zoom point stays inside every region.
    const double px = 0.9 * 1024, py = 0.1 * 512;
    for (const auto& s : plan.steps)
      QVERIFY(px >= s.in_original.x && px <= s.in_original.x + s.in_original.w && py >= s.in_original.y &&
              py <= s.in_original.y + s.in_original.h);
  }
  void baselineChainsArePillowExact_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("bicubic") << "zoom_bicubic";
    QTest::newRow("nearest") << "zoom_nearest";
    QTest::newRow("quirk") << "zoom_quirk";
  }
  void baselineChainsArePillowExact() {
    QFETCH(QString, name);
    std::ifstream f(test::data_dir() / "goldens/pil/manifest.json");
    auto m = nlohmann::json::parse(f);
    for (const auto& c : m["zoom"]) {
      if (c["name"] != name.toStdString()) continue;
      auto q = request(c["steps"], parse_recursion(c["rec"]), c["size"]);
      q.image.rgb = pil(c["input"]);
      auto res = engine_.zoom(q, {});
      QCOMPARE(static_cast<int>(res.steps.size()), c["steps"].get<int>() + 1);
      for (size_t k = 0; k < res.steps.size(); ++k) {
        auto want = pil(name.toStdString() + "_" + std::to_string(k) + ".png");
        const double d = test::max_abs(res.steps[k].output, want);
        QVERIFY2(d < 1e-6, (name.toStdString() + " step " + std::to_string(k) + " differs by " + std::to_string(d * 255) + " levels").c_str());
      }
      return;
    }
    QFAIL("case missing from the manifest");
  }
  void quirkCropHasABlackRow() {
    auto q = request(1, Recursion::Bicubic, 64);
    auto plan = plan_zoom(131, 98, q);
    QCOMPARE(plan.resized_h, 63);
    QCOMPARE(plan.initial_crop.y, -1);
  }
  void recursiveRunDeliversEveryStepAndCancels() {
    auto q = request(3, Recursion::Recursive, 64);
    q.model = "bicubic";
    q.image.rgb = test::test_pattern(90, 70);
    q.user_prompt = "a cat";
    std::vector<int> seen;
    RunControl ctl;
    ctl.on_step = [&](const StepResult& s) {
      seen.push_back(s.step);
      QCOMPARE(s.output.sizes().vec(), (std::vector<int64_t>{1, 3, 64, 64}));
    };
    auto res = engine_.zoom(q, ctl);
    QCOMPARE(seen, (std::vector<int>{0, 1, 2, 3}));
    QCOMPARE(res.steps[2].prompt, std::string("a cat"));
    // Outputs are quantised to 8-bit levels, like the reference's PNG round trip.
    auto lv = res.steps[3].output * 255;
    QVERIFY(test::max_abs(lv, lv.round()) < 1e-3);
    // Recursive bicubic of a smooth image: step k+1 is the centre of step k enlarged.
    QVERIFY(test::psnr(res.steps[1].input, res.steps[1].output) > 30);

    std::atomic<bool> cancel{false};
    RunControl c2;
    c2.cancel = &cancel;
    std::vector<int> done;
    c2.on_step = [&](const StepResult& s) { done.push_back(s.step); if (s.step == 1) cancel = true; };
    QVERIFY_THROWS_EXCEPTION(Cancelled, engine_.zoom(q, c2));
    QCOMPARE(done, (std::vector<int>{0, 1}));
  }
  void badRequestsAreRefused() {
    QVERIFY_THROWS_EXCEPTION(InvalidInput, plan_zoom(100, 100, request(0, Recursion::Recursive, 512)));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, plan_zoom(100, 100, request(9, Recursion::Recursive, 512)));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, plan_zoom(100, 100, request(2, Recursion::Recursive, 510)));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, plan_zoom(100, 100, request(5, Recursion::OneStep, 512)));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, plan_zoom(1, 1, request(2, Recursion::Recursive, 512)));
    auto q = request(2, Recursion::Recursive, 512);
    q.center_x = 1.5;
    QVERIFY_THROWS_EXCEPTION(InvalidInput, plan_zoom(100, 100, q));
    QVERIFY_THROWS_EXCEPTION(InvalidInput, parse_recursion("spiral"));
    try {
      plan_zoom(100, 100, request(5, Recursion::OneStep, 512));
    } catch (const InvalidInput& e) {
      QVERIFY(std::string(e.what()).find("at most 4 steps") != std::string::npos);
    }
  }
  void promptCompositionFollowsTheReference() {
    QCOMPARE(compose_prompt(PromptMode::Null, "", "sharp"), std::string("sharp"));
    QCOMPARE(compose_prompt(PromptMode::DAPE, "cat, fur", ""), std::string("cat, fur"));
    QCOMPARE(compose_prompt(PromptMode::DAPE, "cat, fur", "sharp"), std::string("cat, fur, sharp,"));
    QCOMPARE(compose_prompt(PromptMode::VLM, "a tabby cat", "4k"), std::string("a tabby cat, 4k,"));
  }
};

QTEST_GUILESS_MAIN(TestZoom)
#include "test_zoom.moc"
