// The studio window on real widgets and the real engine (QT_QPA_PLATFORM=offscreen).
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QGroupBox>
#include <QImageReader>
#include <QSlider>
#include <QWheelEvent>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QToolButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>

#include "batch_panel.h"
#include "coz/imageio.h"
#include "engine_adapter.h"
#include "image_viewer.h"
#include "main_window.h"
#include "model_store.h"
#include "models_dialog.h"
#include "settings_panel.h"
#include "step_strip.h"
#include "test_util.h"

using namespace coz::ui;

namespace {
QString golden(const char* name) { return QString::fromStdString((coz::test::data_dir() / "goldens/pil" / name).string()); }
void selectModel(MainWindow& w, const QString& id) {
  auto* box = w.panel()->modelBox();
  box->setCurrentIndex(box->findData(id));
  QCOMPARE(box->currentData().toString(), id);
}
// A store with an empty catalog: the Models dialog's Model files tab without any download.
class NoModels : public ModelStore {
 public:
  QList<ModelRow> models() const override { return {}; }
  QString tokenFile() const override { return {}; }
  QString token() const override { return {}; }
  bool setToken(const QString&, QString*) override { return true; }
  void download(const QString&) override {}
  void cancel() override {}
  bool busy() const override { return false; }
};
}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString ini() const { return dir_.filePath("settings.ini"); }

  // A 2-step, 64-px bicubic zoom of the golden source with prompt mode `mode` chosen in the panel
  // (it must be offered and enabled): every step's prompt is non-empty, passes `check`, shows its
  // first `shown` characters under the thumbnail, and `coz zoom --prompt-mode mode` writes the same
  // prompts as the studio's export. With $screenshot_var set, a picture of the window is saved there.
  void promptModeRunsLikeTheCli(const QString& mode_id, int shown, const std::function<void(const QString&)>& check,
                                const char* screenshot_var = nullptr) {
    Settings settings(dir_.filePath(mode_id + ".ini"));
    coz::studio::CozEngine engine;
    MainWindow w(engine, settings);
    const QString src = golden("zoom_bicubic_src.png");
    QVERIFY(w.openImage(src));
    w.panel()->zoomMode()->setChecked(true);
    selectModel(w, "bicubic");
    QComboBox* mode = w.panel()->promptModeBox();
    const int row = mode->findData(mode_id);
    QVERIFY(row >= 0);
    QVERIFY(qobject_cast<QStandardItemModel*>(mode->model())->item(row)->isEnabled());
    mode->setCurrentIndex(row);
    w.panel()->processSizeBox()->setValue(64);
    w.panel()->stepsBox()->setValue(2);
    QSignalSpy finished(&w, &MainWindow::jobFinished);
    w.run();
    QVERIFY(finished.wait(120000));
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(w.lastError()));
    QStringList prompts;
    for (int k = 0; k < 2; ++k) {
      const QString p = w.strip()->stepAt(k).prompt;
      QVERIFY2(!p.isEmpty(), qPrintable(mode_id + " step without a prompt"));
      check(p);
      QVERIFY2(w.strip()->item(k + 1)->text().contains(p.left(shown)), qPrintable(w.strip()->item(k + 1)->text()));
      prompts << p;
    }
    if (const QString shot = screenshot_var ? qEnvironmentVariable(screenshot_var) : QString(); !shot.isEmpty()) {
      w.resize(1280, 800);
      w.show();
      QTest::qWait(300);
      QVERIFY(w.grab().save(shot));
    }
    const QString gui = dir_.filePath(mode_id + "-gui"), cli = dir_.filePath(mode_id + "-cli");
    QVERIFY(w.exportAllSteps(gui));
    QProcess p;
    p.start(COZ_CLI, {"zoom", src, "-o", cli, "--model", "bicubic", "--steps", "2", "--process-size", "64",
                      "--prompt-mode", mode_id, "--quiet"});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    for (const QString& dirname : {gui, cli}) {
      QFile f(dirname + "/steps.json");
      QVERIFY(f.open(QIODevice::ReadOnly));
      const QJsonArray steps = QJsonDocument::fromJson(f.readAll())["steps"].toArray();
      QCOMPARE(steps.size(), 3);
      QCOMPARE(steps[1]["prompt"].toString(), prompts[0]);
      QCOMPARE(steps[2]["prompt"].toString(), prompts[1]);
    }
  }

 private Q_SLOTS:
  void dropLoadsAnImage() {
    Settings settings(ini());
    coz::studio::CozEngine engine;
    MainWindow w(engine, settings);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(!w.panel()->runButton()->isEnabled());
    auto* mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(golden("zoom_bicubic_src.png"))});
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &drop);
    QCOMPARE(w.viewer()->image().size(), QSize(113, 75));
    QVERIFY(w.windowTitle().contains("zoom_bicubic_src.png"));
    QVERIFY(w.panel()->runButton()->isEnabled());
    QVERIFY(settings.recentFiles().first().endsWith("zoom_bicubic_src.png"));
    delete mime;
  }

  void settingsChangeThePlan() {
    Settings settings(ini());
    coz::studio::CozEngine engine;
    MainWindow w(engine, settings);
    QVERIFY(w.openImage(golden("zoom_bicubic_src.png")));
    w.panel()->zoomMode()->setChecked(true);
    w.panel()->processSizeBox()->setValue(512);
    w.panel()->stepsBox()->setValue(3);
    QCOMPARE(w.planRegions().size(), 3);
    w.panel()->stepsBox()->setValue(5);
    QCOMPARE(w.planRegions().size(), 5);
    // Each region is a quarter of the previous one, all around the centre.
    const auto r = w.planRegions();
    QVERIFY(std::abs(r[1].width() - r[0].width() / 4) < 1e-6);
    QVERIFY(std::abs(r[4].center().x() - 113 / 2.0) < 0.5);
    QVERIFY(w.panel()->summaryLabel()->text().contains("1,024") || w.panel()->summaryLabel()->text().contains("1024"));
    // Clicking the image moves the zoom point and the plan with it.
    const QPointF target = w.viewer()->imageToWidget(QPointF(90, 20));
    QTest::mouseClick(w.viewer(), Qt::LeftButton, Qt::NoModifier, target.toPoint());
    QVERIFY(w.planRegions()[0].center().x() > 70);
    // Upscale mode shows the exact output size.
    w.panel()->upscaleMode()->setChecked(true);
    w.panel()->scaleBox()->setValue(2.5);
    QVERIFY2(w.panel()->summaryLabel()->text().contains("283 × 188"), qPrintable(w.panel()->summaryLabel()->text()));
    QVERIFY(w.planRegions().isEmpty());
    // An impossible plan disables Run and says why.
    w.panel()->zoomMode()->setChecked(true);
    w.panel()->processSizeBox()->setValue(64);
    const auto rec = w.panel()->findChildren<QComboBox*>();
    for (auto* c : rec) {
      const int i = c->findData("onestep");
      if (i >= 0) c->setCurrentIndex(i);
    }
    w.panel()->stepsBox()->setValue(4);
    QVERIFY(!w.panel()->runButton()->isEnabled());
    QVERIFY(w.panel()->summaryLabel()->text().contains("at most 3 steps"));
  }

  void runFillsTheStripAndExports() {
    Settings settings(ini());
    coz::studio::CozEngine engine;
    MainWindow w(engine, settings);
    w.show();
    QVERIFY(w.openImage(golden("zoom_bicubic_src.png")));
    w.panel()->zoomMode()->setChecked(true);
    for (auto* c : w.panel()->findChildren<QComboBox*>()) {
      const int i = c->findData("recursive");
      if (i >= 0) c->setCurrentIndex(i);
    }
    selectModel(w, coz::Engine().status("esrgan-slim").installed ? "esrgan-slim" : "bicubic");
    w.panel()->processSizeBox()->setValue(64);
    w.panel()->stepsBox()->setValue(3);
    QSignalSpy finished(&w, &MainWindow::jobFinished);
    QSignalSpy steps(&engine, &Engine::stepReady);
    QTest::mouseClick(w.panel()->runButton(), Qt::LeftButton);
    QVERIFY(w.running());
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(steps.count(), 4);            // the start crop + 3 steps
    QCOMPARE(w.strip()->stepCount(), 3);   // one thumbnail per zoom step
    QCOMPARE(w.strip()->stepAt(2).output.size(), QSize(64, 64));
    QCOMPARE(w.viewer()->image(), w.strip()->stepAt(2).output);  // the newest step is shown
    // The strip starts with the original (x1); clicking it goes back to the source picture.
    QVERIFY(w.strip()->hasOriginal());
    QCOMPARE(w.strip()->count(), 4);
    QCOMPARE(w.strip()->item(0)->text(), QStringLiteral("×1"));
    QCOMPARE(w.strip()->item(3)->text(), QStringLiteral("×64"));
    w.strip()->setCurrentRow(0);
    QCOMPARE(w.viewer()->image().size(), QImage(golden("zoom_bicubic_src.png")).size());
    w.strip()->setCurrentRow(2);
    QCOMPARE(w.viewer()->image(), w.strip()->stepAt(1).output);
    // Export everything.
    const QString out = dir_.filePath("export");
    QDir().mkpath(out);
    QVERIFY(w.exportAllSteps(out));
    for (const char* f : {"step_0.png", "step_3.png", "strip.png", "steps.json"}) QVERIFY2(QFile::exists(out + "/" + f), f);
    const QString deep = dir_.filePath("deep");
    QDir().mkpath(deep);
    QVERIFY(w.exportAllSteps(deep, "tif", 16));
    const auto tif = coz::io::read_image((deep + "/step_2.tif").toStdString());
    QCOMPARE(tif.bit_depth, 16);
    QCOMPARE(tif.width(), 64);
    QVERIFY(QFile::exists(deep + "/strip.tif"));
    QVERIFY(w.exportView(dir_.filePath("view.jpg")));
    QVERIFY(!w.exportView(dir_.filePath("nodir/view.png")));
    QVERIFY(w.lastError().contains("does not exist"));
  }

  // A 3-step recursive bicubic chain of 64 px steps, finished.
  void runBicubicChain(MainWindow& w) {
    QVERIFY(w.openImage(golden("zoom_bicubic_src.png")));
    w.panel()->zoomMode()->setChecked(true);
    for (auto* c : w.panel()->findChildren<QComboBox*>()) {
      const int i = c->findData("recursive");
      if (i >= 0) c->setCurrentIndex(i);
    }
    selectModel(w, "bicubic");
    w.panel()->processSizeBox()->setValue(64);
    w.panel()->stepsBox()->setValue(3);
    QSignalSpy finished(&w, &MainWindow::jobFinished);
    w.run();
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(w.strip()->stepCount(), 3);
  }

  void rerunShowsBothVersionsUntilOneIsKept() {
    Settings settings(ini());
    coz::studio::CozEngine engine;
    MainWindow w(engine, settings);
    w.show();
    runBicubicChain(w);
    const QList<StepData> before = w.strip()->steps();
    // On step 1, the rectangle of step 2's crop is drawn; dragging it moves step 2's zoom point.
    w.strip()->setCurrentRow(1);
    QCOMPARE(w.viewer()->image(), before[0].output);
    QVERIFY(!w.rerunButton()->isEnabled());  // nothing changed yet
    const QPointF centre = w.viewer()->imageToWidget(QPointF(32, 32));
    QTest::mousePress(w.viewer(), Qt::LeftButton, {}, centre.toPoint());
    QTest::mouseMove(w.viewer(), (centre + QPointF(-12, -10)).toPoint());
    QTest::mouseMove(w.viewer(), (centre + QPointF(-24, -20)).toPoint());
    QTest::mouseRelease(w.viewer(), Qt::LeftButton, {}, (centre + QPointF(-24, -20)).toPoint());
    QVERIFY2(w.nextStepPoint().x() >= 0 && w.nextStepPoint().x() < 0.5, "dragging the rectangle moved no point");
    QVERIFY(w.rerunButton()->isEnabled());
    QSignalSpy finished(&w, &MainWindow::jobFinished);
    QTest::mouseClick(w.rerunButton(), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    // Both versions: step 1, steps 2-3 before, steps 2-3 after.
    QCOMPARE(w.strip()->stepCount(), 5);
    QVERIFY(!w.strip()->isPrevious(0) && w.strip()->isPrevious(1) && w.strip()->isPrevious(2));
    QVERIFY(!w.strip()->isPrevious(3) && !w.strip()->isPrevious(4));
    QVERIFY(w.strip()->item(2)->text().contains("before") && w.strip()->item(4)->text().contains("after"));
    QCOMPARE(w.strip()->stepAt(0).output, before[0].output);    // step 1 kept as it was
    QCOMPARE(w.strip()->stepAt(1).output, before[1].output);    // the previous step 2
    QVERIFY(w.strip()->stepAt(3).output != before[1].output);   // the new step 2
    QCOMPARE(w.strip()->stepAt(3).step, 2);
    QVERIFY(w.keepBar()->isVisible());
    // Keep the previous version: the strip and Export All are the first run again.
    w.keepVersion(false);
    QCOMPARE(w.strip()->stepCount(), 3);
    for (int i = 0; i < 3; ++i) QCOMPARE(w.strip()->stepAt(i).output, before[i].output);
    QVERIFY(!w.keepBar()->isVisible());
    // A new prompt at step 2, kept: the exported steps.json records it, steps 0 and 1 unchanged.
    w.strip()->setCurrentRow(2);
    w.stepPromptEdit()->setText(QStringLiteral("a red fox"));
    QTest::keyClick(w.stepPromptEdit(), Qt::Key_Return);
    QVERIFY(finished.wait(60000));
    w.keepVersion(true);
    QCOMPARE(w.strip()->stepCount(), 3);
    QCOMPARE(w.strip()->stepAt(1).prompt, QStringLiteral("a red fox"));
    const QString out = dir_.filePath("steered");
    QVERIFY(w.exportAllSteps(out));
    QFile f(out + "/steps.json");
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(doc["request"].toObject()["overrides"].toArray().at(0).toObject()["prompt"].toString(), QStringLiteral("a red fox"));
    QCOMPARE(doc["steps"].toArray().at(2).toObject()["prompt"].toString(), QStringLiteral("a red fox"));
  }

  void flightFramesAreTheVideosFrames() {
    Settings settings(ini());
    coz::studio::CozEngine engine;
    MainWindow w(engine, settings);
    w.show();
    runBicubicChain(w);
    QVERIFY(w.setFlight(true));
    QCOMPARE(w.flightSlider()->value(), 0);
    // At x4 a 64x64 frame is exactly step 1; the viewer shows frames of its own size.
    QCOMPARE(engine.flightFrame(4.0, QSize(64, 64)), w.strip()->stepAt(0).output.convertToFormat(QImage::Format_RGB888));
    w.setFlightMagnification(16.0);
    QCOMPARE(w.flightSlider()->value(), 667);  // log4(16) of log4(64)
    QCOMPARE(w.viewer()->image().size(), w.viewer()->size() * w.viewer()->devicePixelRatioF());
    QWheelEvent wheel(QPointF(10, 10), w.viewer()->mapToGlobal(QPointF(10, 10)), {}, {0, 120}, Qt::NoButton, {}, Qt::NoScrollPhase, false);
    QApplication::sendEvent(w.viewer(), &wheel);
    QCOMPARE(w.flightMagnification(), 20.0);
    w.setFlight(false);
    // Export Zoom Video: a GIF (lossless within its palette) whose frames are the viewer's frames.
    VideoSpec v;
    v.path = dir_.filePath("flight.gif");
    v.fps = 10;
    v.seconds = 0.5;
    v.size = QSize(48, 32);
    v.ease = QStringLiteral("linear");
    QSignalSpy finished(&w, &MainWindow::jobFinished);
    QVERIFY(w.exportVideo(v));
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(QFile(v.path).size() > 0);
    QImageReader gif(v.path);
    QVERIFY2(gif.canRead(), "Qt reads GIF");
    QCOMPARE(gif.imageCount(), 5);
    // Frame 2 of 5 (linear) sits at 4^(3 * 2/4) = x8.
    QImage frame;
    for (int i = 0; i <= 2; ++i) frame = gif.read();
    const QImage want = engine.flightFrame(8.0, QSize(48, 32));
    QCOMPARE(frame.size(), want.size());
    double err = 0;
    const QImage a = frame.convertToFormat(QImage::Format_RGB888);
    for (int y = 0; y < 32; ++y)
      for (int x = 0; x < 48 * 3; ++x) err += std::abs(int(a.constScanLine(y)[x]) - int(want.constScanLine(y)[x]));
    QVERIFY2(err / (48 * 32 * 3) < 4.0, qPrintable(QString("mean difference %1").arg(err / (48 * 32 * 3))));
    // The chain kept the zoom run in the studio afterwards.
    QCOMPARE(w.strip()->stepCount(), 3);
  }

  void openRecipeRestoresTheSettings() {
    Settings settings(ini());
    coz::studio::CozEngine engine;
    MainWindow w(engine, settings);
    w.show();
    runBicubicChain(w);
    w.setZoomPoint(QPointF(70, 20));  // a point other than the run's
    w.strip()->setCurrentRow(1);
    w.strip()->setCurrentRow(3);  // step 3 on show
    const QString shot = dir_.filePath("step3.png");
    QVERIFY(w.exportView(shot));
    QVERIFY(!coz::io::read_recipe(shot.toStdString()).empty());
    Settings other(dir_.filePath("other.ini"));
    coz::studio::CozEngine engine2;
    MainWindow w2(engine2, other);
    w2.panel()->stepsBox()->setValue(5);
    w2.panel()->processSizeBox()->setValue(256);
    QVERIFY(w2.openRecipe(shot));
    QCOMPARE(w2.panel()->stepsBox()->value(), 3);
    QCOMPARE(w2.panel()->processSizeBox()->value(), 64);
    QCOMPARE(w2.panel()->modelBox()->currentData().toString(), QStringLiteral("bicubic"));
    QCOMPARE(w2.currentSpec().center, QPointF(0.5, 0.5));  // the run's point, not the one w moved to after it
    QCOMPARE(w2.currentSpec().imagePath, QFileInfo(golden("zoom_bicubic_src.png")).absoluteFilePath());
    QVERIFY(!w2.openRecipe(golden("zoom_bicubic_src.png")));
    QVERIFY(w2.lastError().contains("carries no CoZ recipe"));
  }

  void cliAndStudioWriteTheSameStepsJson() {
    // The same run through the studio and through `coz zoom` gives byte-identical files: the step
    // images, and steps.json but for its "timings" objects.
    Settings settings(dir_.filePath("same.ini"));
    coz::studio::CozEngine engine;
    MainWindow w(engine, settings);
    const QString src = golden("zoom_bicubic_src.png");
    QVERIFY(w.openImage(src));
    w.panel()->zoomMode()->setChecked(true);
    selectModel(w, "bicubic");
    for (auto* c : w.panel()->findChildren<QComboBox*>()) {
      if (const int i = c->findData("custom"); i >= 0) c->setCurrentIndex(i);
      if (const int i = c->findData("recursive"); i >= 0) c->setCurrentIndex(i);
    }
    for (auto* e : w.panel()->findChildren<QLineEdit*>())
      if (e->placeholderText().contains("sharp fur")) e->setText("sharp");
    w.panel()->processSizeBox()->setValue(64);
    w.panel()->stepsBox()->setValue(2);
    QSignalSpy finished(&w, &MainWindow::jobFinished);
    w.run();
    QVERIFY(finished.wait(60000));
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(w.lastError()));
    const QString gui = dir_.filePath("same-gui"), cli = dir_.filePath("same-cli");
    QVERIFY(w.exportAllSteps(gui));  // creates the folder

    QProcess p;
    p.start(COZ_CLI, {"zoom", src, "-o", cli, "--model", "bicubic", "--steps", "2", "--process-size", "64",
                      "--prompt", "sharp", "--quiet"});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    auto read = [](const QString& f) {
      QFile file(f);
      return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    };
    const QRegularExpression timings(QStringLiteral("\"timings\": \\{[^}]*\\}"));
    QString a = QString::fromUtf8(read(gui + "/steps.json")), b = QString::fromUtf8(read(cli + "/steps.json"));
    QVERIFY(a.contains("\"format\": \"coz-steps\"") && a.contains("\"format_version\": 1"));
    QVERIFY(a.contains("\"prompt_mode\": \"null\"") && a.contains("\"user_prompt\": \"sharp\""));
    QCOMPARE(a.count(timings), 4);  // the run's and one per step (0, 1, 2)
    a.replace(timings, "T");
    b.replace(timings, "T");
    QCOMPARE(a, b);
    for (const char* f : {"step_0.png", "step_2.png", "strip.png"}) {
      const QByteArray x = read(gui + "/" + f);
      QVERIFY2(!x.isEmpty() && x == read(cli + "/" + f), f);
    }
  }

  void dapePromptsAppearUnderTheSteps() {
    // The tiny RAM + DAPE goldens where `coz models pull dape` puts the real ones (the RAM checkpoint
    // in the Hub cache at the catalog's revision, tag files in <models>/ram, DAPE.pth in
    // <models>/dape): the studio finds them with no path anywhere, shows each step's tags under its
    // thumbnail, and writes the same prompts as `coz zoom --prompt-mode dape`.
    const QString g = QString::fromStdString((coz::test::data_dir() / "goldens/ram").string());
    const QString hf = dir_.filePath("dape-hf"), models = dir_.filePath("dape-models");
    const QString snap = hf + "/models--xinyu1205--recognize_anything_model/snapshots/a4f945fe0720892020c28309624df3bd1f3ad3dc";
    for (const QString& d : {snap, models + "/ram", models + "/dape"}) QVERIFY(QDir().mkpath(d));
    QVERIFY(QFile::copy(g + "/ram_swin_large_14m.pth", snap + "/ram_swin_large_14m.pth"));
    QVERIFY(QFile::copy(g + "/ram_tag_list.txt", models + "/ram/ram_tag_list.txt"));
    QVERIFY(QFile::copy(g + "/ram_tag_list_threshold.txt", models + "/ram/ram_tag_list_threshold.txt"));
    QVERIFY(QFile::copy(g + "/DAPE.pth", models + "/dape/DAPE.pth"));
    const QByteArray old_hf = qgetenv("HF_HUB_CACHE"), old_models = qgetenv("COZ_MODELS_DIR");
    qputenv("HF_HUB_CACHE", hf.toUtf8());
    qputenv("COZ_MODELS_DIR", models.toUtf8());
    struct Restore {
      QByteArray hf, models;
      ~Restore() {
        if (hf.isNull()) qunsetenv("HF_HUB_CACHE"); else qputenv("HF_HUB_CACHE", hf);
        if (models.isNull()) qunsetenv("COZ_MODELS_DIR"); else qputenv("COZ_MODELS_DIR", models);
      }
    } restore{old_hf, old_models};

    QFile tl(g + "/ram_tag_list.txt");
    QVERIFY(tl.open(QIODevice::ReadOnly));
    const QStringList known = QString::fromUtf8(tl.readAll()).split('\n', Qt::SkipEmptyParts);
    promptModeRunsLikeTheCli("dape", 8, [&](const QString& p) {
      for (const QString& tag : p.split(", ")) QVERIFY2(known.contains(tag), qPrintable(tag));
    });
  }

  void vlmPromptsAppearUnderTheSteps() {
    // The tiny Qwen2.5-VL goldens where `coz models pull qwen2.5-vl-3b` puts the real model (the Hub
    // cache, refs/main -> a snapshot): the studio offers "VLM description", runs it, shows each step's
    // answer under its thumbnail, and writes the same prompts as `coz zoom --prompt-mode vlm`.
    const QString g = QString::fromStdString((coz::test::data_dir() / "goldens/qwen").string());
    const QString hf = dir_.filePath("vlm-hf"), commit = "0123456789abcdef0123456789abcdef01234567";
    const QString repo = hf + "/models--Qwen--Qwen2.5-VL-3B-Instruct", snap = repo + "/snapshots/" + commit;
    QVERIFY(QDir().mkpath(snap) && QDir().mkpath(repo + "/refs"));
    for (const QString& f : QDir(g).entryList(QDir::Files)) QVERIFY(QFile::copy(g + "/" + f, snap + "/" + f));
    QFile ref(repo + "/refs/main");
    QVERIFY(ref.open(QIODevice::WriteOnly));
    ref.write(commit.toUtf8());
    ref.close();
    const QByteArray old_hf = qgetenv("HF_HUB_CACHE");
    qputenv("HF_HUB_CACHE", hf.toUtf8());
    struct Restore {
      QByteArray hf;
      ~Restore() {
        if (hf.isNull()) qunsetenv("HF_HUB_CACHE"); else qputenv("HF_HUB_CACHE", hf);
      }
    } restore{old_hf};

    promptModeRunsLikeTheCli("vlm", 4, [](const QString&) {}, "COZ_VLM_SCREENSHOT");
  }

  void droppedFolderRunsAsABatch() {
    // A folder with three images (one in a subfolder, one sharing a base name) and a corrupt one,
    // dropped on the window: the batch queue lists four files, runs them with the panel's settings,
    // marks the corrupt one failed with its error and writes the others.
    const QString in = dir_.filePath("batch-in"), out = dir_.filePath("batch-out");
    QVERIFY(QDir().mkpath(in + "/sub") && QDir().mkpath(out));
    auto write = [](const QString& path, int w, int h) {
      coz::Image img;
      img.rgb = coz::test::test_pattern(w, h);
      coz::io::write_image(path.toStdString(), img);
    };
    write(in + "/a.png", 40, 30);
    write(in + "/b.jpg", 36, 36);
    write(in + "/sub/a.png", 30, 40);
    QFile bad(in + "/broken.png");
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("not a png");
    bad.close();

    Settings settings(dir_.filePath("batch.ini"));
    coz::studio::CozEngine engine;
    MainWindow w(engine, settings);
    w.panel()->upscaleMode()->setChecked(true);
    selectModel(w, "bicubic");
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(in)});
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &drop);
    BatchPanel* batch = w.batchPanel();
    QVERIFY(batch);
    QCOMPARE(batch->count(), 4);
    batch->setOutputDir(out);
    QSignalSpy finished(batch, &BatchPanel::batchFinished);
    // Pause at once: the first file finishes, the rest wait; Start goes on from there.
    batch->start();
    batch->pause();
    QTRY_VERIFY_WITH_TIMEOUT(!batch->running(), 60000);
    QCOMPARE(batch->state(0), BatchPanel::State::Done);
    for (int i = 1; i < 4; ++i) QCOMPARE(batch->state(i), BatchPanel::State::Waiting);
    QCOMPARE(finished.count(), 0);
    batch->start();
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.at(0).at(0).toInt(), 3);  // done
    QCOMPARE(finished.at(0).at(1).toInt(), 1);  // failed
    int failedRow = -1;
    QStringList outputs;
    for (int i = 0; i < batch->count(); ++i) {
      if (batch->state(i) == BatchPanel::State::Failed) failedRow = i;
      else outputs << QFileInfo(batch->outputOf(i)).fileName();
    }
    QVERIFY(failedRow >= 0);
    QVERIFY2(batch->error(failedRow).contains("broken.png"), qPrintable(batch->error(failedRow)));
    outputs.sort();
    QCOMPARE(outputs, QStringList({"a-2.png", "a.png", "b.png"}));
    QCOMPARE(coz::io::read_image(QDir(out).filePath("b.png").toStdString()).width(), 144);  // 4x of 36
    QVERIFY(!w.running());
    if (const QString shot = qEnvironmentVariable("COZ_BATCH_SCREENSHOT"); !shot.isEmpty()) {
      w.resize(1280, 800);
      QTest::qWait(300);
      QVERIFY(w.grab().save(shot));
    }
  }

  void backboneOptionsFollowTheChosenBackbone() {
    Settings settings(dir_.filePath("opts.ini"));
    coz::studio::CozEngine engine;
    MainWindow w(engine, settings);
    w.show();
    selectModel(w, "bicubic");
    // The SD3 files live in the Models dialog (Model files tab), not in the panel.
    for (auto* e : w.panel()->findChildren<QLineEdit*>()) QVERIFY(!e->toolTip().contains("model_index.json"));
    QVERIFY(!w.modelsAction()->isVisible());  // no store here: no Models dialog

    // Generated-prompt modes follow the engine's prompt sources: none registered for dape/vlm here.
    QComboBox* modes = nullptr;
    for (auto* c : w.panel()->findChildren<QComboBox*>())
      if (c->findData("dape") >= 0) modes = c;
    QVERIFY(modes);
    auto enabled = [&](const char* id) {
      return bool(modes->model()->flags(modes->model()->index(modes->findData(id), 0)) & Qt::ItemIsEnabled);
    };
    QVERIFY(enabled("null") && !enabled("dape") && !enabled("vlm"));
    // A registered and installed source enables its mode; one that is not installed says how to get it.
    w.panel()->setPromptSources({{"dape", "RAM tags", true, ""}, {"vlm", "Qwen2.5-VL", false, "download Qwen"}});
    QVERIFY(enabled("dape") && !enabled("vlm"));
    QCOMPARE(modes->itemData(modes->findData("dape"), Qt::ToolTipRole).toString(), QString("RAM tags"));
    QVERIFY(modes->itemData(modes->findData("vlm"), Qt::ToolTipRole).toString().contains("download Qwen"));
  }

  void cancelKeepsFinishedStepsAndStaysResponsive() {
    if (!coz::test::require_model("esrgan-thick")) return;
    Settings settings(ini());
    coz::studio::CozEngine engine;
    MainWindow w(engine, settings);
    w.show();
    QVERIFY(w.openImage(golden("zoom_bicubic_src.png")));
    w.panel()->zoomMode()->setChecked(true);
    selectModel(w, "esrgan-thick");
    w.panel()->processSizeBox()->setValue(256);
    w.panel()->stepsBox()->setValue(8);
    int ticks = 0;
    QTimer timer;
    connect(&timer, &QTimer::timeout, [&] { ++ticks; });
    timer.start(5);
    QSignalSpy finished(&w, &MainWindow::jobFinished);
    connect(&engine, &Engine::stepReady, &w, [&](const StepData& s) { if (s.step == 1) w.cancel(); });
    w.run();
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);  // not ok
    QCOMPARE(finished.at(0).at(1).toBool(), true);   // cancelled
    QVERIFY(w.strip()->stepCount() >= 1 && w.strip()->stepCount() < 8);
    QVERIFY2(ticks > 10, qPrintable(QString("the event loop ran only %1 timer ticks during the job").arg(ticks)));
    QVERIFY(!w.running());
    QVERIFY(w.panel()->runButton()->isEnabled());
    // The finished steps can still be exported; steps.json lists exactly them.
    const QString out = dir_.filePath("cancelled-export");
    QVERIFY2(w.exportAllSteps(out), qPrintable(w.lastError()));
    QFile f(out + "/steps.json");
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    QCOMPARE(doc["steps"].toArray().size(), w.strip()->stepCount() + 1);  // + the x1 start
    QCOMPARE(doc["request"]["steps"].toInt(), 8);
    QVERIFY(QFile::exists(out + QStringLiteral("/step_%1.png").arg(w.strip()->stepCount())));
  }

  void corruptFileShowsAnErrorAndTheAppStaysUsable() {
    Settings settings(ini());
    coz::studio::CozEngine engine;
    MainWindow w(engine, settings);
    QFile f(dir_.filePath("broken.png"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("\x89PNG\r\n\x1a\n garbage");
    f.close();
    QVERIFY(!w.openImage(f.fileName()));
    QVERIFY2(w.lastError().contains("broken.png"), qPrintable(w.lastError()));
    QVERIFY(w.viewer()->image().isNull());
    QVERIFY(w.openImage(golden("zoom_bicubic_src.png")));
    QVERIFY(!w.viewer()->image().isNull());
  }

  void sd3FilesEnableTheBackbone() {
    Settings settings(dir_.filePath("sd3.ini"));
    coz::studio::CozEngine engine;
    NoModels store;
    MainWindow w(engine, settings, &store);
    auto* box = w.panel()->modelBox();
    const int row = box->findData("sd3-osediff");
    QVERIFY(row >= 0);
    auto enabled = [&] { return bool(box->model()->flags(box->model()->index(box->findData("sd3-osediff"), 0)) & Qt::ItemIsEnabled); };
    QVERIFY(!enabled());  // no SD3 here by default
    QVERIFY(box->itemData(row, Qt::ToolTipRole).toString().contains("stable-diffusion-3-medium"));
    const QString g = QString::fromStdString((coz::test::data_dir() / "goldens/sd3").string());
    w.showModels();
    QVERIFY(w.modelsDialog());
    QLineEdit *folder = nullptr, *lora = nullptr, *vae = nullptr;
    for (auto* e : w.modelsDialog()->findChildren<QLineEdit*>()) {
      if (e->toolTip().contains("model_index.json")) folder = e;
      else if (e->toolTip().contains("SR_LoRA")) lora = e;
      else if (e->toolTip().contains("SR_VAE")) vae = e;
    }
    QVERIFY(folder && lora && vae);
    folder->setText(g + "/pipeline");
    lora->setText(g + "/lora/model_tiny.pkl");
    vae->setText(g + "/lora/vae_encoder_tiny.pt");
    Q_EMIT vae->editingFinished();
    QVERIFY(enabled());
    QCOMPARE(settings.value(Settings::Key::Sd3Lora).toString(), g + "/lora/model_tiny.pkl");
    // A zoom with it through the GUI worker.
    QVERIFY(w.openImage(golden("zoom_bicubic_src.png")));
    w.panel()->zoomMode()->setChecked(true);
    selectModel(w, "sd3-osediff");
    w.panel()->processSizeBox()->setValue(64);
    w.panel()->stepsBox()->setValue(1);
    QSignalSpy finished(&w, &MainWindow::jobFinished);
    w.run();
    QVERIFY(finished.wait(60000));
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(w.lastError()));
    QCOMPARE(w.strip()->stepCount(), 1);
  }

  void settingsSurviveARestart() {
    const QString path = dir_.filePath("restart.ini");
    {
      Settings settings(path);
      coz::studio::CozEngine engine;
      MainWindow w(engine, settings);
      w.panel()->stepsBox()->setValue(6);
      w.panel()->upscaleMode()->setChecked(true);
      w.panel()->scaleBox()->setValue(3.5);
      selectModel(w, "nearest");
      w.close();
    }
    Settings settings(path);
    coz::studio::CozEngine engine;
    MainWindow w(engine, settings);
    QCOMPARE(w.panel()->stepsBox()->value(), 6);
    QVERIFY(w.panel()->upscaleMode()->isChecked());
    QCOMPARE(w.panel()->scaleBox()->value(), 3.5);
    QCOMPARE(w.panel()->modelBox()->currentData().toString(), QString("nearest"));
  }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
