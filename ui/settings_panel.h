// The side panel: the job's settings (mode, steps or scale, backbone, prompt, recursion, colour
// fix, device, advanced), the plan summary and Run/Cancel. Values persist through Settings.
#pragma once
#include <QWidget>

#include "engine.h"
#include "settings.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QGroupBox;
class QToolButton;

namespace coz::ui {

class SettingsPanel : public QWidget {
  Q_OBJECT
 public:
  SettingsPanel(Settings& settings, const QList<ModelEntry>& models, const QStringList& devices,
                QWidget* parent = nullptr);
  void fillSpec(JobSpec& spec) const;  // every setting except the image and the point
  void setSummary(const QString& text, bool error);
  void setRunning(bool running);
  void setCanRun(bool can);
  void setModels(const QList<ModelEntry>& models);  // refresh availability, keep the choice
  void setPromptSources(const QList<ModelEntry>& sources);  // enable the generated-prompt modes there are
  Sd3Files sd3Files() const;

  // For tests and the main window.
  QSpinBox* stepsBox() const { return steps_; }
  QDoubleSpinBox* scaleBox() const { return scale_; }
  QRadioButton* zoomMode() const { return zoomMode_; }
  QRadioButton* upscaleMode() const { return upscaleMode_; }
  QComboBox* modelBox() const { return model_; }
  QGroupBox* sd3Group() const { return sd3Group_; }
  QToolButton* modelFilesButton() const { return modelFiles_; }
  QComboBox* promptModeBox() const { return promptMode_; }
  QSpinBox* processSizeBox() const { return processSize_; }
  QPushButton* runButton() const { return run_; }
  QPushButton* cancelButton() const { return cancel_; }
  QLabel* summaryLabel() const { return summary_; }

 Q_SIGNALS:
  void specChanged();
  void runRequested();
  void cancelRequested();
  void sd3FilesChanged();

 private:
  void load();
  void save();
  void updateVisibility();
  Settings& settings_;
  QRadioButton *zoomMode_, *upscaleMode_;
  QSpinBox *steps_, *processSize_, *tile_, *seed_;
  QDoubleSpinBox* scale_;
  QLabel *stepsInfo_, *summary_;
  QComboBox *model_, *promptMode_, *recursion_, *colorFix_, *device_, *precision_;
  QLineEdit *prompt_, *sd3Folder_, *sd3Lora_, *sd3VaeLora_;
  QCheckBox* sd3NoT5_;
  QGroupBox* sd3Group_;        // the sd3-osediff files: shown while that backbone is chosen ...
  QToolButton* modelFiles_;    // ... or on request, to point at the files before it is installed
  QPushButton *run_, *cancel_;
  QFormLayout *form_, *advForm_;
  bool loading_ = false;
};

}  // namespace coz::ui
