// The studio window: viewer, step strip, settings panel, menus, progress, export, and the Models
// dialog when there is a model store.
#pragma once
#include <QElapsedTimer>
#include <QMainWindow>
#include <QPointer>

#include "engine.h"
#include "settings.h"

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QMenu;
class QMessageBox;
class QProgressBar;

namespace coz::ui {

class BatchPanel;
class ImageViewer;
class ModelStore;
class ModelsDialog;
class SettingsPanel;
class StepStrip;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  // store may be null: then there is no Models dialog (its menu entry and toolbar action are hidden).
  MainWindow(Engine& engine, Settings& settings, ModelStore* store = nullptr, QWidget* parent = nullptr);
  ~MainWindow() override;

  bool openImage(const QString& path);           // false: an error message is shown
  bool setImage(const QImage& image, const QString& name, int bitDepth = 8);
  void setZoomPoint(const QPointF& imagePos);
  void run();
  void cancel();
  void showModels(const QString& focusId = {});  // opens the one Models dialog (needs a store)
  bool exportView(const QString& path);
  // format: png, jpg, webp or tif; bitDepth 16 for png/tif.
  bool exportAllSteps(const QString& dir, const QString& format = QStringLiteral("png"), int bitDepth = 8);
  // Queues image files and folders in the batch panel (shown at the bottom; made on first use).
  BatchPanel* openBatch(const QStringList& paths);

  // Steering: re-run the last zoom from step `fromStep` with these changes (both versions stay in
  // the strip until keepVersion). False (with an error shown) when there is nothing to re-run.
  bool rerun(int fromStep, const QVector<StepChange>& changes);
  void keepVersion(bool newVersion);
  // The zoom flight through the finished run: on/off, and the magnification shown (1..4^N).
  bool setFlight(bool on);
  void setFlightMagnification(double m);
  double flightMagnification() const { return flightMag_; }
  // Export > Zoom Video: starts writing it (progress and cancel like a run).
  bool exportVideo(const VideoSpec& video);
  // File > Open Recipe: the settings (and, where found, the input) an image's recipe records.
  bool openRecipe(const QString& imagePath);

  // For tests.
  ImageViewer* viewer() const { return viewer_; }
  StepStrip* strip() const { return strip_; }
  SettingsPanel* panel() const { return panel_; }
  ModelsDialog* modelsDialog() const { return modelsDialog_; }  // null until first shown
  BatchPanel* batchPanel() const { return batch_; }            // null until first used
  QAction* modelsAction() const { return modelsAction_; }
  QLineEdit* stepPromptEdit() const { return steerPrompt_; }
  QComboBox* stepModeBox() const { return steerMode_; }
  QPushButton* rerunButton() const { return rerun_; }
  QWidget* keepBar() const { return keepBar_; }
  QSlider* flightSlider() const { return flightSlider_; }
  QPointF nextStepPoint() const { return nextPoint_; }
  const QString& lastError() const { return lastError_; }
  QVector<QRectF> planRegions() const { return plan_; }
  bool running() const { return running_; }
  JobSpec currentSpec() const;

 Q_SIGNALS:
  void jobFinished(bool ok, bool cancelled);

 protected:
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;
  void closeEvent(QCloseEvent* e) override;

 private:
  void buildMenus();
  void updatePlan();
  void refreshModels();
  void updateRecentMenu();
  void showError(const QString& title, const QString& text);
  void showStep(int row);
  void toggleCompareInput();
  void onProgress(const JobProgress& p);
  void onStep(const StepData& s);
  void onFinished(const JobOutcome& o);
  void pasteImage();
  void openDialog();
  void exportViewDialog();
  void exportAllDialog();
  void exportVideoDialog();
  void openRecipeDialog();
  void buildSteerBar(QWidget* into);
  void updateSteerBar();
  void rerunShownStep();
  // Every job (run, re-run, video) starts here: busy state, progress bar, status text.
  void startJob(const JobSpec& spec, const QString& status);
  void renderFlight();
  void showNextCrop();
  QString stageText(const JobProgress& p) const;
  QString errorHeadline(ErrorKind kind) const;

  Engine& engine_;
  Settings& settings_;
  ModelStore* store_;
  ModelsDialog* modelsDialog_ = nullptr;
  BatchPanel* batch_ = nullptr;
  QAction* modelsAction_ = nullptr;
  ImageViewer* viewer_;
  StepStrip* strip_;
  SettingsPanel* panel_;
  QLabel *stageLabel_, *etaLabel_;
  QProgressBar* progress_;
  QMenu* recentMenu_ = nullptr;
  QPointer<QMessageBox> errorBox_;

  QImage image_;
  QString imageName_;
  int bitDepth_ = 8;
  QPointF point_{-1, -1};
  QVector<QRectF> plan_;
  bool running_ = false;
  JobSpec runningSpec_;
  QElapsedTimer clock_;
  QImage result_;        // Upscale result
  int resultBitDepth_ = 8;
  StepData start_;       // step 0 (the starting crop); the strip holds steps 1..n
  int shownStep_ = -1;
  int compareStep_ = -1;
  bool compareInput_ = false;
  QString lastError_;

  QWidget *steerBar_ = nullptr, *keepBar_ = nullptr, *flightBar_ = nullptr;
  QLabel *steerLabel_ = nullptr, *flightLabel_ = nullptr;
  QLineEdit* steerPrompt_ = nullptr;
  QComboBox* steerMode_ = nullptr;
  QPushButton* rerun_ = nullptr;
  QSlider* flightSlider_ = nullptr;
  QAction* flightAction_ = nullptr;
  double flightMag_ = 1;
  QPointF nextPoint_{-1, -1};      // the moved zoom point of the step after the shown one (fractions)
  int rerunFrom_ = 0;              // a re-run is running (or waits to be kept) from this step
  QVector<StepChange> recipeChanges_;  // step changes of an opened recipe, for the next run
};

}  // namespace coz::ui
