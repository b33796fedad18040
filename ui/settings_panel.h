// The side panel: the job's settings (mode, steps or scale, backbone, prompt, recursion, colour
// fix, device, advanced), the plan summary and Run/Cancel. Values persist through Settings. With the
// model catalog (setModelRows) a backbone or prompt mode whose model is missing can still be chosen:
// the panel then offers its download and Run waits for it.
#pragma once
#include <QWidget>

#include "engine.h"
#include "model_store.h"
#include "settings.h"

class QButtonGroup;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace coz::ui {

class SettingsPanel : public QWidget {
  Q_OBJECT
 public:
  SettingsPanel(Settings& settings, const QList<ModelEntry>& models, const QStringList& devices,
                QWidget* parent = nullptr);
  void fillSpec(JobSpec& spec) const;  // every setting except the image and the point
  // The reverse (File > Open Recipe): sets every control a spec names; values the controls do not
  // offer (an unknown model or device) are left as they are and listed in the result.
  QStringList applySpec(const JobSpec& spec);
  void setSummary(const QString& text, bool error);
  void setRunning(bool running);
  void setCanRun(bool can);
  void setModels(const QList<ModelEntry>& models);  // refresh availability, keep the choice
  void setPromptSources(const QList<ModelEntry>& sources);  // enable the generated-prompt modes there are
  // The downloadable models (empty: none can be downloaded here, missing choices stay disabled).
  void setModelRows(const QList<ModelRow>& rows);
  QString offeredModel() const { return offered_; }  // the catalog id whose download is offered, or ""

  // For tests and the main window.
  QSpinBox* stepsBox() const { return steps_; }
  QDoubleSpinBox* scaleBox() const { return scale_; }
  QRadioButton* zoomMode() const { return zoomMode_; }
  QRadioButton* upscaleMode() const { return upscaleMode_; }
  QComboBox* modelBox() const { return model_; }
  QWidget* downloadOffer() const { return offer_; }
  QLabel* downloadOfferLabel() const { return offerLabel_; }
  QPushButton* downloadOfferButton() const { return offerButton_; }
  QComboBox* promptModeBox() const { return promptMode_; }
  QSpinBox* processSizeBox() const { return processSize_; }
  QPushButton* runButton() const { return run_; }
  QPushButton* cancelButton() const { return cancel_; }
  QLabel* summaryLabel() const { return summary_; }

 Q_SIGNALS:
  void specChanged();
  void runRequested();
  void cancelRequested();
  void downloadRequested(const QString& modelId);  // the offer's Download… was clicked

 private:
  void load();
  void save();
  void updateVisibility();
  void updateOffer();
  QString missingModel(QString* what) const;  // the catalog id the current choice still needs
  bool downloadable(const QString& backbone) const;
  Settings& settings_;
  QRadioButton *zoomMode_, *upscaleMode_;
  QSpinBox *steps_, *processSize_, *tile_, *seed_;
  QDoubleSpinBox* scale_;
  QLabel *stepsInfo_, *summary_;
  QComboBox *model_, *promptMode_, *recursion_, *colorFix_, *device_, *precision_;
  QLineEdit* prompt_;
  QWidget* offer_ = nullptr;           // "x is not installed. [Download…]", under the backbone and prompt
  QLabel* offerLabel_;
  QPushButton* offerButton_;
  QPushButton *run_, *cancel_;
  QFormLayout *form_, *advForm_;
  QList<ModelEntry> models_, sources_;
  QList<ModelRow> rows_;
  QString offered_;
  bool canRun_ = false;
  bool loading_ = false;
};

}  // namespace coz::ui
