#include "main_window.h"

#include "batch_panel.h"

#include <QAction>
#include <QActionGroup>
#include <QSpinBox>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QMimeData>
#include <QPainter>
#include <QProgressBar>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

#include <cmath>

#include "image_viewer.h"
#include "model_store.h"
#include "models_dialog.h"
#include "settings_panel.h"
#include "step_strip.h"

namespace coz::ui {

MainWindow::MainWindow(Engine& engine, Settings& settings, ModelStore* store, QWidget* parent)
    : QMainWindow(parent), engine_(engine), settings_(settings), store_(store) {
  setWindowTitle(tr("CoZ Studio"));
  setWindowIcon(QIcon(":/icons/coz-studio.svg"));
  setAcceptDrops(true);

  // The SD3 backbone's files come from the settings; set them before listing the models.
  engine_.setSd3Files(ModelsDialog::sd3FilesFrom(settings_));
  viewer_ = new ImageViewer;
  strip_ = new StepStrip;
  panel_ = new SettingsPanel(settings_, engine_.models(), engine_.devices());
  panel_->setPromptSources(engine_.promptSources());
  if (store_) panel_->setModelRows(store_->models());
  auto* left = new QWidget;
  auto* lv = new QVBoxLayout(left);
  lv->setContentsMargins(0, 0, 0, 0);
  lv->setSpacing(0);
  lv->addWidget(viewer_, 1);
  buildSteerBar(left);
  lv->addWidget(flightBar_);
  lv->addWidget(strip_);
  lv->addWidget(steerBar_);
  lv->addWidget(keepBar_);
  auto* scroll = new QScrollArea;
  scroll->setWidget(panel_);
  scroll->setWidgetResizable(true);
  scroll->setMinimumWidth(panel_->sizeHint().width() + 24);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(left);
  split->addWidget(scroll);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 0);
  split->setCollapsible(0, false);
  setCentralWidget(split);

  stageLabel_ = new QLabel(tr("Ready"));
  etaLabel_ = new QLabel;
  progress_ = new QProgressBar;
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(260);
  progress_->setTextVisible(false);
  progress_->setVisible(false);
  statusBar()->addWidget(stageLabel_, 1);
  statusBar()->addPermanentWidget(etaLabel_);
  statusBar()->addPermanentWidget(progress_);

  buildMenus();

  connect(panel_, &SettingsPanel::specChanged, this, &MainWindow::updatePlan);
  connect(panel_, &SettingsPanel::runRequested, this, &MainWindow::run);
  connect(panel_, &SettingsPanel::cancelRequested, this, &MainWindow::cancel);
  connect(panel_, &SettingsPanel::downloadRequested, this, [this](const QString& id) { showModels(id); });
  if (store_) {
    // A download (or a token) changes what is installed: the panel shows it, and offers no more.
    connect(store_, &ModelStore::modelsChanged, this, &MainWindow::refreshModels);
    connect(store_, &ModelStore::finished, this, &MainWindow::refreshModels);
  }
  connect(viewer_, &ImageViewer::pointPicked, this, [this](const QPointF& p) {
    // On a zoom step with a later one: the point moves the next step's crop (steering).
    if (shownStep_ >= 0 && !running_ && shownStep_ + 1 < strip_->stepCount() && !strip_->comparingVersions() &&
        strip_->stepAt(shownStep_ + 1).sourceStep == strip_->stepAt(shownStep_).step) {
      const QImage& img = strip_->stepAt(shownStep_).output;
      nextPoint_ = QPointF(std::clamp(p.x() / img.width(), 0.0, 1.0), std::clamp(p.y() / img.height(), 0.0, 1.0));
      showNextCrop();
      updateSteerBar();
      return;
    }
    setZoomPoint(p);
  });
  connect(viewer_, &ImageViewer::flightWheel, this, [this](double notches) { setFlightMagnification(flightMag_ * std::pow(1.25, notches)); });
  connect(viewer_, &ImageViewer::boxPicked, this, [this](const QRectF& box) {
    // A box sets the point to its centre and the steps to the zoom that fills it.
    setZoomPoint(box.center());
    if (!image_.isNull()) {
      const double side = std::max(1.0, std::max(box.width(), box.height()));
      const int steps = std::clamp(static_cast<int>(std::lround(std::log(std::min(image_.width(), image_.height()) / side) / std::log(4.0))), 1, 8);
      panel_->stepsBox()->setValue(steps);
    }
  });
  connect(strip_, &StepStrip::stepActivated, this, &MainWindow::showStep);
  connect(&engine_, &Engine::progress, this, &MainWindow::onProgress);
  connect(&engine_, &Engine::stepReady, this, &MainWindow::onStep);
  connect(&engine_, &Engine::finished, this, &MainWindow::onFinished);

  const QByteArray geo = settings_.value(Settings::Key::Geometry).toByteArray();
  if (geo.isEmpty() || !restoreGeometry(geo)) resize(1280, 820);
  panel_->setCanRun(false);
  updatePlan();
}

MainWindow::~MainWindow() {
  if (engine_.busy()) engine_.cancel();
}

void MainWindow::refreshModels() {
  panel_->setModels(engine_.models());
  panel_->setPromptSources(engine_.promptSources());
  panel_->setModelRows(store_->models());
  updatePlan();
}

void MainWindow::showModels(const QString& focusId) {
  if (!store_) return;
  if (!modelsDialog_) {  // one instance, non-modal; closing it hides it and a download goes on
    modelsDialog_ = new ModelsDialog(*store_, settings_, this);
    connect(modelsDialog_, &ModelsDialog::sd3FilesChanged, this, [this] {
      engine_.setSd3Files(modelsDialog_->sd3Files());
      panel_->setModels(engine_.models());
      updatePlan();
    });
  }
  modelsDialog_->show();
  modelsDialog_->raise();
  modelsDialog_->activateWindow();
  if (!focusId.isEmpty()) modelsDialog_->focusModel(focusId);
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* openAction = file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::openDialog);
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  updateRecentMenu();
  file->addAction(tr("&Paste Image"), QKeySequence::Paste, this, &MainWindow::pasteImage);
  file->addSeparator();
  file->addAction(tr("&Export View…"), QKeySequence::Save, this, &MainWindow::exportViewDialog);
  file->addAction(tr("Export &All Steps…"), QKeySequence(tr("Ctrl+Shift+S")), this, &MainWindow::exportAllDialog);
  file->addAction(tr("Export Zoom &Video…"), this, &MainWindow::exportVideoDialog);
  file->addSeparator();
  file->addAction(tr("Open Re&cipe…"), this, &MainWindow::openRecipeDialog);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, this, [this] { viewer_->setZoom(viewer_->zoom() * 1.25); });
  view->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, this, [this] { viewer_->setZoom(viewer_->zoom() / 1.25); });
  view->addAction(tr("&Fit to Window"), QKeySequence(tr("Ctrl+0")), this, [this] { viewer_->fitToWindow(); });
  view->addAction(tr("&Actual Size (100%)"), QKeySequence(tr("Ctrl+1")), this, [this] { viewer_->actualSize(); });
  view->addSeparator();
  view->addAction(tr("&Compare Input and Output"), QKeySequence(tr("C")), this, &MainWindow::toggleCompareInput);
  view->addAction(tr("F&lip Compared Images"), QKeySequence(tr("X")), this, [this] { viewer_->flipCompare(); });
  view->addSeparator();
  flightAction_ = view->addAction(tr("Zoom &Flight"), QKeySequence(tr("Ctrl+F")), this, [this](bool on) { setFlight(on); });
  flightAction_->setCheckable(true);

  QMenu* job = menuBar()->addMenu(tr("&Job"));
  QAction* runAction = job->addAction(tr("&Run"), QKeySequence(tr("Ctrl+R")), this, &MainWindow::run);
  job->addAction(tr("&Cancel"), QKeySequence(tr("Esc")), this, &MainWindow::cancel);

  QMenu* settings = menuBar()->addMenu(tr("&Settings"));
  modelsAction_ = settings->addAction(tr("&Models…"), QKeySequence(tr("Ctrl+M")), this, [this] { showModels(); });
  modelsAction_->setIconText(tr("Models"));
  modelsAction_->setToolTip(tr("Download models, set the Hugging Face token and model files (Ctrl+M)"));
  modelsAction_->setVisible(store_ != nullptr);
  settings->addSeparator();
  QMenu* lang = settings->addMenu(tr("&Language"));
  const QList<QPair<QString, QString>> langs = {{tr("System default"), ""}, {QStringLiteral("English"), "en"},
                                                {QStringLiteral("Deutsch"), "de"}, {QStringLiteral("한국어"), "ko"}};
  auto* group = new QActionGroup(this);
  for (const auto& [name, code] : langs) {
    QAction* a = lang->addAction(name);
    a->setCheckable(true);
    a->setChecked(settings_.value(Settings::Key::Language).toString() == code);
    group->addAction(a);
    connect(a, &QAction::triggered, this, [this, code = code] {
      settings_.setValue(Settings::Key::Language, code);
      stageLabel_->setText(tr("The language changes when CoZ Studio starts again."));
    });
  }

  QToolBar* bar = addToolBar(tr("Toolbar"));
  bar->setObjectName(QStringLiteral("mainToolBar"));
  bar->setMovable(false);
  bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
  bar->addAction(openAction);
  bar->addAction(runAction);
  bar->addSeparator();
  bar->addAction(modelsAction_);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&Keyboard Shortcuts"), QKeySequence::HelpContents, this, [this] {
    QMessageBox::information(this, tr("Keyboard shortcuts"),
        tr("Ctrl+O\tOpen an image\nCtrl+V\tPaste an image\nCtrl+S\tExport the view\nCtrl+Shift+S\tExport all steps\n"
           "Ctrl+R\tRun\nEsc\tCancel the job\nCtrl+M\tModels\n\nClick\tSet the zoom point\nShift+drag\tZoom into a box\n"
           "Wheel, + / -\tZoom the view\nDrag, arrows\tPan\nCtrl+0, F\tFit to window\nCtrl+1, 1\tActual size\n"
           "C\tCompare a step's input and output\nCtrl+click a step\tCompare two steps\nX\tFlip the compared images"));
  });
  help->addAction(tr("&About CoZ Studio"), this, [this] {
    QMessageBox::about(this, tr("About CoZ Studio"),
                       tr("<h3>CoZ Studio %1</h3><p>Chain-of-Zoom extreme super-resolution.</p>%2")
                           .arg(QApplication::applicationVersion(), engine_.aboutText()));
  });
}

void MainWindow::updateRecentMenu() {
  recentMenu_->clear();
  const QStringList files = settings_.recentFiles();
  for (const QString& f : files) recentMenu_->addAction(QFileInfo(f).fileName(), this, [this, f] { openImage(f); })->setToolTip(f);
  recentMenu_->setEnabled(!files.isEmpty());
}

void MainWindow::showError(const QString& title, const QString& text) {
  lastError_ = text;
  stageLabel_->setText(title);
  if (errorBox_) errorBox_->close();
  errorBox_ = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
  errorBox_->setAttribute(Qt::WA_DeleteOnClose);
  errorBox_->open();  // window-modal, does not block the event loop
}

bool MainWindow::openImage(const QString& path) {
  if (running_) {
    showError(tr("A job is running"), tr("Cancel the running job before opening another image."));
    return false;
  }
  const LoadedImage li = engine_.loadImage(path);
  if (!li.error.isEmpty()) {
    showError(tr("Cannot open the image"), li.error);
    return false;
  }
  settings_.addRecentFile(path);
  settings_.setValue(Settings::Key::LastDir, QFileInfo(path).absolutePath());
  updateRecentMenu();
  return setImage(li.image, QFileInfo(path).absoluteFilePath(), li.bitDepth);
}

bool MainWindow::setImage(const QImage& image, const QString& name, int bitDepth) {
  if (image.isNull()) {
    showError(tr("Cannot open the image"), tr("The image is empty."));
    return false;
  }
  image_ = image;
  imageName_ = name;
  bitDepth_ = bitDepth;
  point_ = QPointF(image.width() / 2.0, image.height() / 2.0);
  result_ = QImage();
  shownStep_ = compareStep_ = -1;
  compareInput_ = false;
  strip_->clearSteps();
  start_ = StepData();
  recipeChanges_.clear();
  rerunFrom_ = 0;
  keepBar_->setVisible(false);
  if (flightAction_->isChecked()) setFlight(false);
  viewer_->setCompare(QImage(), {}, {});
  viewer_->setImage(image);
  viewer_->setPointEditable(true);
  lastError_.clear();
  setWindowTitle(tr("%1 — CoZ Studio").arg(QFileInfo(name).fileName()));
  stageLabel_->setText(tr("%1 × %2 px, %3-bit. Click the image to choose where to zoom.")
                           .arg(image.width()).arg(image.height()).arg(bitDepth));
  updatePlan();
  return true;
}

void MainWindow::setZoomPoint(const QPointF& p) {
  if (image_.isNull() || running_) return;
  if (shownStep_ >= 0) {  // back to the source picture to edit the plan
    shownStep_ = -1;
    viewer_->setCompare(QImage(), {}, {});
    viewer_->setImage(image_, true);
  }
  point_ = QPointF(std::clamp(p.x(), 0.0, double(image_.width())), std::clamp(p.y(), 0.0, double(image_.height())));
  updatePlan();
}

JobSpec MainWindow::currentSpec() const {
  JobSpec s;
  panel_->fillSpec(s);
  s.image = image_;
  s.imagePath = imageName_;
  s.bitDepth = bitDepth_;
  if (!image_.isNull()) s.center = QPointF(point_.x() / image_.width(), point_.y() / image_.height());
  if (s.mode == JobSpec::Mode::Zoom) s.changes = recipeChanges_;
  return s;
}

void MainWindow::updatePlan() {
  if (image_.isNull()) {
    panel_->setSummary(tr("Open an image to begin."), false);
    panel_->setCanRun(false);
    return;
  }
  const JobSpec spec = currentSpec();
  QString err;
  if (spec.mode == JobSpec::Mode::Zoom) {
    plan_ = engine_.planRegions(image_.size(), spec, &err);
    if (shownStep_ < 0) viewer_->setPlan(plan_, point_);
    if (!err.isEmpty()) {
      panel_->setSummary(err, true);
      panel_->setCanRun(false);
      return;
    }
    const QRectF last = plan_.isEmpty() ? QRectF() : plan_.back();
    panel_->setSummary(tr("Steps: %1, total magnification %2×.\nThe last step shows %3 × %4 px of the image at %5 × %5 px.")
                           .arg(spec.steps).arg(QLocale().toString(std::pow(4.0, spec.steps), 'f', 0))
                           .arg(QLocale().toString(last.width(), 'f', last.width() < 10 ? 2 : 0),
                                QLocale().toString(last.height(), 'f', last.height() < 10 ? 2 : 0))
                           .arg(spec.processSize), false);
  } else {
    plan_.clear();
    viewer_->setPlan({}, QPointF(-1, -1));
    const QSize out = engine_.upscaleSize(image_.size(), spec, &err);
    if (!err.isEmpty()) {
      panel_->setSummary(err, true);
      panel_->setCanRun(false);
      return;
    }
    panel_->setSummary(tr("Output: %1 × %2 px (%3×).").arg(out.width()).arg(out.height()).arg(spec.scale), false);
  }
  panel_->setCanRun(!running_);
}

void MainWindow::run() {
  if (running_ || image_.isNull() || engine_.busy()) return;
  if (const QString missing = panel_->offeredModel(); !missing.isEmpty()) {  // Ctrl+R while the panel offers it
    showModels(missing);
    return;
  }
  QString err;
  JobSpec spec = currentSpec();
  if (spec.mode == JobSpec::Mode::Zoom) engine_.planRegions(image_.size(), spec, &err);
  else engine_.upscaleSize(image_.size(), spec, &err);
  if (!err.isEmpty()) {
    showError(tr("Cannot run"), err);
    return;
  }
  if (rerunFrom_ > 0) keepVersion(true);  // a new run: the re-run's choice is settled as shown
  if (flightAction_->isChecked()) setFlight(false);
  strip_->clearSteps();
  start_ = StepData();
  result_ = QImage();
  shownStep_ = compareStep_ = -1;
  viewer_->setCompare(QImage(), {}, {});
  startJob(spec, tr("Starting…"));
}

void MainWindow::startJob(const JobSpec& spec, const QString& status) {
  running_ = true;
  runningSpec_ = spec;
  panel_->setRunning(true);
  updateSteerBar();
  progress_->setValue(0);
  progress_->setVisible(true);
  etaLabel_->clear();
  stageLabel_->setText(status);
  clock_.start();
  engine_.start(spec);
}

void MainWindow::cancel() {
  if (!running_) return;
  stageLabel_->setText(tr("Cancelling… (finishing the current tile)"));
  engine_.cancel();
}

QString MainWindow::errorHeadline(ErrorKind kind) const {
  switch (kind) {
    case ErrorKind::InvalidInput: return tr("The input cannot be used");
    case ErrorKind::ModelLoad: return tr("The model could not be loaded");
    case ErrorKind::OutOfMemory: return tr("Out of memory: try a smaller tile size, the CPU, or fewer steps");
    case ErrorKind::None:
    case ErrorKind::Internal: break;
  }
  return tr("The job failed");
}

QString MainWindow::stageText(const JobProgress& p) const {
  QString s;
  switch (p.stage) {
    case Stage::LoadingModel: s = tr("Loading model…"); break;
    case Stage::Prompt: s = tr("Step %1 of %2: describing the picture…").arg(p.step).arg(p.steps); break;
    case Stage::ZoomStep: s = tr("Step %1 of %2").arg(p.step).arg(p.steps); break;
    case Stage::UpscalePass: s = tr("Upscaling, pass %1 of %2").arg(p.step).arg(p.steps); break;
    case Stage::Resizing: s = tr("Resizing to the exact size…"); break;
    case Stage::ColorFix: s = tr("Fixing colours…"); break;
    case Stage::VaeEncode: s = tr("Encoding with the VAE…"); break;
    case Stage::VaeDecode: s = tr("Decoding with the VAE…"); break;
    case Stage::Writing: s = tr("Writing files…"); break;
    case Stage::Download: s = tr("Downloading…"); break;
    case Stage::VideoFrame: s = tr("Video frame %1 of %2").arg(p.step).arg(p.steps); break;
  }
  if (p.tiles > 1) s += tr(", tile %1 of %2").arg(p.tile).arg(p.tiles);
  return s;
}

void MainWindow::onProgress(const JobProgress& p) {
  if (batch_ && batch_->running()) return;  // a job of the batch queue
  if (!running_) return;
  stageLabel_->setText(stageText(p));
  double frac = 0;
  if (p.steps > 0) frac = (std::max(0, p.step - 1) + (p.tiles > 0 ? double(p.tile - 1) / p.tiles : 0.0)) / p.steps;
  progress_->setValue(static_cast<int>(frac * 1000));
  const double t = clock_.elapsed() / 1000.0;
  if (frac > 0.03) etaLabel_->setText(tr("about %1 s left").arg(std::max(0.0, t / frac - t), 0, 'f', 0));
}

void MainWindow::onStep(const StepData& s) {
  if (batch_ && batch_->running()) return;  // a job of the batch queue
  if (s.reused) return;  // a re-run's kept steps are in the strip already
  if (s.step == 0) {
    start_ = s;
    strip_->setOriginal(s);
    return;
  }
  strip_->addStep(s);
  if (s.steps > 0) progress_->setValue(1000 * s.step / s.steps);
  // Show the newest step unless the user is looking at an older one.
  if (rerunFrom_ > 0 || shownStep_ < 0 || shownStep_ == strip_->stepCount() - 2) showStep(strip_->stepCount() - 1);
}

void MainWindow::onFinished(const JobOutcome& o) {
  if (batch_ && batch_->running()) return;  // a job of the batch queue
  running_ = false;
  panel_->setRunning(false);
  progress_->setVisible(false);
  etaLabel_->clear();
  if (runningSpec_.mode == JobSpec::Mode::Video) {
    if (o.ok) stageLabel_->setText(tr("Wrote the zoom video %1 in %2 s.").arg(runningSpec_.video.path).arg(o.seconds, 0, 'f', 1));
    else if (o.cancelled) stageLabel_->setText(tr("Video cancelled; no file was written."));
    else showError(errorHeadline(o.errorKind), o.error);
    updatePlan();
    Q_EMIT jobFinished(o.ok, o.cancelled);
    return;
  }
  if (rerunFrom_ > 0) {
    // Both versions stay until one is kept; a re-run that made nothing leaves the first one.
    bool made = false;
    for (int row = 0; row < strip_->stepCount(); ++row) made = made || (strip_->stepAt(row).step >= rerunFrom_ && !strip_->isPrevious(row));
    if (made && (o.ok || o.cancelled)) {
      keepBar_->setVisible(true);
    } else {
      strip_->keepVersion(false);
      engine_.keepVersion(false);
      rerunFrom_ = 0;
    }
  }
  if (o.ok) {
    if (runningSpec_.mode == JobSpec::Mode::Upscale) {
      result_ = o.upscaled;
      resultBitDepth_ = o.upscaledBitDepth;
      viewer_->setPlan({}, QPointF(-1, -1));
      viewer_->setPointEditable(false);
      viewer_->setImage(result_);
      stageLabel_->setText(tr("Upscaled to %1 × %2 px in %3 s. Export it with Ctrl+S.")
                               .arg(result_.width()).arg(result_.height()).arg(o.seconds, 0, 'f', 1));
    } else if (rerunFrom_ > 0) {
      stageLabel_->setText(tr("Re-ran from step %1 in %2 s: compare the versions in the strip, then keep one.")
                               .arg(rerunFrom_).arg(o.seconds, 0, 'f', 1));
    } else {
      stageLabel_->setText(tr("Done. Steps: %1, time: %2 s. Click a step to view it; C compares input and output.")
                               .arg(strip_->stepCount()).arg(o.seconds, 0, 'f', 1));
    }
  } else if (o.cancelled) {
    stageLabel_->setText(tr("Cancelled. Finished steps kept: %1.").arg(strip_->stepCount()));
  } else {
    showError(errorHeadline(o.errorKind), o.error);
  }
  updatePlan();
  updateSteerBar();
  Q_EMIT jobFinished(o.ok, o.cancelled);
}

void MainWindow::showStep(int row) {
  if (row == -1 && !image_.isNull()) {  // the ×1 thumbnail: back to the source picture and its plan
    shownStep_ = compareStep_ = -1;
    viewer_->setCompare(QImage(), {}, {});
    viewer_->setImage(image_, true);
    viewer_->setPointEditable(!running_);
    viewer_->setPlan(plan_, point_);
    strip_->selectStep(-1);
    return;
  }
  if (row < 0 || row >= strip_->stepCount()) return;
  if (QApplication::keyboardModifiers() & Qt::ControlModifier && shownStep_ >= 0 && row != shownStep_) {
    compareStep_ = row;  // Ctrl+click: compare two steps
    viewer_->setCompare(strip_->stepAt(row).output, tr("Step %1").arg(shownStep_ + 1), tr("Step %1").arg(row + 1));
    return;
  }
  shownStep_ = row;
  compareStep_ = -1;
  const StepData& s = strip_->stepAt(row);
  viewer_->setPointEditable(false);
  viewer_->setPlan({}, QPointF(-1, -1));
  viewer_->setCompare(QImage(), {}, {});
  if (compareInput_) {
    viewer_->setImage(s.input, true);
    viewer_->setCompare(s.output, tr("Input (bicubic)"), tr("Output"));
  } else {
    viewer_->setImage(s.output, true);
  }
  strip_->selectStep(row);
  nextPoint_ = QPointF(-1, -1);
  showNextCrop();
  updateSteerBar();
}

// On a shown step whose next step crops from it: that crop's rectangle, draggable.
void MainWindow::showNextCrop() {
  if (shownStep_ < 0 || shownStep_ + 1 >= strip_->stepCount() || compareInput_ || strip_->comparingVersions()) return;
  const StepData& cur = strip_->stepAt(shownStep_);
  const StepData& next = strip_->stepAt(shownStep_ + 1);
  if (next.sourceStep != cur.step || next.crop.isEmpty()) return;
  QRectF r = next.crop;
  if (nextPoint_.x() >= 0) {
    const QPointF c(nextPoint_.x() * cur.output.width(), nextPoint_.y() * cur.output.height());
    r.moveCenter(c);
    r.moveLeft(std::clamp(r.left(), 0.0, cur.output.width() - r.width()));
    r.moveTop(std::clamp(r.top(), 0.0, cur.output.height() - r.height()));
  }
  viewer_->setPointEditable(!running_);
  viewer_->setPlan({r}, r.center());
}

void MainWindow::buildSteerBar(QWidget* into) {
  steerBar_ = new QWidget(into);
  auto* h = new QHBoxLayout(steerBar_);
  h->setContentsMargins(6, 4, 6, 4);
  steerLabel_ = new QLabel;
  steerPrompt_ = new QLineEdit;
  steerPrompt_->setPlaceholderText(tr("Prompt of this step"));
  steerPrompt_->setClearButtonEnabled(true);
  steerMode_ = new QComboBox;
  steerMode_->addItem(tr("Prompt as typed"), QString());
  steerMode_->addItem(tr("Generate: DAPE"), QStringLiteral("dape"));
  steerMode_->addItem(tr("Generate: VLM"), QStringLiteral("vlm"));
  rerun_ = new QPushButton(tr("Re-run from here"));
  rerun_->setToolTip(tr("Keep the steps before this one and compute the rest again with the new prompt "
                        "(or the moved rectangle); both versions stay in the strip until you keep one"));
  h->addWidget(steerLabel_);
  h->addWidget(steerPrompt_, 1);
  h->addWidget(steerMode_);
  h->addWidget(rerun_);
  connect(rerun_, &QPushButton::clicked, this, &MainWindow::rerunShownStep);
  connect(steerPrompt_, &QLineEdit::textEdited, this, &MainWindow::updateSteerBar);
  connect(steerPrompt_, &QLineEdit::returnPressed, this, &MainWindow::rerunShownStep);
  connect(steerMode_, &QComboBox::currentIndexChanged, this, &MainWindow::updateSteerBar);

  keepBar_ = new QWidget(into);
  auto* k = new QHBoxLayout(keepBar_);
  k->setContentsMargins(6, 4, 6, 4);
  auto* keepLabel = new QLabel(tr("Two versions of the chain are in the strip."));
  auto* keepNew = new QPushButton(tr("Keep the new version"));
  auto* keepOld = new QPushButton(tr("Keep the previous version"));
  k->addWidget(keepLabel, 1);
  k->addWidget(keepNew);
  k->addWidget(keepOld);
  connect(keepNew, &QPushButton::clicked, this, [this] { keepVersion(true); });
  connect(keepOld, &QPushButton::clicked, this, [this] { keepVersion(false); });
  keepBar_->setVisible(false);

  flightBar_ = new QWidget(into);
  auto* f = new QHBoxLayout(flightBar_);
  f->setContentsMargins(6, 4, 6, 4);
  flightSlider_ = new QSlider(Qt::Horizontal);
  flightSlider_->setRange(0, 1000);
  flightSlider_->setToolTip(tr("Magnification (the mouse wheel over the picture does the same)"));
  flightLabel_ = new QLabel;
  flightLabel_->setMinimumWidth(90);
  f->addWidget(new QLabel(tr("Zoom flight")));
  f->addWidget(flightSlider_, 1);
  f->addWidget(flightLabel_);
  connect(flightSlider_, &QSlider::valueChanged, this, [this](int v) {
    const double n = std::log(std::max(1.0, engine_.flightMaxMagnification())) / std::log(4.0);
    const double m = std::pow(4.0, n * v / 1000.0);
    if (std::abs(m - flightMag_) > 1e-9 * m) {
      flightMag_ = m;
      renderFlight();
    }
  });
  flightBar_->setVisible(false);
  updateSteerBar();
}

void MainWindow::updateSteerBar() {
  const bool onStep = shownStep_ >= 0 && shownStep_ < strip_->stepCount() && runningSpec_.mode == JobSpec::Mode::Zoom;
  steerBar_->setVisible(onStep && !running_ && !strip_->comparingVersions() && !viewer_->flightMode());
  if (!onStep) return;
  const StepData& s = strip_->stepAt(shownStep_);
  steerLabel_->setText(tr("Step %1:").arg(s.step));
  if (sender() != steerPrompt_ && sender() != steerMode_ && sender() != viewer_) {
    steerPrompt_->setText(s.prompt);
    steerMode_->setCurrentIndex(0);
  }
  const bool changed = steerPrompt_->text() != s.prompt || steerMode_->currentIndex() > 0 || nextPoint_.x() >= 0;
  rerun_->setEnabled(changed && !running_);
  steerPrompt_->setEnabled(steerMode_->currentIndex() == 0);
}

void MainWindow::rerunShownStep() {
  if (shownStep_ < 0 || shownStep_ >= strip_->stepCount() || running_) return;
  const StepData& s = strip_->stepAt(shownStep_);
  QVector<StepChange> changes;
  int from = 0;
  if (steerPrompt_->text() != s.prompt || steerMode_->currentIndex() > 0) {
    StepChange c;
    c.step = s.step;
    if (steerMode_->currentIndex() > 0) c.promptMode = steerMode_->currentData().toString();
    else c.hasPrompt = true, c.prompt = steerPrompt_->text();
    changes.append(c);
    from = s.step;
  }
  if (nextPoint_.x() >= 0) {
    StepChange c;
    c.step = s.step + 1;
    c.point = nextPoint_;
    changes.append(c);
    if (from == 0) from = s.step + 1;
  }
  if (from > 0) rerun(from, changes);
}

bool MainWindow::rerun(int fromStep, const QVector<StepChange>& changes) {
  if (running_ || engine_.busy()) return false;
  if (strip_->stepCount() == 0 || runningSpec_.mode != JobSpec::Mode::Zoom) {
    showError(tr("Nothing to re-run"), tr("Run a zoom first."));
    return false;
  }
  if (strip_->comparingVersions()) {
    showError(tr("Keep one version first"), tr("The strip shows two versions: keep one before re-running again."));
    return false;
  }
  JobSpec spec = runningSpec_;
  spec.fromStep = fromStep;
  spec.changes = changes;
  JobSpec now = currentSpec();
  spec.device = now.device;
  spec.precision = now.precision;
  if (flightAction_->isChecked()) setFlight(false);
  strip_->markPrevious(fromStep);
  rerunFrom_ = fromStep;
  nextPoint_ = QPointF(-1, -1);
  startJob(spec, tr("Re-running from step %1…").arg(fromStep));
  return true;
}

void MainWindow::keepVersion(bool newVersion) {
  if (rerunFrom_ <= 0) return;
  engine_.keepVersion(newVersion);
  strip_->keepVersion(newVersion);
  keepBar_->setVisible(false);
  rerunFrom_ = 0;
  stageLabel_->setText(newVersion ? tr("Kept the new version.") : tr("Kept the previous version."));
  if (strip_->stepCount() > 0) showStep(strip_->stepCount() - 1);
}

bool MainWindow::setFlight(bool on) {
  if (on && (engine_.flightMaxMagnification() <= 1 || running_)) {
    flightAction_->setChecked(false);
    showError(tr("Nothing to fly through"), tr("Run a zoom first; the flight goes through its steps."));
    return false;
  }
  flightAction_->setChecked(on);
  flightBar_->setVisible(on);
  viewer_->setFlightMode(on);
  updateSteerBar();
  if (on) {
    viewer_->setCompare(QImage(), {}, {});
    viewer_->setPlan({}, QPointF(-1, -1));
    viewer_->setPointEditable(false);
    setFlightMagnification(flightMag_);
    renderFlight();
    stageLabel_->setText(tr("Zoom flight: the wheel or the slider changes the magnification."));
  } else if (shownStep_ >= 0) {
    showStep(shownStep_);
  } else {
    showStep(-1);
  }
  return true;
}

void MainWindow::setFlightMagnification(double m) {
  const double maxM = std::max(1.0, engine_.flightMaxMagnification());
  flightMag_ = std::clamp(m, 1.0, maxM);
  const double n = std::log(maxM) / std::log(4.0);
  {
    const QSignalBlocker b(flightSlider_);
    flightSlider_->setValue(n > 0 ? static_cast<int>(std::lround(1000 * std::log(flightMag_) / std::log(4.0) / n)) : 0);
  }
  renderFlight();
}

void MainWindow::renderFlight() {
  if (!viewer_->flightMode()) return;
  const QSize size = viewer_->size() * viewer_->devicePixelRatioF();
  const QImage frame = engine_.flightFrame(flightMag_, size.isEmpty() ? QSize(640, 480) : size);
  if (frame.isNull()) return;
  viewer_->setImage(frame);
  flightLabel_->setText(QStringLiteral("×%1").arg(QLocale().toString(flightMag_, 'f', flightMag_ < 10 ? 2 : flightMag_ < 100 ? 1 : 0)));
}

void MainWindow::toggleCompareInput() {
  compareInput_ = !compareInput_;
  if (shownStep_ >= 0) showStep(shownStep_);
  stageLabel_->setText(compareInput_ ? tr("Compare: drag the divider; X flips the sides.") : tr("Compare off."));
}

void MainWindow::pasteImage() {
  const QImage img = QApplication::clipboard()->image();
  if (img.isNull()) {
    showError(tr("Nothing to paste"), tr("The clipboard holds no image. Copy an image first."));
    return;
  }
  setImage(img.hasAlphaChannel() ? img.convertToFormat(QImage::Format_RGBA8888) : img.convertToFormat(QImage::Format_RGB888),
           tr("Pasted image"));
}

void MainWindow::openDialog() {
  const QString f = QFileDialog::getOpenFileName(this, tr("Open Image"), settings_.value(Settings::Key::LastDir).toString(),
                                                 tr("Images (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp);;All files (*)"));
  if (!f.isEmpty()) openImage(f);
}

bool MainWindow::exportView(const QString& path) {
  const QImage img = shownStep_ >= 0 ? strip_->stepAt(shownStep_).output : (!result_.isNull() ? result_ : image_);
  if (img.isNull()) {
    showError(tr("Nothing to export"), tr("Run a job first."));
    return false;
  }
  const int depth = shownStep_ < 0 && !result_.isNull() ? resultBitDepth_ : 8;
  QString err;
  const QString suffix = QFileInfo(path).suffix().toLower();
  const int bits = (suffix == "png" || suffix == "tif" || suffix == "tiff") ? depth : 8;
  const int recipe = shownStep_ >= 0 ? strip_->stepAt(shownStep_).step : !result_.isNull() ? Engine::kUpscaleRecipe : -3;
  const bool saved = recipe == -3 ? engine_.saveImage(path, img, bits, &err) : engine_.saveResultImage(path, img, bits, recipe, &err);
  if (!saved) {
    showError(tr("Export failed"), err);
    return false;
  }
  stageLabel_->setText(tr("Saved %1").arg(path));
  return true;
}

bool MainWindow::exportAllSteps(const QString& dir, const QString& format, int bitDepth) {
  if (strip_->stepCount() == 0) {
    showError(tr("Nothing to export"), tr("Run a zoom first."));
    return false;
  }
  QString err;
  if (!engine_.exportZoom(dir, format, bitDepth, &err)) {
    showError(tr("Export failed"), err);
    return false;
  }
  stageLabel_->setText(tr("Exported %1 steps, the strip and steps.json to %2").arg(strip_->stepCount() + 1).arg(dir));
  return true;
}

void MainWindow::exportViewDialog() {
  const QString f = QFileDialog::getSaveFileName(this, tr("Export View"), settings_.value(Settings::Key::LastDir).toString(),
                                                 tr("PNG (*.png);;JPEG (*.jpg);;WebP (*.webp);;TIFF (*.tif)"));
  if (!f.isEmpty()) exportView(QFileInfo(f).suffix().isEmpty() ? f + ".png" : f);
}

void MainWindow::exportAllDialog() {
  if (strip_->stepCount() == 0) {
    showError(tr("Nothing to export"), tr("Run a zoom first."));
    return;
  }
  const QStringList formats = {tr("PNG, 8-bit"), tr("PNG, 16-bit"), tr("JPEG"), tr("WebP"), tr("TIFF, 8-bit"), tr("TIFF, 16-bit")};
  const QStringList ext = {"png", "png", "jpg", "webp", "tif", "tif"};
  const int bits[] = {8, 16, 8, 8, 8, 16};
  bool ok = false;
  const QString choice = QInputDialog::getItem(this, tr("Export All Steps"), tr("Format:"), formats,
                                               settings_.value(Settings::Key::BitDepth).toInt() == 16 ? 1 : 0, false, &ok);
  if (!ok) return;
  const int i = static_cast<int>(formats.indexOf(choice));
  const QString d = QFileDialog::getExistingDirectory(this, tr("Export All Steps To"), settings_.value(Settings::Key::LastDir).toString());
  if (d.isEmpty()) return;
  settings_.setValue(Settings::Key::BitDepth, bits[i]);
  exportAllSteps(d, ext[i], bits[i]);
}

void MainWindow::exportVideoDialog() {
  if (engine_.flightMaxMagnification() <= 1) {
    showError(tr("Nothing to export"), tr("Run a zoom first; the video flies through its steps."));
    return;
  }
  QDialog d(this);
  d.setWindowTitle(tr("Export Zoom Video"));
  auto* form = new QFormLayout(&d);
  auto* fps = new QSpinBox;
  fps->setRange(1, 120);
  fps->setValue(30);
  auto* secs = new QDoubleSpinBox;
  secs->setRange(1, 600);
  secs->setValue(8);
  secs->setSuffix(tr(" s"));
  auto* size = new QComboBox;
  for (const QSize& sz : {QSize(1920, 1080), QSize(1280, 720), QSize(3840, 2160), QSize(1080, 1080), QSize(720, 720)})
    size->addItem(QStringLiteral("%1 × %2").arg(sz.width()).arg(sz.height()), sz);
  auto* ease = new QComboBox;
  ease->addItem(tr("Slow start and end"), QStringLiteral("in-out"));
  ease->addItem(tr("Constant speed"), QStringLiteral("linear"));
  form->addRow(tr("Frames per second:"), fps);
  form->addRow(tr("Length:"), secs);
  form->addRow(tr("Size:"), size);
  form->addRow(tr("Pace:"), ease);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, &d, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &d, &QDialog::reject);
  if (d.exec() != QDialog::Accepted) return;
  QString f = QFileDialog::getSaveFileName(this, tr("Export Zoom Video"), settings_.value(Settings::Key::LastDir).toString(),
                                           tr("MP4 video (*.mp4);;AVI video (*.avi);;Animated GIF (*.gif)"));
  if (f.isEmpty()) return;
  if (QFileInfo(f).suffix().isEmpty()) f += QStringLiteral(".mp4");
  VideoSpec v;
  v.path = f;
  v.fps = fps->value();
  v.seconds = secs->value();
  v.size = size->currentData().toSize();
  v.ease = ease->currentData().toString();
  exportVideo(v);
}

bool MainWindow::exportVideo(const VideoSpec& video) {
  if (running_ || engine_.busy()) return false;
  if (engine_.flightMaxMagnification() <= 1) {
    showError(tr("Nothing to export"), tr("Run a zoom first; the video flies through its steps."));
    return false;
  }
  JobSpec spec = runningSpec_;
  spec.mode = JobSpec::Mode::Video;
  spec.video = video;
  const JobSpec zoomSpec = runningSpec_;  // the run the video shows stays the one re-runs start from
  connect(this, &MainWindow::jobFinished, this, [this, zoomSpec] { runningSpec_ = zoomSpec; }, Qt::SingleShotConnection);
  startJob(spec, tr("Writing the zoom video…"));
  return true;
}

void MainWindow::openRecipeDialog() {
  const QString f = QFileDialog::getOpenFileName(this, tr("Open Recipe"), settings_.value(Settings::Key::LastDir).toString(),
                                                 tr("Images written by CoZ (*.png *.jpg *.jpeg *.webp *.tif *.tiff);;All files (*)"));
  if (!f.isEmpty()) openRecipe(f);
}

bool MainWindow::openRecipe(const QString& imagePath) {
  if (running_) {
    showError(tr("A job is running"), tr("Cancel the running job before opening a recipe."));
    return false;
  }
  JobSpec spec;
  QString err;
  if (!engine_.readRecipe(imagePath, &spec, &err)) {
    showError(tr("Cannot open the recipe"), err);
    return false;
  }
  const bool haveInput = !spec.imagePath.isEmpty() && openImage(spec.imagePath);
  const QStringList skipped = panel_->applySpec(spec);
  recipeChanges_ = spec.changes;
  if (haveInput && spec.mode == JobSpec::Mode::Zoom) {
    point_ = QPointF(spec.center.x() * image_.width(), spec.center.y() * image_.height());
    updatePlan();
  }
  QString msg = haveInput ? tr("Loaded the recipe of %1 and its input %2. Run repeats it.").arg(QFileInfo(imagePath).fileName(), spec.imagePath)
                          : tr("Loaded the settings of %1's recipe; its input image was not found: open it to run.")
                                .arg(QFileInfo(imagePath).fileName());
  if (!skipped.isEmpty()) msg += QLatin1Char(' ') + tr("Not available here: %1.").arg(skipped.join(QStringLiteral(", ")));
  stageLabel_->setText(msg);
  return true;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasUrls() || e->mimeData()->hasImage()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
  const QMimeData* m = e->mimeData();
  // Several files, or a folder: the batch queue.
  QStringList paths;
  bool folder = false;
  for (const QUrl& u : m->urls())
    if (u.isLocalFile()) {
      paths << u.toLocalFile();
      folder = folder || QFileInfo(u.toLocalFile()).isDir();
    }
  if (paths.size() > 1 || folder) {
    e->acceptProposedAction();
    openBatch(paths);
    return;
  }
  for (const QUrl& u : m->urls())
    if (u.isLocalFile()) {
      e->acceptProposedAction();
      openImage(u.toLocalFile());
      return;
    }
  if (m->hasImage()) {
    e->acceptProposedAction();
    setImage(qvariant_cast<QImage>(m->imageData()).convertToFormat(QImage::Format_RGB888), tr("Dropped image"));
    return;
  }
  showError(tr("Cannot open the drop"), tr("Drop an image file from your computer."));
}

BatchPanel* MainWindow::openBatch(const QStringList& paths) {
  if (!batch_) {
    batch_ = new BatchPanel(engine_, [this] { return currentSpec(); });
    auto* dock = new QDockWidget(tr("Batch queue"), this);
    dock->setObjectName(QStringLiteral("batchDock"));
    dock->setWidget(batch_);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    connect(batch_, &BatchPanel::batchFinished, this, [this](int done, int failed) {
      statusBar()->showMessage(tr("Batch finished: %1 done, %2 failed.").arg(done).arg(failed));
    });
  }
  if (const int n = batch_->addPaths(paths); n == 0)
    showError(tr("Nothing to queue"), tr("No PNG, JPEG, WebP, TIFF or BMP files in what was dropped."));
  qobject_cast<QDockWidget*>(batch_->parentWidget())->show();
  return batch_;
}

void MainWindow::closeEvent(QCloseEvent* e) {
  if (engine_.busy()) engine_.cancel();
  if (store_ && store_->busy()) store_->cancel();  // resumes where it stopped next time
  settings_.setValue(Settings::Key::Geometry, saveGeometry());
  settings_.sync();
  e->accept();
}

}  // namespace coz::ui
