// Steering, resuming and replaying a zoom chain (issue 14): step changes in the engine, the
// record's round trip, per-image recipes, and `coz zoom --resume`, `coz replay`, `coz video`,
// --no-metadata end to end.
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <csignal>
#include <fstream>
#include <sstream>

#ifdef COZ_HAVE_VIDEOIO
#include <opencv2/videoio.hpp>
#endif

#include "coz/export.h"
#include "coz/imageio.h"
#include "coz/record.h"
#include "coz/zoom.h"
#include "test_util.h"

using namespace coz;
namespace fs = std::filesystem;

namespace {
struct Run {
  int code = -1;
  QString out, err;
};

// coz with CoZ's cache (checkpoints, hashes) in `cache`; the models stay where they are.
QProcessEnvironment env_with_cache(const QString& cache) {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("COZ_MODELS_DIR", QString::fromStdString(default_models_dir().string()));
  env.insert("XDG_CACHE_HOME", cache);
  return env;
}

Run coz_run(const QStringList& args, const QString& cache, int timeout_ms = 120000) {
  QProcess p;
  p.setProcessEnvironment(env_with_cache(cache));
  p.start(COZ_CLI, args);
  p.waitForFinished(timeout_ms);
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

std::string src() { return (test::data_dir() / "goldens/pil/zoom_bicubic_src.png").string(); }  // 113x75

QByteArray bytes(const QString& f) {
  QFile file(f);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A recursive chain with the "bicubic" backbone (no model files).
ZoomRequest bicubic_chain(int steps) {
  ZoomRequest r;
  r.image = io::read_image(src());
  r.steps = steps;
  r.process_size = 64;
  r.recursion = Recursion::Recursive;
  r.model = "bicubic";
  r.center_x = 0.4;
  r.center_y = 0.6;
  return r;
}

std::string slurp(const QString& f) {
  std::ifstream in(f.toStdString(), std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

class TestSteer : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString tmp(const QString& n) { return dir_.path() + "/" + n; }
  QString cache() { return tmp("cache"); }

 private Q_SLOTS:
  // ---- the engine ----------------------------------------------------------------------------

  void rerunFromStepKeepsEarlierStepsAndChangesStepK() {
    Engine engine;
    const ZoomRequest req = bicubic_chain(3);
    const ZoomResult first = engine.zoom(req, {});
    QCOMPARE(int(first.steps.size()), 4);
    // Re-run from step 2 with its zoom point moved to the upper left of step 1's image.
    ZoomRequest again = req;
    again.resume.assign(first.steps.begin(), first.steps.begin() + 2);
    StepOverride o;
    o.step = 2;
    o.point_x = 0.2;
    o.point_y = 0.25;
    again.overrides = {o};
    std::vector<int> seen;
    RunControl ctl;
    ctl.on_step = [&](const StepResult& s) { seen.push_back(s.step * (s.reused ? -1 : 1)); };
    const ZoomResult second = engine.zoom(again, ctl);
    QCOMPARE(seen, (std::vector<int>{0, -1, 2, 3}));  // steps 0 and 1 reported as reused
    QVERIFY(torch::equal(second.steps[0].output, first.steps[0].output));
    QVERIFY(torch::equal(second.steps[1].output, first.steps[1].output));
    QVERIFY(!torch::equal(second.steps[2].output, first.steps[2].output));
    // Step 2's 16x16 crop of the 64x64 step 1 now centres on (12.8, 16).
    QCOMPARE(second.plan.steps[1].crop.x, 4);  // floor(12.8 - 8)
    QCOMPARE(second.plan.steps[1].crop.y, 8);
    QCOMPARE(second.plan.steps[1].crop.w, 16);
    QCOMPARE(second.steps[2].plan.crop.x, 4);
    // Step 3 goes on zooming into the moved point: (12.8 - 4) * 4 = 35.2 in step 2's image.
    QCOMPARE(second.plan.steps[2].crop.x, 27);
  }

  void resumeWithoutChangesEqualsTheUninterruptedRun() {
    Engine engine;
    const ZoomRequest req = bicubic_chain(3);
    const ZoomResult whole = engine.zoom(req, {});
    for (int kept = 1; kept <= 4; ++kept) {
      ZoomRequest again = req;
      again.image = {};  // step 0 is kept: the input's size is all the plan needs
      again.input_width = 113;
      again.input_height = 75;
      again.resume.assign(whole.steps.begin(), whole.steps.begin() + kept);
      const ZoomResult r = engine.zoom(again, {});
      QCOMPARE(int(r.steps.size()), 4);
      for (int k = 0; k < 4; ++k) QVERIFY2(torch::equal(r.steps[k].output, whole.steps[k].output), qPrintable(QString::number(k)));
    }
  }

  void badChangesAreRefusedWithTheirStep() {
    ZoomRequest r = bicubic_chain(3);
    StepOverride o;
    o.step = 4;
    o.prompt = "x";
    r.overrides = {o};
    QCOMPARE(QString::fromStdString(test::error_of([&] { plan_zoom(113, 75, r); })),
             QString("the change at step 4 is outside the chain: steps are numbered 1 to 3"));
    o.step = 2;
    o.point_x = 1.5;
    o.point_y = 0.5;
    r.overrides = {o};
    QVERIFY(QString::fromStdString(test::error_of([&] { plan_zoom(113, 75, r); })).startsWith("the change at step 2 moves the zoom point outside the image"));
    o.point_x.reset();
    r.overrides = {o};
    QCOMPARE(QString::fromStdString(test::error_of([&] { plan_zoom(113, 75, r); })),
             QString("the change at step 2 moves the zoom point in one direction only"));
    o.point_y.reset();
    r.overrides = {o, o};
    QCOMPARE(QString::fromStdString(test::error_of([&] { plan_zoom(113, 75, r); })), QString("step 2 is changed twice"));
    ZoomRequest once = bicubic_chain(3);
    once.recursion = Recursion::OneStep;
    o.point_x = o.point_y = 0.5;
    once.overrides = {o};
    QVERIFY(QString::fromStdString(test::error_of([&] { plan_zoom(113, 75, once); })).contains("that needs a recursive chain"));
    Engine engine;
    ZoomRequest bad = bicubic_chain(2);
    bad.resume.push_back(StepResult{});
    bad.resume[0].output = torch::zeros({1, 3, 32, 32});
    QCOMPARE(QString::fromStdString(test::error_of([&] { engine.zoom(bad, {}); })),
             QString("step 0 of the run to resume is not a 64x64 RGB image (the process size of its steps.json)"));
  }

  void recordAndRecipesRoundTrip() {
    Engine engine;
    ZoomRequest req = bicubic_chain(3);
    StepOverride a, b;
    a.step = 1;
    a.prompt = "a <red> & \"quoted\" fox";
    b.step = 3;
    b.point_x = 0.75;
    b.point_y = 0.5;
    b.prompt_mode = PromptMode::Null;
    req.overrides = {b, a};
    req.seed = 42;
    const ZoomResult res = engine.zoom(req, {});
    ZoomRecordFiles files;
    files.input = "in.png";
    for (int k = 0; k <= 3; ++k) files.steps.push_back("step_" + std::to_string(k) + ".png");
    files.strip = "strip.png";
    files.models = {{"backbone", "x", {{"model.json", std::string(64, 'a')}}}};
    const ZoomRecord rec = parse_zoom_record(zoom_record_json(req, res, files), "steps.json");
    QCOMPARE(rec.request.steps, 3);
    QCOMPARE(rec.request.seed, uint64_t{42});
    QCOMPARE(rec.request.input_width, 113);
    QCOMPARE(rec.request.center_x, 0.4);
    QCOMPARE(int(rec.request.overrides.size()), 2);
    QCOMPARE(rec.request.overrides[0].step, 1);  // recorded in step order
    QCOMPARE(*rec.request.overrides[0].prompt, std::string("a <red> & \"quoted\" fox"));
    QCOMPARE(*rec.request.overrides[1].point_x, 0.75);
    QVERIFY(rec.request.overrides[1].prompt_mode == PromptMode::Null);
    QCOMPARE(rec.step_files, files.steps);
    QCOMPARE(int(rec.models.size()), 1);
    QCOMPARE(rec.models[0].files[0].second, std::string(64, 'a'));
    QVERIFY(rec.complete);
    // A step's recipe holds only what made it: step 1's has one step and the change at step 1.
    const std::string r1 = zoom_recipe_json(req, res, files, 1);
    QCOMPARE(recipe_format(r1), std::string("coz-steps"));
    const ZoomRecord one = parse_zoom_record(r1, "recipe");
    QCOMPARE(one.request.steps, 1);
    QCOMPARE(int(one.step_files.size()), 2);
    QCOMPARE(int(one.request.overrides.size()), 1);
    QVERIFY(r1.find("timings") == std::string::npos);
    // ... so a re-run from step 2 (another step 3) leaves step 0 and 1's recipes as they were.
    ZoomRequest other = req;
    other.overrides = {a};
    QCOMPARE(zoom_recipe_json(other, res, files, 1), r1);
    QVERIFY(zoom_recipe_json(other, res, files, 3) != zoom_recipe_json(req, res, files, 3));
    // Broken records name the document and the member.
    QCOMPARE(QString::fromStdString(test::error_of([] { parse_zoom_record("[1]", "x.json"); })), QString("x.json: not a JSON object"));
    QCOMPARE(QString::fromStdString(test::error_of([] { parse_zoom_record(R"({"format": "coz-steps", "format_version": 9})", "x.json"); })),
             QString("x.json: format_version 9 is not supported (this coz reads version 1; update coz)"));
    std::string steps = zoom_record_json(req, res, files);
    steps.replace(steps.find("\"recursion\": \"recursive\""), 24, "\"recursion\": \"spiral\"");
    QVERIFY(QString::fromStdString(test::error_of([&] { parse_zoom_record(steps, "x.json"); })).startsWith("x.json: \"recursion\": unknown recursion type 'spiral'"));
    QCOMPARE(recipe_format("not json"), std::string());
  }

  // ---- the CLI -------------------------------------------------------------------------------

  void replayIsBitIdenticalOnTheCpu() {
    if (!test::require_model("esrgan-slim")) return;
    const QString out = tmp("replay");
    Run r = coz_run({"zoom", QString::fromStdString(src()), "-o", out, "--steps", "2", "--model", "esrgan-slim", "--process-size",
                     "64", "--prompt-at", "2=a fox", "--quiet"}, cache());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const std::string recipe = io::read_recipe((out + "/step_2.png").toStdString());
    const ZoomRecord rec = parse_zoom_record(recipe, "step_2.png");
    QCOMPARE(rec.request.model, std::string("esrgan-slim"));
    QCOMPARE(int(rec.models.size()), 1);  // the model's files with their SHA-256
    QVERIFY(!rec.models[0].files.empty() && rec.models[0].files[0].second.size() == 64);
    QCOMPARE(rec.prompts[2], std::string("a fox"));
    // steps.json (with its changes and models) and the recipe follow docs/steps.schema.json.
    std::ofstream(tmp("recipe.json").toStdString()) << recipe;
    for (const QString& doc : {out + "/steps.json", tmp("recipe.json")}) {
      QProcess py;
      py.start("python3", {"-c", "import json,sys,jsonschema; jsonschema.Draft202012Validator(json.load(open(sys.argv[2])))"
                                 ".validate(json.load(open(sys.argv[1])))",
                           doc, QString(COZ_SOURCE_DIR) + "/docs/steps.schema.json"});
      QVERIFY(py.waitForFinished(60000));
      QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
    }
    for (const char* f : {"step_2.png", "step_1.png", "strip.png"}) {
      Run p = coz_run({"replay", out + "/" + f, "-o", tmp(QString("again_") + f)}, cache());
      QVERIFY2(p.code == 0, qPrintable(p.err));
      QVERIFY2(p.err.contains("bit-identical"), qPrintable(p.err));
      QVERIFY(torch::equal(io::read_image(tmp(QString("again_") + f).toStdString()).rgb,
                           io::read_image((out + "/" + f).toStdString()).rgb));
      QCOMPARE(io::read_recipe(tmp(QString("again_") + f).toStdString()), io::read_recipe((out + "/" + f).toStdString()));
    }
    // An upscale through JPEG, WebP and TIFF: the recipe is there and the replay matches.
    for (const char* ext : {"jpg", "webp", "tif"}) {
      const QString up = tmp(QString("up.") + ext);
      Run u = coz_run({"upscale", QString::fromStdString(src()), "-o", up, "--scale", "2", "--model", "esrgan-slim", "--quiet"}, cache());
      QVERIFY2(u.code == 0, qPrintable(u.err));
      const UpscaleRecord ur = parse_upscale_recipe(io::read_recipe(up.toStdString()), up.toStdString());
      QCOMPARE(ur.request.scale, 2.0);
      QCOMPARE(ur.input_width, 113);
      Run p = coz_run({"replay", up, "--json"}, cache());
      QVERIFY2(p.code == 0, qPrintable(p.err));
      QVERIFY2(p.out.contains("\"identical\":true"), qPrintable(p.out));
    }
  }

  // Where the CLI's replay and the studio's Open Recipe look for a recipe's input, in order.
  void recipeInputCandidatesInOrder() {
    const auto c = recipe_input_candidates("photos/cat.png", "/data/zooms/cat/step_2.png");
    QCOMPARE(c, (std::vector<std::string>{"photos/cat.png", "/data/zooms/cat/cat.png", "/data/zooms/cat.png"}));
    QCOMPARE(recipe_input_candidates("/abs/in.jpg", "step_1.png"),
             (std::vector<std::string>{"/abs/in.jpg", "in.jpg"}));  // each place once
    QVERIFY(recipe_input_candidates("", "/data/step_1.png").empty());
  }

  void noMetadataMeansNoRecipe() {
    const QString out = tmp("plain");
    Run r = coz_run({"zoom", QString::fromStdString(src()), "-o", out, "--steps", "1", "--model", "bicubic", "--rec", "bicubic",
                     "--process-size", "64", "--no-metadata", "--quiet"}, cache());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(io::read_recipe((out + "/step_1.png").toStdString()), std::string());
    Run p = coz_run({"replay", out + "/step_1.png"}, cache());
    QCOMPARE(p.code, 3);
    QVERIFY2(p.err.contains("carries no CoZ recipe"), qPrintable(p.err));
  }

  void replayOfAGpuRecipeRunsOnTheCpu() {
    const QString out = tmp("gpu");
    Run r = coz_run({"zoom", QString::fromStdString(src()), "-o", out, "--steps", "2", "--model", "bicubic", "--process-size", "64",
                     "--quiet"}, cache());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    // The same image, as if it had been made on a GPU.
    std::string recipe = io::read_recipe((out + "/step_2.png").toStdString());
    const auto at = recipe.find("\"device\":\"cpu\"");
    QVERIFY(at != std::string::npos);
    recipe.replace(at, 14, "\"device\":\"cuda:0\"");
    io::WriteOptions wo;
    wo.recipe = recipe;
    io::write_image(tmp("gpu_step.png").toStdString(), io::read_image((out + "/step_2.png").toStdString()), wo);
    QFile::copy(QString::fromStdString(src()), tmp("zoom_bicubic_src.png"));  // found beside the image
    Run p = coz_run({"replay", tmp("gpu_step.png"), "--json"}, cache());
    if (cuda_available()) return;  // the GPU is there: nothing to fall back from
    QVERIFY2(p.code == 0, qPrintable(p.err));
    QVERIFY2(p.err.contains("the recipe ran on cuda:0, which this machine lacks: replaying on the CPU"), qPrintable(p.err));
    QVERIFY2(p.out.contains("\"identical\":true") && p.out.contains("\"recorded_device\":\"cuda:0\""), qPrintable(p.out));
    Run moved = coz_run({"replay", tmp("gpu_step.png"), "--input", tmp("nowhere.png")}, cache());
    QCOMPARE(moved.code, 3);
  }

  void resumeAfterAnInterruptedRunCompletesIt() {
    if (!test::require_model("esrgan-slim")) return;
    // Tiles of 32: the run checks for Ctrl+C often, and each of the 4 steps takes many tiles.
    const QStringList opts = {"--steps", "4", "--model", "esrgan-slim", "--process-size", "128", "--tile", "32"};
    Run whole = coz_run(QStringList{"zoom", QString::fromStdString(src()), "-o", tmp("whole"), "--quiet"} + opts, cache());
    QVERIFY2(whole.code == 0, qPrintable(whole.err));
    // Ctrl+C once step 1 is done.
    QProcess p;
    p.setProcessEnvironment(env_with_cache(cache()));
    p.start(COZ_CLI, QStringList{"zoom", QString::fromStdString(src()), "-o", tmp("cut"), "--json"} + opts);
    QVERIFY(p.waitForStarted());
    QByteArray seen;
    while (!seen.contains("\"event\":\"step\"") && p.state() == QProcess::Running) {
      p.waitForReadyRead(200);
      seen += p.readAllStandardOutput();
    }
    ::kill(static_cast<pid_t>(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 130);
    QVERIFY2(!QFile::exists(tmp("cut/steps.json")), "an interrupted run must not leave a partial OUTDIR");
    seen += p.readAllStandardOutput();
    QVERIFY2(seen.contains("\"event\":\"interrupted\"") && seen.contains("coz zoom --resume"), seen.constData());
    // Complete is refused without --from-step; --resume finishes the cut run.
    Run again = coz_run({"zoom", "--resume", tmp("cut")}, cache());
    QVERIFY2(again.code == 0, qPrintable(again.err));
    QVERIFY2(again.err.contains("continuing the unfinished run"), qPrintable(again.err));
    for (const char* f : {"step_0.png", "step_1.png", "step_2.png", "step_3.png", "step_4.png", "strip.png"})
      QVERIFY2(bytes(tmp("cut/") + f) == bytes(tmp("whole/") + f), f);
    Run done = coz_run({"zoom", "--resume", tmp("cut")}, cache());
    QCOMPARE(done.code, 2);
    QVERIFY2(done.err.contains("is complete (4 steps): give --from-step K"), qPrintable(done.err));

    // Re-run from step 3 with step 3's zoom point moved: steps 0..2 byte-identical, 3 changes.
    Run steer = coz_run({"zoom", "--resume", tmp("cut"), "--from-step", "3", "--point-at", "3=0.2,0.3", "--quiet"}, cache());
    QVERIFY2(steer.code == 0, qPrintable(steer.err));
    for (const char* f : {"step_0.png", "step_1.png", "step_2.png"}) QVERIFY2(bytes(tmp("cut/") + f) == bytes(tmp("whole/") + f), f);
    QVERIFY(bytes(tmp("cut/step_3.png")) != bytes(tmp("whole/step_3.png")));
    const ZoomRecord rec = parse_zoom_record(slurp(tmp("cut/steps.json")), "steps.json");
    QCOMPARE(int(rec.request.overrides.size()), 1);
    QCOMPARE(*rec.request.overrides[0].point_x, 0.2);
    Run kept = coz_run({"zoom", "--resume", tmp("cut"), "--from-step", "3", "--prompt-at", "2=no"}, cache());
    QCOMPARE(kept.code, 2);
    QVERIFY2(kept.err.contains("step 2 is kept from the saved run"), qPrintable(kept.err));
    Run model = coz_run({"zoom", "--resume", tmp("cut"), "--from-step", "3", "--model", "bicubic"}, cache());
    QCOMPARE(model.code, 2);
    QVERIFY2(model.err.contains("--resume takes the run's own --model from its steps.json"), qPrintable(model.err));
    Run none = coz_run({"zoom", "--resume", tmp("nothing-here")}, cache());
    QCOMPARE(none.code, 3);
    QVERIFY2(none.err.contains("nothing to resume in"), qPrintable(none.err));
  }

  void videoOfAZoomFolder() {
    const QString out = tmp("flight");
    Run r = coz_run({"zoom", QString::fromStdString(src()), "-o", out, "--steps", "2", "--model", "bicubic", "--rec", "bicubic",
                     "--process-size", "64", "--quiet", "--video", tmp("during.avi"), "--fps", "10", "--seconds", "1.2", "--size", "96x64"},
                    cache());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    Run v = coz_run({"video", out, "-o", tmp("after.avi"), "--fps", "10", "--seconds", "1.2", "--size", "96x64", "--ease", "linear"}, cache());
    QVERIFY2(v.code == 0, qPrintable(v.err));
#ifdef COZ_HAVE_VIDEOIO
    for (const QString& f : {tmp("during.avi"), tmp("after.avi")}) {
      cv::VideoCapture cap(f.toStdString());
      QVERIFY2(cap.isOpened(), qPrintable(f));
      int frames = 0;
      cv::Mat m;
      while (cap.read(m)) {
        QCOMPARE(m.cols, 96);
        QCOMPARE(m.rows, 64);
        ++frames;
      }
      QCOMPARE(frames, 12);
    }
#else
    QVERIFY(QFile(tmp("during.avi")).size() > 0 && QFile(tmp("after.avi")).size() > 0);
#endif
    Run bad = coz_run({"video", out, "-o", tmp("x.mkv")}, cache());
    QCOMPARE(bad.code, 2);
    Run odd = coz_run({"video", out, "-o", tmp("x.mp4"), "--size", "97x64"}, cache());
    QCOMPARE(odd.code, 2);
    QVERIFY2(!QFile::exists(tmp("x.mp4")) && !QFile::exists(tmp("x.mkv")), "a refused video must not leave a file");
    Run alone = coz_run({"zoom", QString::fromStdString(src()), "-o", tmp("z2"), "--fps", "10"}, cache());
    QCOMPARE(alone.code, 2);
    QVERIFY2(alone.err.contains("--fps is an option of the video: give --video FILE too"), qPrintable(alone.err));
  }
};

QTEST_GUILESS_MAIN(TestSteer)
#include "test_steer.moc"
