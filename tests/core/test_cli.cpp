// The `coz` executable end to end: outputs, steps.json, exit codes, bad input, SIGINT.
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>

#include <csignal>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "coz/imageio.h"
#include "test_util.h"

using namespace coz;

namespace {
struct Run {
  int code = -1;
  QString out, err;
};
Run coz_run(const QStringList& args, int timeout_ms = 120000) {
  QProcess p;
  p.start(COZ_CLI, args);
  p.waitForFinished(timeout_ms);
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}
QString golden(const char* name) { return QString::fromStdString((test::data_dir() / "goldens/pil" / name).string()); }
}  // namespace

class TestCli : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString tmp(const QString& n) { return dir_.path() + "/" + n; }
  void expect(const QStringList& args, int code, const QString& needle) {
    Run r = coz_run(args);
    QVERIFY2(r.code == code, qPrintable(QString("exit %1, wanted %2: %3").arg(r.code).arg(code).arg(r.err)));
    QVERIFY2(r.err.contains(needle), qPrintable("stderr lacks '" + needle + "': " + r.err));
  }
  bool noImagesIn(const QString& d) {
    return QDir(d).entryList(QStringList{"*.png", "*.json", ".*tmp*"}, QDir::Files | QDir::Hidden).isEmpty();
  }

 private Q_SLOTS:
  void upscaleWritesTheExactSize() {
    Run r = coz_run({"upscale", golden("resize_src.png"), "-o", tmp("up.png"), "--scale", "2.5", "--model", "bicubic", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    Image img = io::read_image(tmp("up.png").toStdString());
    QCOMPARE(img.width(), 93);   // round(37*2.5 = 92.5)
    QCOMPARE(img.height(), 58);  // round(57.5)
    Run d = coz_run({"upscale", golden("read_rgba.png"), "-o", tmp("deep.png"), "--scale", "2", "--model", "nearest", "--bit-depth", "16"});
    QCOMPARE(d.code, 0);
    Image deep = io::read_image(tmp("deep.png").toStdString());
    QCOMPARE(deep.bit_depth, 16);
    QVERIFY(deep.has_alpha());
  }
  void onePixelImagesUpscale() {
    Image px;
    px.rgb = torch::full({1, 3, 1, 1}, 0.25f);
    io::write_image(tmp("px.png").toStdString(), px);
    for (const char* model : {"bicubic", "esrgan-slim"}) {
      if (std::string(model) == "esrgan-slim" && !test::require_model(model)) return;
      Run r = coz_run({"upscale", tmp("px.png"), "-o", tmp("px3.png"), "--scale", "3", "--model", model, "--quiet"});
      QVERIFY2(r.code == 0, qPrintable(r.err));
      Image out = io::read_image(tmp("px3.png").toStdString());
      QCOMPARE(out.width(), 3);
      QCOMPARE(out.height(), 3);
    }
  }
  void zoomWritesStepsStripAndJson() {
    const QString out = tmp("zoom");
    Run r = coz_run({"zoom", golden("zoom_bicubic_src.png"), "-o", out, "--steps", "2", "--rec", "recursive", "--model", "bicubic",
                     "--process-size", "64", "--prompt", "fur", "--center", "60,30", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    for (const char* f : {"step_0.png", "step_1.png", "step_2.png", "strip.png", "steps.json"})
      QVERIFY2(QFile::exists(out + "/" + f), f);
    QCOMPARE(io::read_image((out + "/strip.png").toStdString()).width(), 3 * 64);
    std::ifstream f((out + "/steps.json").toStdString());
    auto j = nlohmann::json::parse(f);
    QCOMPARE(j["steps"].size(), size_t{3});
    QCOMPARE(j["steps"][2]["prompt"].get<std::string>(), std::string("fur"));
    QCOMPARE(j["steps"][1]["crop"]["w"].get<int>(), 16);
    QCOMPARE(j["request"]["recursion"].get<std::string>(), std::string("recursive"));
    QCOMPARE(j["request"]["prompt_mode"].get<std::string>(), std::string("null"));
    QCOMPARE(j["request"]["center_pixels"]["x"].get<double>(), 60.0);
    QCOMPARE(j["input"]["width"].get<int>(), io::read_image(golden("zoom_bicubic_src.png").toStdString()).width());
    QCOMPARE(j["format_version"].get<int>(), 1);
    QVERIFY(j["steps"][2]["magnification"].get<double>() == 16.0);
    QVERIFY(r.out.contains("\"event\":\"step\""));
    QVERIFY(r.out.contains("\"event\":\"done\""));
    // The file follows its documented schema (docs/steps.schema.json, checked with python3-jsonschema).
    QProcess py;
    py.start("python3", {"-c", "import json,sys,jsonschema; jsonschema.Draft202012Validator(json.load(open(sys.argv[2])))"
                               ".validate(json.load(open(sys.argv[1])))",
                         out + "/steps.json", QString(COZ_SOURCE_DIR) + "/docs/steps.schema.json"});
    QVERIFY(py.waitForFinished(60000));
    QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
  }
  void zoomWithDapePrompts() {
    // The tiny RAM + DAPE goldens given by path (their tag files lie beside the checkpoint).
    const QString g = QString::fromStdString((test::data_dir() / "goldens/ram").string());
    const QString out = tmp("dape");
    Run r = coz_run({"zoom", golden("zoom_bicubic_src.png"), "-o", out, "--model", "bicubic", "--steps", "2",
                     "--process-size", "64", "--prompt-mode", "dape", "--prompt", "sharp", "--ram",
                     g + "/ram_swin_large_14m.pth", "--dape", g + "/DAPE.pth", "--precision", "fp32", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    std::ifstream f((out + "/steps.json").toStdString());
    auto j = nlohmann::json::parse(f);
    QCOMPARE(j["request"]["prompt_mode"].get<std::string>(), std::string("dape"));
    std::ifstream tl((g + "/ram_tag_list.txt").toStdString());
    std::set<std::string> known;
    for (std::string t; std::getline(tl, t);) known.insert(t);
    for (int s : {1, 2}) {
      // compose_prompt: "<tags>, sharp," with every tag from the model's list
      const std::string p = j["steps"][s]["prompt"].get<std::string>();
      QVERIFY2(p.size() > 8 && p.substr(p.size() - 8) == ", sharp,", p.c_str());
      std::stringstream ss(p.substr(0, p.size() - 8));
      for (std::string t; std::getline(ss, t, ',');) {
        if (!t.empty() && t[0] == ' ') t.erase(0, 1);
        QVERIFY2(t.empty() || known.count(t), t.c_str());
      }
    }
    // A DAPE file that is not there: not installed, the error says how to get it.
    Run bad = coz_run({"zoom", golden("zoom_bicubic_src.png"), "-o", tmp("dapebad"), "--model", "bicubic", "--steps", "1",
                       "--process-size", "64", "--prompt-mode", "dape", "--ram", g + "/ram_swin_large_14m.pth", "--dape",
                       g + "/missing.pth", "--quiet"});
    QVERIFY2(bad.code == 4 && bad.err.contains("--dape " + g + "/missing.pth does not exist"), qPrintable(bad.err));
    QVERIFY(!QFile::exists(tmp("dapebad") + "/step_0.png"));
  }
  void zoomWithTheSd3Backbone() {
#ifndef COZ_HAVE_SENTENCEPIECE
    QSKIP("this build has no SentencePiece (sanitizer builds cannot load it), so no T5 tokenizer");
#endif
    // The tiny random-weight SD3 pipeline from the goldens, end to end through the CLI.
    const QString g = QString::fromStdString((test::data_dir() / "goldens/sd3").string());
    const QString out = tmp("sd3");
    Run r = coz_run({"zoom", golden("zoom_bicubic_src.png"), "-o", out, "--model", "sd3-osediff", "--sd3", g + "/pipeline",
                     "--lora", g + "/lora/model_tiny.pkl", "--vae-lora", g + "/lora/vae_encoder_tiny.pt", "--steps", "2",
                     "--process-size", "64", "--prompt", "cat fur", "--precision", "fp32", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    std::ifstream f((out + "/steps.json").toStdString());
    auto j = nlohmann::json::parse(f);
    QCOMPARE(j["steps"].size(), size_t{3});
    QCOMPARE(j["steps"][2]["prompt"].get<std::string>(), std::string("cat fur"));
    QCOMPARE(j["request"]["precision"].get<std::string>(), std::string("fp32"));
    QCOMPARE(j["precision_used"].get<std::string>(), std::string("fp32"));
    // --no-cuda-graphs is accepted and, off CUDA, changes nothing: the same pixels.
    const QString out2 = tmp("sd3-nographs");
    Run r2 = coz_run({"zoom", golden("zoom_bicubic_src.png"), "-o", out2, "--model", "sd3-osediff", "--sd3", g + "/pipeline",
                      "--lora", g + "/lora/model_tiny.pkl", "--vae-lora", g + "/lora/vae_encoder_tiny.pt", "--steps", "2",
                      "--process-size", "64", "--prompt", "cat fur", "--precision", "fp32", "--quiet", "--no-cuda-graphs"});
    QVERIFY2(r2.code == 0, qPrintable(r2.err));
    QImage a(out + "/step_2.png"), b(out2 + "/step_2.png");
    QVERIFY(!a.isNull() && a.size() == b.size());
    QVERIFY(a == b);
    // A missing LoRA is a model error (exit 4) that names the file.
    Run bad = coz_run({"zoom", golden("zoom_bicubic_src.png"), "-o", tmp("sd3bad"), "--model", "sd3-osediff", "--sd3",
                       g + "/pipeline", "--lora", g + "/lora/missing.pkl", "--vae-lora", g + "/lora/vae_encoder_tiny.pt",
                       "--process-size", "64", "--quiet"});
    QCOMPARE(bad.code, 4);
    QVERIFY2(bad.err.contains("missing.pkl is missing"), qPrintable(bad.err));
    QVERIFY(!QFile::exists(tmp("sd3bad") + "/step_0.png"));
  }
  void modelsListsEveryModel() {
    Run r = coz_run({"models", "--json"});
    QCOMPARE(r.code, 0);
    auto j = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(j["models"].size(), size_t{7});
    QCOMPARE(j["models"][4]["id"].get<std::string>(), std::string("sd3-osediff"));
    QVERIFY(j["models"][4]["install"].get<std::string>().find("stable-diffusion-3-medium") != std::string::npos);
    QCOMPARE(j["models"][0]["id"].get<std::string>(), std::string("esrgan-thick"));
    QCOMPARE(j["models"][3]["id"].get<std::string>(), std::string("esrgan-gans"));
  }
  void badInputGetsOneMessageAndTheDocumentedCode() {
    QDir(dir_.path()).mkdir("bad");
    auto tmp = [this](const QString& n) { return dir_.path() + "/bad/" + n; };
    Image tiny;
    tiny.rgb = test::test_pattern(7, 5);
    io::write_image(tmp("tiny.png").toStdString(), tiny);
    QFile e(tmp("empty.png"));
    e.open(QIODevice::WriteOnly);
    e.close();
    QFile t(tmp("text.jpg"));
    t.open(QIODevice::WriteOnly);
    t.write("hello");
    t.close();
    const QString src = golden("resize_src.png");
    expect({"upscale", tmp("missing.png"), "-o", tmp("o.png"), "--scale", "2"}, 3, "no such file");
    expect({"upscale", tmp("empty.png"), "-o", tmp("o.png"), "--scale", "2"}, 3, "empty (0 bytes)");
    expect({"upscale", tmp("text.jpg"), "-o", tmp("o.png"), "--scale", "2"}, 3, "not an image");
    expect({"upscale", src, "-o", tmp("o.png"), "--scale", "1"}, 2, "greater than 1");
    expect({"upscale", src, "-o", tmp("o.png"), "--scale", "nan"}, 2, "greater than 1");
    expect({"upscale", src, "-o", tmp("o.png"), "--scale", "abc"}, 2, "must be a number");
    expect({"upscale", src, "-o", tmp("o.png"), "--scale", "2", "--model", "esrgan-huge"}, 2, "unknown model 'esrgan-huge'");
    expect({"upscale", src, "-o", tmp("nodir/o.png"), "--scale", "2"}, 3, "does not exist");
    expect({"upscale", src, "-o", tmp("o.gif"), "--scale", "2"}, 2, ".png, .jpg");
    expect({"upscale", src, "-o", tmp("o.jpg"), "--scale", "2", "--bit-depth", "16"}, 2, "needs a .png or .tif");
    expect({"upscale", src, "-o", tmp("o.png"), "--scale", "400"}, 2, "maximum side of 8192");
    expect({"upscale", src, "-o", tmp("o.png"), "--scale", "2", "--max-pixels", "100"}, 3, "--max-pixels");
    expect({"zoom", src, "-o", tmp("z"), "--steps", "9"}, 2, "--steps must be between 1 and 8");
    expect({"zoom", src, "-o", tmp("z"), "--center", "500,5"}, 2, "outside");
    expect({"zoom", src, "-o", tmp("z"), "--prompt-mode", "gpt"}, 2, "unknown prompt mode 'gpt': use null, dape or vlm");
    // VLM is built in; without its model a script gets exit 4 and the pull command.
    expect({"zoom", src, "-o", tmp("z"), "--prompt-mode", "vlm"}, 4, "coz models pull qwen2.5-vl-3b");
    expect({"zoom", src, "-o", tmp("z"), "--device", "tpu"}, 2, "unknown device 'tpu': use cpu, cuda or cuda:N");
    expect({"zoom", src, "-o", tmp("z"), "--precision", "fp8"}, 2, "unknown precision 'fp8'");
    expect({"zoom", src, "-o", tmp("z"), "--vae-device", "cuda:x"}, 2, "unknown device 'cuda:x'");
    expect({"zoom", tmp("tiny.png"), "-o", tmp("z"), "--model", "bicubic"}, 3, "too small to zoom");
    QFile::remove(tmp("tiny.png"));
    QFile::remove(tmp("empty.png"));
    expect({"frobnicate"}, 2, "unknown command");
    expect({"upscale", src, "--scale", "2"}, 2, "-o OUT");
    QVERIFY(noImagesIn(dir_.path() + "/bad"));
    QVERIFY(!QFile::exists(tmp("z")));
    // A missing model: exit 4 and how to install it.
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert("COZ_MODELS_DIR", tmp("no-models"));
    p.setProcessEnvironment(env);
    p.start(COZ_CLI, {"upscale", src, "-o", tmp("o.png"), "--scale", "4", "--model", "esrgan-slim"});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 4);
    QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains("coz models pull esrgan-slim"));
    QVERIFY(!QFile::exists(tmp("o.png")));
  }
  void sigintCancelsAndLeavesNothing() {
    if (!test::require_model("esrgan-thick")) return;
    const QString out = tmp("cancelled");
    QProcess p;
    p.start(COZ_CLI, {"zoom", golden("zoom_bicubic_src.png"), "-o", out, "--steps", "8", "--model", "esrgan-thick",
                      "--process-size", "256", "--tile", "32", "--json", "--threads", "1"});
    QVERIFY(p.waitForStarted());
    // Wait for the first tile of step 1, then interrupt.
    QString seen;
    while (!seen.contains("\"stage\":\"zoom step\"") && p.state() == QProcess::Running) {
      p.waitForReadyRead(20000);
      seen += QString::fromUtf8(p.readAllStandardOutput());
    }
    ::kill(static_cast<pid_t>(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 130);
    QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains("cancelled"));
    QVERIFY(noImagesIn(out));
    QVERIFY2(!QFileInfo::exists(out), "the cancelled run left its output folder behind");
  }
  void helpAndVersion() {
    Run h = coz_run({"--help"});
    QCOMPARE(h.code, 0);
    QVERIFY(h.out.contains("coz zoom IN -o OUTDIR"));
    Run v = coz_run({"--version"});
    QCOMPARE(v.code, 0);
    QVERIFY(v.out.startsWith("coz 0.1.0"));
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
