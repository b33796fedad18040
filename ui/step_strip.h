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

 Q_SIGNALS:
  void stepActivated(int index);  // -1: the original

 private:
  QListWidgetItem* makeItem(const StepData& s, const QString& tip);
  int offset() const { return hasOriginal_ ? 1 : 0; }
  QList<StepData> steps_;
  bool hasOriginal_ = false;
};

}  // namespace coz::ui
