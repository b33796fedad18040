// The original (×1) first, then one thumbnail per finished zoom step, each labelled with its
// magnification and prompt. Step indices exclude the original: stepAt(0) is zoom step 1.
#pragma once
#include <QListWidget>

#include "engine.h"

namespace coz::ui {

class StepStrip : public QListWidget {
  Q_OBJECT
 public:
  explicit StepStrip(QWidget* parent = nullptr);
  void clearSteps();
  void setOriginal(const StepData& s);  // step 0: the picture the chain starts from
  void addStep(const StepData& s);
  bool hasOriginal() const { return hasOriginal_; }
  int stepCount() const { return steps_.size(); }
  void selectStep(int index);  // -1: the original
  const StepData& stepAt(int row) const { return steps_.at(row); }
  const QList<StepData>& steps() const { return steps_; }

  // Re-run from step `fromStep`: its steps from there on are marked "before", the steps added next
  // are the new version ("after"), and both stay until keepVersion.
  void markPrevious(int fromStep);
  bool comparingVersions() const { return previousFrom_ > 0; }
  int previousFrom() const { return previousFrom_; }
  bool isPrevious(int row) const;  // a step of the version a re-run replaces
  void keepVersion(bool newVersion);

 Q_SIGNALS:
  void stepActivated(int index);  // -1: the original

 private:
  QListWidgetItem* makeItem(const StepData& s, const QString& tip, const QString& version = {});
  QString tipOf(const StepData& s) const;
  int offset() const { return hasOriginal_ ? 1 : 0; }
  QList<StepData> steps_;
  QList<bool> previous_;  // per step: of the replaced version
  int previousFrom_ = 0;
  bool hasOriginal_ = false;
};

}  // namespace coz::ui
