// The batch queue: several dropped files (or a folder) run one after another with the settings of
// a single run, each written into an output folder (an upscaled image, or a zoom folder with its
// steps, strip and steps.json). Per-file state with thumbnails, overall progress, pause (after the
// current file) and cancel (now). A file that fails is marked with its error; the rest go on.
#pragma once
#include <QStringList>
#include <QWidget>

#include <functional>

#include "engine.h"

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace coz::ui {

class BatchPanel : public QWidget {
  Q_OBJECT
 public:
  enum class State { Waiting, Running, Done, Failed, Cancelled };
  // spec(): the settings of a single run (the image is filled in per file).
  BatchPanel(Engine& engine, std::function<JobSpec()> spec, QWidget* parent = nullptr);

  // Adds image files; folders are searched recursively. Returns how many files were added.
  int addPaths(const QStringList& paths);
  void setOutputDir(const QString& dir) { outputDir_ = dir; }
  const QString& outputDir() const { return outputDir_; }
  bool running() const { return running_; }
  int count() const;
  State state(int row) const;
  QString error(int row) const;
  QString outputOf(int row) const;  // the file or folder written for it
  QPushButton* startButton() const { return start_; }

  void start();   // asks for an output folder when none is set
  void pause();   // stops after the current file
  void cancel();  // cancels the current file and stops
  void clear();   // removes the finished and waiting rows (not while running)

 Q_SIGNALS:
  void batchFinished(int done, int failed);

 private:
  void next();
  void onProgress(const JobProgress& p);
  void onFinished(const JobOutcome& o);
  void setState(int row, State s, const QString& detail = {});
  void updateSummary();

  Engine& engine_;
  std::function<JobSpec()> spec_;
  QListWidget* list_;
  QProgressBar* progress_;
  QLabel* summary_;
  QPushButton *start_, *pause_, *cancel_, *clear_;
  QString outputDir_;
  bool running_ = false, pausing_ = false;
  int current_ = -1;
  JobSpec currentSpec_;
};

}  // namespace coz::ui
