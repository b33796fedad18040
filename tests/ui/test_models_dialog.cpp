// The Models dialog and its wiring in the main window, on real widgets, with an in-test model store
// and engine (no network, no LibTorch; QT_QPA_PLATFORM=offscreen).
//   COZ_SCREENSHOT=path.png [COZ_SCREENSHOT_QM=coz_de.qm] also saves a picture of the dialog in a
//   realistic state (docs/screenshots/models.png).
#include <QAction>
#include <QCheckBox>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolBar>
#include <QToolButton>
#include <QTranslator>
#include <QtTest/QtTest>

#include "main_window.h"
#include "model_store.h"
#include "models_dialog.h"
#include "settings_panel.h"

using namespace coz::ui;

namespace {
class FakeStore : public ModelStore {
 public:
  QList<ModelRow> rows;
  QString saved;      // the token
  QString failWith;   // non-empty: setToken fails with this
  QStringList downloads;
  int cancels = 0;
  bool running = false;

  QList<ModelRow> models() const override { return rows; }
  QString tokenFile() const override { return QStringLiteral("/home/ada/.cache/huggingface/token"); }
  QString token() const override { return saved; }
  bool setToken(const QString& token, QString* error) override {
    if (!failWith.isEmpty()) {
      *error = failWith;
      return false;
    }
    saved = token;
    return true;
  }
  void download(const QString& id) override {
    downloads << id;
    running = true;
  }
  void cancel() override { ++cancels; }
  bool busy() const override { return running; }

  void finish(const QString& id, bool ok, bool cancelled, const QString& error = {}) {
    running = false;
    Q_EMIT finished(id, ok, cancelled, error);
  }
  void setState(const QString& id, ModelRow::State s) {
    for (ModelRow& r : rows)
      if (r.id == id) r.state = s;
  }
};

ModelRow row(const QString& id, ModelRow::State state, qint64 size, const QString& where, const QString& licence,
             const QString& licenceUrl) {
  ModelRow r;
  r.id = id;
  r.state = state;
  r.size = size;
  r.where = where;
  r.licence = licence;
  r.licenceUrl = licenceUrl;
  return r;
}

const QString kSd3Gate = QStringLiteral("https://huggingface.co/stabilityai/stable-diffusion-3-medium-diffusers");
const qint64 kTransformer = 4169981408;  // sd3-medium transformer/diffusion_pytorch_model.safetensors

// The catalog of the screenshot: one installed, one missing, a gated one, a partial one, the VLM.
QList<ModelRow> catalog() {
  const QString mit = QStringLiteral("https://github.com/thekevinscott/UpscalerJS/blob/main/LICENSE");
  ModelRow thick = row("esrgan-thick", ModelRow::State::Installed, 117149723, "/home/ada/.cache/coz/models/esrgan-thick",
                       "MIT", mit);
  thick.description = "ESRGAN RRDN thick (UpscalerJS, trained on DIV2K for PSNR): faithful and the default";
  thick.backbone = "esrgan-thick";
  ModelRow gans = row("esrgan-gans", ModelRow::State::Missing, 4689719, "/home/ada/.cache/coz/models/esrgan-gans", "MIT", mit);
  gans.description = "idealo RRDN x4 trained with a GAN loss: perceptual, may invent detail";
  gans.backbone = "esrgan-gans";
  ModelRow sd3 = row("sd3-medium", ModelRow::State::Missing, 11300000000,
                     "/home/ada/.cache/huggingface/hub/models--stabilityai--stable-diffusion-3-medium-diffusers",
                     "Stability AI Community License", "https://huggingface.co/stabilityai/stable-diffusion-3-medium/blob/main/LICENSE.md");
  sd3.description = "Stable Diffusion 3 medium (diffusers layout): the files the SD3-OSEDiff backbone reads";
  sd3.gated = true;
  sd3.gateUrl = kSd3Gate;
  ModelRow lora = row("coz-lora", ModelRow::State::Partial, 74310022, "/home/ada/.cache/coz/models/sd3-osediff",
                      "see the Chain-of-Zoom repository", "https://github.com/bryanswkim/Chain-of-Zoom");
  lora.presentBytes = 31457280;
  lora.description = "Chain-of-Zoom's SD3 transformer LoRA and VAE-encoder LoRA";
  lora.backbone = "sd3-osediff";
  lora.requirements = QStringList{"sd3-medium"};
  ModelRow qwen = row("qwen2.5-vl-3b", ModelRow::State::Missing, 7520000000,
                      "/home/ada/.cache/huggingface/hub/models--Qwen--Qwen2.5-VL-3B-Instruct",
                      "Qwen Research License (unconfirmed; read LICENSE in the repository)",
                      "https://huggingface.co/Qwen/Qwen2.5-VL-3B-Instruct/blob/main/LICENSE");
  qwen.description = "Qwen2.5-VL-3B-Instruct: the vision-language model that writes CoZ's VLM prompts";
  qwen.promptMode = "vlm";
  return {thick, gans, sd3, lora, qwen};
}

DownloadProgress transformerAt37() {
  DownloadProgress p;
  p.id = "sd3-medium";
  p.file = "transformer/diffusion_pytorch_model.safetensors";
  p.fileIndex = 6;
  p.fileCount = 12;
  p.totalBytes = kTransformer;
  p.bytes = (kTransformer * 37 + 99) / 100;
  p.etaSeconds = 80;
  p.bytesPerSecond = (p.totalBytes - p.bytes) / p.etaSeconds;  // 33 MB/s
  return p;
}

// An engine with no engine behind it: what the main window asks, answered from lists.
class FakeEngine : public Engine {
 public:
  QList<ModelEntry> backbones{{"bicubic", "Bicubic", true, ""}, {"esrgan-thick", "ESRGAN thick", true, ""},
                              {"esrgan-gans", "ESRGAN GAN", false, "coz models pull esrgan-gans"},
                              {"sd3-osediff", "SD3-OSEDiff", false, "coz models pull sd3-osediff"}};
  QList<ModelEntry> sources{{"vlm", "Qwen2.5-VL", false, "coz models pull qwen2.5-vl-3b"}};
  Sd3Files sd3;
  int sd3Calls = 0;

  QList<ModelEntry> models() const override { return backbones; }
  QList<ModelEntry> promptSources() const override { return sources; }
  QStringList devices() const override { return {"cpu"}; }
  QString aboutText() const override { return {}; }
  LoadedImage loadImage(const QString&) const override { return {{}, 8, "not here"}; }
  QVector<QRectF> planRegions(const QSize& size, const JobSpec& spec, QString*) const override {
    return QVector<QRectF>(spec.steps, QRectF(QPointF(0, 0), size));
  }
  QSize upscaleSize(const QSize& size, const JobSpec&, QString*) const override { return size * 4; }
  bool saveImage(const QString&, const QImage&, int, QString*) const override { return false; }
  bool saveBytes(const QString&, const QByteArray&, QString*) const override { return false; }
  bool exportZoom(const QString&, const QString&, int, QString*) const override { return false; }
  bool saveResultImage(const QString&, const QImage&, int, int, QString*) const override { return false; }
  bool readRecipe(const QString&, JobSpec*, QString*) const override { return false; }
  double flightMaxMagnification() const override { return 0; }
  QImage flightFrame(double, const QSize&) const override { return {}; }
  void keepVersion(bool) override {}
  void setSd3Files(const Sd3Files& files) override {
    sd3 = files;
    ++sd3Calls;
  }
  void start(const JobSpec&) override {}
  void cancel() override {}
  bool busy() const override { return false; }
  void install(const QString& id) {
    for (ModelEntry& e : backbones)
      if (e.id == id) e.installed = true;
    for (ModelEntry& e : sources)
      if (e.id == id) e.installed = true;
  }
};

QString stateOf(const ModelsDialog& d, const QString& id) { return d.table()->item(d.rowOf(id), 1)->text(); }
bool enabledIn(QComboBox* box, const QString& id) {
  return bool(box->model()->flags(box->model()->index(box->findData(id), 0)) & Qt::ItemIsEnabled);
}
void choose(QComboBox* box, const QString& id) {
  box->setCurrentIndex(box->findData(id));
  QCOMPARE(box->currentData().toString(), id);
}
}  // namespace

class TestModelsDialog : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  int inis_ = 0;
  QString ini() { return dir_.filePath(QStringLiteral("settings-%1.ini").arg(++inis_)); }

 private Q_SLOTS:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  void formatsSizesLikeTheHub() {
    QCOMPARE(ModelsDialog::formatBytes(812), QString("812 B"));
    QCOMPARE(ModelsDialog::formatBytes(4689719), QString("4.7 MB"));
    QCOMPARE(ModelsDialog::formatBytes(312000000), QString("312 MB"));
    QCOMPARE(ModelsDialog::formatBytes(kTransformer), QString("4.2 GB"));
    QCOMPARE(ModelsDialog::formatBytes(999600000), QString("1.0 GB"));  // not "1000 MB"
    QCOMPARE(ModelsDialog::formatDuration(45), QString("45 s"));
    QCOMPARE(ModelsDialog::formatDuration(80), QString("1 min 20 s"));
    QCOMPARE(ModelsDialog::formatDuration(1500), QString("25 min"));
    QCOMPARE(ModelsDialog::formatDuration(7500), QString("2 h 5 min"));
  }

  void rowsShowStateSizeLicenceAndPlace() {
    Settings settings(ini());
    FakeStore store;
    store.rows = catalog();
    ModelsDialog d(store, settings);
    QCOMPARE(d.table()->objectName(), QString("modelsTable"));
    QCOMPARE(d.table()->rowCount(), 6);  // five models + the gate note under sd3-medium
    QCOMPARE(d.rowOf("sd3-medium") + 1, d.rowOf("coz-lora") - 1);
    QCOMPARE(stateOf(d, "esrgan-thick"), QString("Installed"));
    QCOMPARE(stateOf(d, "esrgan-gans"), QString("Missing"));
    QCOMPARE(stateOf(d, "coz-lora"), QString("Partial (31 MB of 74 MB)"));
    QCOMPARE(d.table()->item(d.rowOf("esrgan-thick"), 2)->text(), QString("117 MB"));
    QCOMPARE(d.table()->item(d.rowOf("sd3-medium"), 2)->text(), QString("11 GB"));
    QVERIFY(d.table()->item(d.rowOf("esrgan-gans"), 0)->toolTip().contains("GAN loss"));
    QVERIFY(d.table()->item(d.rowOf("coz-lora"), 0)->toolTip().contains("Downloads with it: sd3-medium"));
    // The licence is a link; the folder is shown elided with the full path as its tooltip.
    auto* licence = qobject_cast<QLabel*>(d.table()->cellWidget(d.rowOf("esrgan-thick"), 3));
    QVERIFY(licence);
    QVERIFY(licence->text().contains("href=\"https://github.com/thekevinscott/UpscalerJS/blob/main/LICENSE\""));
    QVERIFY(licence->text().contains(">MIT<"));
    QVERIFY(licence->openExternalLinks());
    const QString qwenWhere = "/home/ada/.cache/huggingface/hub/models--Qwen--Qwen2.5-VL-3B-Instruct";
    QCOMPARE(d.table()->item(d.rowOf("qwen2.5-vl-3b"), 4)->toolTip(), qwenWhere);
    QCOMPARE(d.table()->textElideMode(), Qt::ElideMiddle);
    // Installed: a disabled "Installed"; missing: Download; partial: Resume.
    QCOMPARE(d.buttonFor("esrgan-thick")->text(), QString("Installed"));
    QVERIFY(!d.buttonFor("esrgan-thick")->isEnabled());
    QCOMPARE(d.buttonFor("esrgan-gans")->text(), QString("Download"));
    QVERIFY(d.buttonFor("esrgan-gans")->isEnabled());
    QCOMPARE(d.buttonFor("coz-lora")->text(), QString("Resume"));
    QVERIFY(!d.progressBar()->isVisibleTo(&d));
  }

  void gatedRowNamesTheGate() {
    Settings settings(ini());
    FakeStore store;
    store.rows = catalog();
    ModelsDialog d(store, settings);
    auto* gate = d.findChild<QLabel*>("gate-sd3-medium");
    QVERIFY(gate);
    QVERIFY2(gate->text().contains("Gated: needs a Hugging Face token and the licence accepted at"), qPrintable(gate->text()));
    QVERIFY2(gate->text().contains("<a href=\"" + kSd3Gate + "\">huggingface.co/stabilityai/stable-diffusion-3-medium-diffusers</a>"),
             qPrintable(gate->text()));
    QVERIFY(gate->openExternalLinks());
    QCOMPARE(d.table()->columnSpan(d.rowOf("sd3-medium") + 1, 0), 6);
    QVERIFY(!d.findChild<QLabel*>("gate-esrgan-gans"));
    // Once installed the token is not needed any more: no note.
    store.setState("sd3-medium", ModelRow::State::Installed);
    Q_EMIT store.modelsChanged();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);  // the old row widgets
    QVERIFY(!d.findChild<QLabel*>("gate-sd3-medium"));
    QCOMPARE(d.table()->rowCount(), 5);
  }

  void downloadShowsProgressAndCancelResumesLater() {
    Settings settings(ini());
    FakeStore store;
    store.rows = catalog();
    ModelsDialog d(store, settings);
    d.show();
    QTest::mouseClick(d.buttonFor("sd3-medium"), Qt::LeftButton);
    QCOMPARE(store.downloads, QStringList{"sd3-medium"});
    QCOMPARE(d.downloading(), QString("sd3-medium"));
    QCOMPARE(d.buttonFor("sd3-medium")->text(), QString("Cancel"));
    QVERIFY(d.buttonFor("sd3-medium")->isEnabled());
    QVERIFY(!d.buttonFor("esrgan-gans")->isEnabled());  // one download at a time
    QVERIFY(!d.buttonFor("coz-lora")->isEnabled());
    QCOMPARE(stateOf(d, "sd3-medium"), QString("Downloading…"));

    Q_EMIT store.progress(transformerAt37());
    auto* bar = d.findChild<QProgressBar*>("downloadProgress");
    QCOMPARE(bar, d.progressBar());
    QVERIFY(bar->isVisible());
    QCOMPARE(bar->maximum(), 1000);
    QCOMPARE(bar->value(), 370);
    const QString text = d.findChild<QLabel*>("downloadStatus")->text();
    QVERIFY2(text.contains("sd3-medium: file 6 of 12, transformer/diffusion_pytorch_model.safetensors"), qPrintable(text));
    QVERIFY2(text.contains("1.5 GB of 4.2 GB · 33 MB/s · 1 min 20 s left"), qPrintable(text));
    // Unknown size: a busy bar and no "of".
    DownloadProgress p = transformerAt37();
    p.totalBytes = -1;
    p.etaSeconds = -1;
    Q_EMIT store.progress(p);
    QCOMPARE(bar->maximum(), 0);
    QVERIFY(d.statusLabel()->text().endsWith("1.5 GB · 33 MB/s"));

    QTest::mouseClick(d.buttonFor("sd3-medium"), Qt::LeftButton);
    QCOMPARE(store.cancels, 1);
    QVERIFY(!d.buttonFor("sd3-medium")->isEnabled());  // until the store says it stopped
    store.setState("sd3-medium", ModelRow::State::Partial);
    store.finish("sd3-medium", false, true);
    QCOMPARE(d.statusLabel()->text(), QString("Cancelled — the download resumes where it stopped next time."));
    QVERIFY(!bar->isVisible());
    QCOMPARE(d.downloading(), QString());
    QCOMPARE(d.buttonFor("sd3-medium")->text(), QString("Resume"));
    QVERIFY(d.buttonFor("esrgan-gans")->isEnabled());
  }

  void errorsStayInTheDialogAndSuccessRefreshes() {
    Settings settings(ini());
    FakeStore store;
    store.rows = catalog();
    ModelsDialog d(store, settings);
    d.show();
    QTest::mouseClick(d.buttonFor("sd3-medium"), Qt::LeftButton);
    const QString why = "https://huggingface.co/stabilityai/stable-diffusion-3-medium-diffusers/resolve/main/model_index.json: "
                        "HTTP 401 — save a Hugging Face token and accept the licence at " + kSd3Gate;
    store.finish("sd3-medium", false, false, why);
    QCOMPARE(d.statusLabel()->text(), "The download of sd3-medium failed: " + why);
    QVERIFY(d.statusLabel()->textInteractionFlags() & Qt::TextSelectableByMouse);
    QVERIFY(d.statusLabel()->palette().color(QPalette::WindowText).red() > 150);
    for (QWidget* w : QApplication::topLevelWidgets()) QVERIFY(!qobject_cast<QMessageBox*>(w));
    QCOMPARE(d.buttonFor("sd3-medium")->text(), QString("Download"));

    QTest::mouseClick(d.buttonFor("esrgan-gans"), Qt::LeftButton);
    store.setState("esrgan-gans", ModelRow::State::Installed);
    store.finish("esrgan-gans", true, false);
    QCOMPARE(d.statusLabel()->text(), QString("esrgan-gans is installed."));
    QVERIFY(d.statusLabel()->palette().color(QPalette::WindowText).red() < 150);
    QCOMPARE(stateOf(d, "esrgan-gans"), QString("Installed"));
    QVERIFY(!d.buttonFor("esrgan-gans")->isEnabled());
  }

  void tokenIsSavedThroughTheStore() {
    Settings settings(ini());
    FakeStore store;
    store.saved = "hf_old";
    ModelsDialog d(store, settings);
    d.show();
    auto* edit = d.findChild<QLineEdit*>("tokenEdit");
    auto* show = d.findChild<QToolButton*>("tokenShow");
    auto* save = d.findChild<QPushButton*>("tokenSave");
    auto* status = d.findChild<QLabel*>("tokenStatus");
    QVERIFY(edit && show && save && status);
    QCOMPARE(edit->text(), QString("hf_old"));
    QCOMPARE(edit->echoMode(), QLineEdit::Password);
    QTest::mouseClick(show, Qt::LeftButton);
    QCOMPARE(edit->echoMode(), QLineEdit::Normal);
    QTest::mouseClick(show, Qt::LeftButton);
    QCOMPARE(edit->echoMode(), QLineEdit::Password);
    QVERIFY(d.findChild<QLabel*>("tokenFile")->text().contains("/home/ada/.cache/huggingface/token"));

    edit->clear();
    QTest::keyClicks(edit, "hf_AbCdEf123");
    QTest::mouseClick(save, Qt::LeftButton);
    QCOMPARE(store.saved, QString("hf_AbCdEf123"));
    QCOMPARE(status->text(), QString("Token saved."));

    store.failWith = "/home/ada/.cache/huggingface/token: Permission denied (the folder is read-only)";
    edit->setText("hf_new");
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(store.saved, QString("hf_AbCdEf123"));
    QCOMPARE(status->text(), "The token was not saved: " + store.failWith);
    QVERIFY(status->textInteractionFlags() & Qt::TextSelectableByMouse);
    QVERIFY(store.downloads.isEmpty());  // Return in the field pressed no row's button
  }

  void focusModelSelectsItsRow() {
    Settings settings(ini());
    FakeStore store;
    store.rows = catalog();
    ModelsDialog d(store, settings);
    auto* tabs = d.findChild<QTabWidget*>();
    tabs->setCurrentIndex(1);
    d.focusModel("qwen2.5-vl-3b");
    QCOMPARE(tabs->currentIndex(), 0);
    QCOMPARE(d.table()->currentRow(), d.rowOf("qwen2.5-vl-3b"));
    const auto selected = d.table()->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().row(), d.rowOf("qwen2.5-vl-3b"));
    // The selection survives a refresh.
    Q_EMIT store.modelsChanged();
    QCOMPARE(d.table()->currentRow(), d.rowOf("qwen2.5-vl-3b"));
  }

  void sd3PathsRoundTripThroughSettings() {
    const QString path = ini();
    {
      QSettings old(path, QSettings::IniFormat);  // written by an older version, before the dialog
      old.setValue("sd3/folder", "/data/sd3-medium-diffusers");
      old.setValue("sd3/noT5", true);
    }
    FakeStore store;
    {
      Settings settings(path);
      ModelsDialog d(store, settings);
      auto* folder = d.findChild<QLineEdit*>("sd3Folder");
      auto* lora = d.findChild<QLineEdit*>("sd3Lora");
      auto* vae = d.findChild<QLineEdit*>("sd3VaeLora");
      auto* noT5 = d.findChild<QCheckBox*>("sd3NoT5");
      QVERIFY(folder && lora && vae && noT5);
      QCOMPARE(folder->text(), QString("/data/sd3-medium-diffusers"));
      QVERIFY(noT5->isChecked());
      QVERIFY(d.findChild<QLabel*>("modelFilesIntro")->text().contains("Leave empty to use the downloaded models."));
      QSignalSpy changed(&d, &ModelsDialog::sd3FilesChanged);
      lora->setText("  /data/coz/model_20001.pkl ");
      Q_EMIT lora->editingFinished();
      QCOMPARE(changed.count(), 1);
      Q_EMIT lora->editingFinished();  // nothing new: no signal
      QCOMPARE(changed.count(), 1);
      vae->setText("/data/coz/vae_encoder_20001.pt");
      Q_EMIT vae->editingFinished();
      noT5->setChecked(false);
      QCOMPARE(changed.count(), 3);
      QCOMPARE(settings.value(Settings::Key::Sd3Lora).toString(), QString("/data/coz/model_20001.pkl"));
      const Sd3Files f = d.sd3Files();
      QCOMPARE(f.folder, QString("/data/sd3-medium-diffusers"));
      QCOMPARE(f.vaeLora, QString("/data/coz/vae_encoder_20001.pt"));
      QVERIFY(!f.noT5);
      settings.sync();
    }
    Settings settings(path);
    const Sd3Files f = ModelsDialog::sd3FilesFrom(settings);
    QCOMPARE(f.folder, QString("/data/sd3-medium-diffusers"));
    QCOMPARE(f.lora, QString("/data/coz/model_20001.pkl"));
    QCOMPARE(f.vaeLora, QString("/data/coz/vae_encoder_20001.pt"));
    QVERIFY(!f.noT5);
    ModelsDialog d(store, settings);
    QCOMPARE(d.findChild<QLineEdit*>("sd3VaeLora")->text(), QString("/data/coz/vae_encoder_20001.pt"));
  }

  void mainWindowWithoutStoreHasNoModelsEntry() {
    Settings settings(ini());
    FakeEngine engine;
    MainWindow w(engine, settings);
    QVERIFY(!w.modelsAction()->isVisible());
    w.showModels();
    QVERIFY(!w.modelsDialog());
    QVERIFY(!enabledIn(w.panel()->modelBox(), "esrgan-gans"));  // missing and nothing to download it with
    QVERIFY(!w.panel()->downloadOffer()->isVisibleTo(&w));
  }

  void mainWindowOffersTheMissingModel() {
    Settings settings(ini());
    FakeEngine engine;
    FakeStore store;
    store.rows = catalog();
    MainWindow w(engine, settings, &store);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.setImage(QImage(64, 64, QImage::Format_RGB888), "grey"));
    QVERIFY(w.modelsAction()->isVisible());
    QCOMPARE(w.modelsAction()->shortcut(), QKeySequence("Ctrl+M"));
    auto* toolbar = w.findChild<QToolBar*>("mainToolBar");
    QVERIFY(toolbar && toolbar->actions().contains(w.modelsAction()));
    SettingsPanel* panel = w.panel();
    QVERIFY(panel->runButton()->isEnabled());
    QVERIFY(!panel->downloadOffer()->isVisible());

    // A missing backbone that can be downloaded can be chosen: the panel offers it and Run waits.
    QVERIFY(enabledIn(panel->modelBox(), "esrgan-gans"));
    QVERIFY(enabledIn(panel->modelBox(), "sd3-osediff"));
    choose(panel->modelBox(), "esrgan-gans");
    QVERIFY(panel->downloadOffer()->isVisible());
    QCOMPARE(panel->offeredModel(), QString("esrgan-gans"));
    QCOMPARE(panel->downloadOfferLabel()->text(), QString("esrgan-gans is not downloaded yet."));
    QVERIFY(!panel->runButton()->isEnabled());
    QVERIFY(!w.modelsDialog());  // an offer, not a pop-up
    w.run();  // Ctrl+R anyway: the dialog opens at the missing model instead of a failing job
    QVERIFY(!w.running());
    QVERIFY(w.modelsDialog() && w.modelsDialog()->isVisible());
    QCOMPARE(w.modelsDialog()->table()->currentRow(), w.modelsDialog()->rowOf("esrgan-gans"));
    w.modelsDialog()->hide();
    // The SD3 backbone is provided by coz-lora (partial): its download is offered under its id.
    choose(panel->modelBox(), "sd3-osediff");
    QCOMPARE(panel->offeredModel(), QString("coz-lora"));
    QCOMPARE(panel->downloadOfferLabel()->text(), QString("sd3-osediff needs coz-lora, which is not downloaded yet."));
    choose(panel->modelBox(), "esrgan-thick");
    QVERIFY(!panel->downloadOffer()->isVisible());
    QVERIFY(panel->runButton()->isEnabled());

    // The same for a prompt mode.
    QVERIFY(enabledIn(panel->promptModeBox(), "vlm"));
    choose(panel->promptModeBox(), "vlm");
    QCOMPARE(panel->offeredModel(), QString("qwen2.5-vl-3b"));
    QVERIFY(panel->downloadOfferLabel()->text().contains("needs qwen2.5-vl-3b"));
    QTest::mouseClick(panel->downloadOfferButton(), Qt::LeftButton);
    ModelsDialog* d = w.modelsDialog();
    QVERIFY(d && d->isVisible());
    QCOMPARE(d->table()->currentRow(), d->rowOf("qwen2.5-vl-3b"));

    // Downloaded: the panel refreshes from the engine, the offer goes, Run comes back.
    QTest::mouseClick(d->buttonFor("qwen2.5-vl-3b"), Qt::LeftButton);
    QCOMPARE(store.downloads, QStringList{"qwen2.5-vl-3b"});
    store.setState("qwen2.5-vl-3b", ModelRow::State::Installed);
    engine.install("vlm");
    store.finish("qwen2.5-vl-3b", true, false);
    Q_EMIT store.modelsChanged();
    QVERIFY(!panel->downloadOffer()->isVisible());
    QCOMPARE(panel->promptModeBox()->currentData().toString(), QString("vlm"));
    QVERIFY(panel->runButton()->isEnabled());
    QVERIFY(panel->promptModeBox()->itemData(panel->promptModeBox()->findData("vlm"), Qt::ToolTipRole).toString() == "Qwen2.5-VL");

    // One dialog: the menu entry shows the same one; its Model files reach the engine.
    d->hide();
    w.modelsAction()->trigger();
    QCOMPARE(w.modelsDialog(), d);
    QVERIFY(d->isVisible());
    const int calls = engine.sd3Calls;
    auto* folder = d->findChild<QLineEdit*>("sd3Folder");
    folder->setText("/data/sd3");
    Q_EMIT folder->editingFinished();
    QCOMPARE(engine.sd3Calls, calls + 1);
    QCOMPARE(engine.sd3.folder, QString("/data/sd3"));
    QCOMPARE(settings.value(Settings::Key::Sd3Folder).toString(), QString("/data/sd3"));
  }

  void savedMissingChoiceComesBackWithTheCatalog() {
    const QString path = ini();
    {
      Settings s(path);
      s.setValue(Settings::Key::Model, "esrgan-gans");
    }
    Settings settings(path);
    FakeEngine engine;
    FakeStore store;
    store.rows = catalog();
    MainWindow w(engine, settings, &store);
    QCOMPARE(w.panel()->modelBox()->currentData().toString(), QString("esrgan-gans"));
    QCOMPARE(w.panel()->offeredModel(), QString("esrgan-gans"));
    // Without a store the same settings fall back to an available backbone (and keep the choice saved).
    MainWindow plain(engine, settings);
    QCOMPARE(plain.panel()->modelBox()->currentData().toString(), QString("bicubic"));
    QCOMPARE(settings.value(Settings::Key::Model).toString(), QString("esrgan-gans"));
  }

  void screenshot() {
    const QString out = qEnvironmentVariable("COZ_SCREENSHOT");
    if (out.isEmpty()) QSKIP("set COZ_SCREENSHOT=file.png to save a picture of the dialog");
    QTranslator translator;
    const QString qm = qEnvironmentVariable("COZ_SCREENSHOT_QM");
    if (!qm.isEmpty()) {
      QVERIFY2(translator.load(qm), qPrintable(qm));
      QApplication::installTranslator(&translator);
      QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    }
    Settings settings(ini());
    FakeStore store;
    store.rows = catalog();
    ModelsDialog d(store, settings);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    QTest::mouseClick(d.buttonFor("sd3-medium"), Qt::LeftButton);
    Q_EMIT store.progress(transformerAt37());
    d.focusModel("sd3-medium");
    QTest::qWait(50);
    QVERIFY(d.grab().save(out));
    if (!qm.isEmpty()) {
      QApplication::removeTranslator(&translator);
      QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }
  }
};

QTEST_MAIN(TestModelsDialog)
#include "test_models_dialog.moc"
