// One thumbnail per finished zoom step, labelled with its magnification and prompt.
#pragma once
#include <QListWidget>

#include "engine.h"

namespace coz::ui {

class StepStrip : public QListWidget {
  Q_OBJECT
 public:
  explicit StepStrip(QWidget* parent = nullptr);
  void clearSteps();
  void addStep(const StepData& s);
  int stepCount() const { return count(); }
  const StepData& stepAt(int row) const { return steps_.at(row); }
  const QList<StepData>& steps() const { return steps_; }

 Q_SIGNALS:
  void stepActivated(int row);

 private:
  QList<StepData> steps_;
};

}  // namespace coz::ui
