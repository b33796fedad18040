// The VLM prompt mode through the engine: `--prompt-mode vlm` with the tiny Qwen2.5-VL of
// tests/data/goldens/qwen. Each step's prompt must be what the model says about exactly the images
// the reference shows it (recursive: the step's upscaled crop; recursive-multiscale: the previous
// output, then the crop) under the reference's system messages, composed with the user's text.
#include <QProcess>
#include <QTemporaryDir>

#include "coz/engine.h"
#include "coz/error.h"
#include "coz/imageio.h"
#include "models/qwen_vl.h"
#include "test_util.h"

using namespace coz;
namespace fs = std::filesystem;

namespace {
fs::path qwen_dir() { return test::data_dir() / "goldens/qwen"; }
EngineOptions options(const std::string& vlm) {
  EngineOptions o;
  o.models_dir = fs::temp_directory_path() / "coz-test-no-models";
  o.vlm.path = vlm;
  return o;
}
ZoomRequest request(Recursion rec) {
  ZoomRequest r;
  r.image = io::read_image((qwen_dir() / "img1.png").string());
  r.steps = 2;
  r.process_size = 64;
  r.model = "bicubic";  // prompts are generated for every backbone (shown to the user)
  r.prompt_mode = PromptMode::VLM;
  r.recursion = rec;
  r.user_prompt = "sharp";
  return r;
}
constexpr const char* kOne = "What is in this image? Give me a set of words.";
constexpr const char* kTwo =
    "The second image is a zoom-in of the first image. Based on this knowledge, what is in the second image? "
    "Give me a set of words.";
}  // namespace

class TestVLMPrompt : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void statusNamesTheFolderAndThePull() {
    Engine none(options((fs::temp_directory_path() / "coz-no-such-vlm").string()));
    const auto s = none.prompt_source_status(PromptMode::VLM);
    QVERIFY(!s.installed);
    QVERIFY2(s.install_hint.find("coz-no-such-vlm") != std::string::npos, s.install_hint.c_str());
    Engine with(options(qwen_dir().string()));
    const auto t = with.prompt_source_status(PromptMode::VLM);
    QVERIFY(t.installed);
    QCOMPARE(t.info.family, std::string("qwen2.5-vl"));
    QCOMPARE(t.location, qwen_dir());
  }

  void promptsAreTheModelsAnswers() {
    const auto vlm = models::QwenVL::load(qwen_dir());
    for (Recursion rec : {Recursion::Recursive, Recursion::RecursiveMultiscale}) {
      Engine engine(options(qwen_dir().string()));
      const auto res = engine.zoom(request(rec), {});
      QCOMPARE(res.steps.size(), size_t{3});
      for (int k = 1; k <= 2; ++k) {
        const auto& st = res.steps[static_cast<size_t>(k)];
        std::vector<models::QwenImage> images;
        if (rec == Recursion::RecursiveMultiscale)
          images.push_back(models::qwen_preprocess(res.steps[static_cast<size_t>(k - 1)].output, vlm->config()));
        images.push_back(models::qwen_preprocess(st.input, vlm->config()));
        const std::string said = vlm->describe(rec == Recursion::RecursiveMultiscale ? kTwo : kOne, images);
        QVERIFY(!said.empty());
        QCOMPARE(st.prompt, compose_prompt(PromptMode::VLM, said, "sharp"));
        QCOMPARE(st.prompt, said + ", sharp,");
      }
      // The two modes show the model different images and system messages.
      if (rec == Recursion::RecursiveMultiscale) {
        const auto one = models::QwenVL::load(qwen_dir())->describe(kOne, {models::qwen_preprocess(res.steps[2].input, vlm->config())});
        QVERIFY(res.steps[2].prompt != one + ", sharp,");
      }
    }
  }

  // `coz zoom --prompt-mode vlm --vlm PATH`: the folder given is used; a wrong one is exit 4 naming it.
  void cli() {
    QTemporaryDir tmp;
    const QString out = tmp.filePath("out");
    const QString img = QString::fromStdString((qwen_dir() / "img1.png").string());
    QProcess p;
    p.start(COZ_CLI, {"zoom", img, "-o", out, "--model", "bicubic", "--steps", "1", "--process-size", "64",
                      "--prompt-mode", "vlm", "--vlm", QString::fromStdString(qwen_dir().string()), "--json"});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QVERIFY(p.readAllStandardOutput().contains("\"prompt\":\""));
    QVERIFY(QFile::exists(out + "/steps.json"));
    p.start(COZ_CLI, {"zoom", img, "-o", tmp.filePath("out2"), "--model", "bicubic", "--steps", "1", "--prompt-mode",
                      "vlm", "--vlm", tmp.filePath("no-such-folder")});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 4);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("no-such-folder") && err.contains("--vlm"), err.constData());
    QVERIFY(!QFile::exists(tmp.filePath("out2")));
  }

  void missingFolderIsAClearError() {
    Engine engine(options((fs::temp_directory_path() / "coz-no-such-vlm").string()));
    const auto e = test::error_of([&] { engine.zoom(request(Recursion::Recursive), {}); });
    QVERIFY2(e.find("coz-no-such-vlm") != std::string::npos, e.c_str());
    QVERIFY_THROWS_EXCEPTION(ModelLoadError, engine.zoom(request(Recursion::Recursive), {}));
  }
};

QTEST_GUILESS_MAIN(TestVLMPrompt)
#include "test_vlm_prompt.moc"
