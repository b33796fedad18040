#include "step_strip.h"

#include <QPainter>
#include <QSignalBlocker>

#include <cmath>

namespace coz::ui {

StepStrip::StepStrip(QWidget* parent) : QListWidget(parent) {
  setViewMode(QListView::IconMode);
  setFlow(QListView::LeftToRight);
  setWrapping(false);
  setMovement(QListView::Static);
  setResizeMode(QListView::Adjust);
  setIconSize(QSize(112, 112));
  setSpacing(6);
  setUniformItemSizes(true);
  setWordWrap(true);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setFixedHeight(178);
  setGridSize(QSize(132, 156));
  QPalette p = palette();
  p.setColor(QPalette::Base, p.color(QPalette::Window).darker(112));
  setPalette(p);
  connect(this, &QListWidget::currentRowChanged, this, [this](int row) {
    if (row >= 0) Q_EMIT stepActivated(row - offset());
  });
}

void StepStrip::clearSteps() {
  steps_.clear();
  previous_.clear();
  previousFrom_ = 0;
  hasOriginal_ = false;
  clear();
}

void StepStrip::selectStep(int index) {
  const QSignalBlocker b(this);
  setCurrentRow(index + offset());
}

void StepStrip::setOriginal(const StepData& s) {
  QListWidgetItem* item = makeItem(s, tr("The starting picture (×1) around your zoom point, %1 × %2 px. Click to edit the zoom point.")
                                          .arg(s.output.width()).arg(s.output.height()));
  if (hasOriginal_) delete takeItem(0);
  insertItem(0, item);
  hasOriginal_ = true;
}

QString StepStrip::tipOf(const StepData& s) const {
  const QString mag = QStringLiteral("×%1").arg(std::pow(4.0, s.step), 0, 'f', 0);
  return tr("Step %1 of %2, magnification %3, %4 ms\nPrompt: %5")
      .arg(s.step).arg(s.steps).arg(mag).arg(s.ms, 0, 'f', 0).arg(s.prompt.isEmpty() ? tr("(none)") : s.prompt);
}

void StepStrip::addStep(const StepData& s) {
  steps_.append(s);
  previous_.append(false);
  QListWidgetItem* item = makeItem(s, tipOf(s), previousFrom_ > 0 ? tr("after") : QString());
  addItem(item);
  scrollToItem(item);
}

bool StepStrip::isPrevious(int row) const { return row >= 0 && row < previous_.size() && previous_.at(row); }

void StepStrip::markPrevious(int fromStep) {
  previousFrom_ = fromStep;
  for (int row = 0; row < steps_.size(); ++row) {
    if (steps_[row].step < fromStep) continue;
    previous_[row] = true;
    QListWidgetItem* old = item(row + offset());
    QListWidgetItem* marked = makeItem(steps_[row], tipOf(steps_[row]), tr("before"));
    marked->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
    old->setText(marked->text());
    old->setForeground(marked->foreground());
    delete marked;
  }
}

void StepStrip::keepVersion(bool newVersion) {
  if (previousFrom_ <= 0) return;
  const QList<StepData> all = steps_;
  const QList<bool> prev = previous_;
  const int from = previousFrom_;
  QListWidgetItem* original = hasOriginal_ ? takeItem(0) : nullptr;
  clear();
  steps_.clear();
  previous_.clear();
  previousFrom_ = 0;
  if (original) insertItem(0, original);
  for (int i = 0; i < all.size(); ++i)
    if (all[i].step < from || prev[i] != newVersion) addStep(all[i]);
}

QListWidgetItem* StepStrip::makeItem(const StepData& s, const QString& tip, const QString& version) {
  QPixmap thumb = QPixmap::fromImage(s.output.scaled(iconSize() * devicePixelRatioF(), Qt::KeepAspectRatio, Qt::SmoothTransformation));
  thumb.setDevicePixelRatio(devicePixelRatioF());
  const QString mag = QStringLiteral("×%1").arg(std::pow(4.0, s.step), 0, 'f', 0);
  QString prompt = s.prompt;
  if (prompt.size() > 18) prompt = prompt.left(17) + QChar(0x2026);
  QIcon icon;
  icon.addPixmap(thumb, QIcon::Normal);
  icon.addPixmap(thumb, QIcon::Selected);  // no highlight tint over the photo
  const QString head = version.isEmpty() ? mag : mag + QStringLiteral(" · ") + version;
  auto* item = new QListWidgetItem(icon, prompt.isEmpty() ? head : head + "\n" + prompt);
  item->setToolTip(tip);
  item->setTextAlignment(Qt::AlignHCenter | Qt::AlignTop);
  return item;
}

}  // namespace coz::ui
