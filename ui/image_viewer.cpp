#include "image_viewer.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace coz::ui {

ImageViewer::ImageViewer(QWidget* parent) : QWidget(parent) {
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(true);
  setMinimumSize(320, 240);
  setAttribute(Qt::WA_OpaquePaintEvent);
  setAcceptDrops(false);  // the main window takes drops
}

double ImageViewer::dpr() const { return devicePixelRatioF(); }

void ImageViewer::setImage(const QImage& image, bool keepView) {
  const bool sameSize = image.size() == a_.size();
  a_ = image;
  if (!keepView || !sameSize) fit_ = true;
  if (fit_) fitToWindow();
  update();
}

void ImageViewer::setCompare(const QImage& other, const QString& leftLabel, const QString& rightLabel) {
  b_ = other.isNull() ? QImage() : (other.size() == a_.size() ? other : other.scaled(a_.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
  labelA_ = leftLabel;
  labelB_ = rightLabel;
  update();
}

void ImageViewer::flipCompare() {
  if (b_.isNull()) return;
  std::swap(a_, b_);
  std::swap(labelA_, labelB_);
  update();
}

void ImageViewer::setSplit(double f) {
  split_ = std::clamp(f, 0.0, 1.0);
  update();
}

void ImageViewer::setPlan(const QVector<QRectF>& regions, const QPointF& point) {
  plan_ = regions;
  point_ = point;
  update();
}

QPointF ImageViewer::widgetToImage(const QPointF& p) const { return (p - offset_) * dpr() / zoom_; }
QPointF ImageViewer::imageToWidget(const QPointF& p) const { return p * zoom_ / dpr() + offset_; }

void ImageViewer::setZoom(double z, const QPointF& anchorIn) {
  if (a_.isNull()) return;
  z = std::clamp(z, 0.01, 64.0);
  const QPointF anchor = anchorIn.x() < 0 ? QPointF(width() / 2.0, height() / 2.0) : anchorIn;
  const QPointF img = widgetToImage(anchor);
  zoom_ = z;
  offset_ = anchor - img * zoom_ / dpr();
  fit_ = false;
  clampOffset();
  update();
  Q_EMIT zoomChanged(zoom_);
}

void ImageViewer::fitToWindow() {
  fit_ = true;
  if (a_.isNull()) return;
  const double w = width() * dpr(), h = height() * dpr();
  zoom_ = std::min(w / a_.width(), h / a_.height());
  offset_ = QPointF((width() - a_.width() * zoom_ / dpr()) / 2, (height() - a_.height() * zoom_ / dpr()) / 2);
  update();
  Q_EMIT zoomChanged(zoom_);
}

void ImageViewer::actualSize() { setZoom(1.0); }

void ImageViewer::clampOffset() {
  // Keep at least a quarter of the view covered by the image.
  const double iw = a_.width() * zoom_ / dpr(), ih = a_.height() * zoom_ / dpr();
  const double mx = width() * 0.75, my = height() * 0.75;
  offset_.setX(std::clamp(offset_.x(), std::min(0.0, width() - iw) - mx + std::min(mx, iw), std::max(0.0, width() - iw) + mx - std::min(mx, iw)));
  offset_.setY(std::clamp(offset_.y(), std::min(0.0, height() - ih) - my + std::min(my, ih), std::max(0.0, height() - ih) + my - std::min(my, ih)));
}

void ImageViewer::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().color(QPalette::Dark));
  if (a_.isNull()) {
    p.setPen(palette().color(QPalette::BrightText));
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    p.setFont(f);
    p.drawText(rect(), Qt::AlignCenter, tr("Drop an image here, open one (Ctrl+O) or paste (Ctrl+V)"));
    return;
  }
  // Smooth when shrinking or mildly enlarging; crisp pixels when zoomed far in.
  p.setRenderHint(QPainter::SmoothPixmapTransform, zoom_ < 3.0);
  const QRectF target(offset_, QSizeF(a_.width() * zoom_ / dpr(), a_.height() * zoom_ / dpr()));
  if (b_.isNull()) {
    p.drawImage(target, a_);
  } else {
    const double sx = width() * split_;
    p.save();
    p.setClipRect(QRectF(0, 0, sx, height()));
    p.drawImage(target, a_);
    p.setClipRect(QRectF(sx, 0, width() - sx, height()));
    p.drawImage(target, b_);
    p.restore();
    p.setPen(QPen(Qt::white, 2));
    p.drawLine(QPointF(sx, 0), QPointF(sx, height()));
    p.setBrush(Qt::white);
    p.drawEllipse(QPointF(sx, height() / 2.0), 7, 7);
    auto label = [&](const QString& t, bool left) {
      if (t.isEmpty()) return;
      const QRect r = p.fontMetrics().boundingRect(t).adjusted(-6, -3, 6, 3);
      QRect box(left ? 10 : width() - r.width() - 10, 10, r.width(), r.height());
      p.fillRect(box, QColor(0, 0, 0, 160));
      p.setPen(Qt::white);
      p.drawText(box, Qt::AlignCenter, t);
    };
    label(labelA_, true);
    label(labelB_, false);
  }
  // The zoom plan: nested regions, brighter for deeper steps, with their magnification.
  for (int i = 0; i < plan_.size(); ++i) {
    const QRectF r(imageToWidget(plan_[i].topLeft()), imageToWidget(plan_[i].bottomRight()));
    const QColor c = QColor::fromHsvF(0.12 - 0.012 * i, 0.85, 1.0);
    p.setPen(QPen(QColor(0, 0, 0, 140), 3));
    p.setBrush(Qt::NoBrush);
    p.drawRect(r);
    p.setPen(QPen(c, 1.5));
    p.drawRect(r);
    if (r.width() > 24) {
      const QString t = QStringLiteral("×%1").arg(std::pow(4.0, i + 1), 0, 'f', 0);
      p.setPen(c);
      p.drawText(r.topLeft() + QPointF(3, -4), t);
    }
  }
  if (point_.x() >= 0) {
    const QPointF c = imageToWidget(point_);
    p.setPen(QPen(QColor(0, 0, 0, 160), 3));
    p.drawLine(c - QPointF(9, 0), c + QPointF(9, 0));
    p.drawLine(c - QPointF(0, 9), c + QPointF(0, 9));
    p.setPen(QPen(QColor(255, 80, 80), 1.5));
    p.drawLine(c - QPointF(9, 0), c + QPointF(9, 0));
    p.drawLine(c - QPointF(0, 9), c + QPointF(0, 9));
  }
  if (drag_ == Drag::Box) {
    p.setPen(QPen(Qt::white, 1, Qt::DashLine));
    p.setBrush(QColor(255, 255, 255, 40));
    p.drawRect(QRectF(imageToWidget(box_.topLeft()), imageToWidget(box_.bottomRight())));
  }
}

void ImageViewer::wheelEvent(QWheelEvent* e) {
  const double steps = e->angleDelta().y() / 120.0;
  if (flight_) {
    Q_EMIT flightWheel(steps);
    e->accept();
    return;
  }
  setZoom(zoom_ * std::pow(1.25, steps), e->position());
  e->accept();
}

void ImageViewer::mousePressEvent(QMouseEvent* e) {
  pressPos_ = lastPos_ = e->position();
  moved_ = false;
  if (e->button() != Qt::LeftButton && e->button() != Qt::MiddleButton) return;
  if (!b_.isNull() && std::abs(e->position().x() - width() * split_) < 10) drag_ = Drag::Split;
  else if (e->button() == Qt::LeftButton && (e->modifiers() & Qt::ShiftModifier) && pointEditable_ && b_.isNull()) {
    drag_ = Drag::Box;
    box_ = QRectF(widgetToImage(e->position()), QSizeF());
  } else if (e->button() == Qt::LeftButton && pointEditable_ && b_.isNull() && !plan_.isEmpty() &&
             plan_.front().contains(widgetToImage(e->position()))) {
    drag_ = Drag::Point;  // drag the first rectangle: the zoom point follows
  } else drag_ = Drag::Pan;
}

void ImageViewer::mouseMoveEvent(QMouseEvent* e) {
  if (!b_.isNull()) setCursor(std::abs(e->position().x() - width() * split_) < 10 ? Qt::SplitHCursor : Qt::ArrowCursor);
  if (drag_ == Drag::None) return;
  if ((e->position() - pressPos_).manhattanLength() > 4) moved_ = true;
  if (drag_ == Drag::Point) {
    if (!moved_) return;
    const QPointF start = widgetToImage(lastPos_), now = widgetToImage(e->position());
    lastPos_ = e->position();
    const QPointF p = point_ + (now - start);
    Q_EMIT pointPicked(QPointF(std::clamp(p.x(), 0.0, double(a_.width())), std::clamp(p.y(), 0.0, double(a_.height()))));
    return;
  }
  if (drag_ == Drag::Split) setSplit(e->position().x() / std::max(1, width()));
  else if (drag_ == Drag::Pan) {
    offset_ += e->position() - lastPos_;
    fit_ = false;
    clampOffset();
    update();
  } else if (drag_ == Drag::Box) {
    box_.setBottomRight(widgetToImage(e->position()));
    update();
  }
  lastPos_ = e->position();
}

void ImageViewer::mouseReleaseEvent(QMouseEvent* e) {
  const Drag d = drag_;
  drag_ = Drag::None;
  if (a_.isNull()) return;
  if (d == Drag::Box && moved_) {
    const QRectF b = box_.normalized().intersected(QRectF(QPointF(0, 0), QSizeF(a_.size())));
    if (b.width() >= 1 && b.height() >= 1) Q_EMIT boxPicked(b);
    update();
    return;
  }
  if (!moved_ && e->button() == Qt::LeftButton && pointEditable_ && b_.isNull()) {
    const QPointF ip = widgetToImage(e->position());
    if (ip.x() >= 0 && ip.y() >= 0 && ip.x() <= a_.width() && ip.y() <= a_.height()) Q_EMIT pointPicked(ip);
  }
}

void ImageViewer::keyPressEvent(QKeyEvent* e) {
  switch (e->key()) {
    case Qt::Key_Plus: case Qt::Key_Equal: setZoom(zoom_ * 1.25); break;
    case Qt::Key_Minus: setZoom(zoom_ / 1.25); break;
    case Qt::Key_0: case Qt::Key_F: fitToWindow(); break;
    case Qt::Key_1: actualSize(); break;
    case Qt::Key_Left: offset_ += QPointF(40, 0); fit_ = false; clampOffset(); update(); break;
    case Qt::Key_Right: offset_ -= QPointF(40, 0); fit_ = false; clampOffset(); update(); break;
    case Qt::Key_Up: offset_ += QPointF(0, 40); fit_ = false; clampOffset(); update(); break;
    case Qt::Key_Down: offset_ -= QPointF(0, 40); fit_ = false; clampOffset(); update(); break;
    default: QWidget::keyPressEvent(e); return;
  }
  e->accept();
}

void ImageViewer::resizeEvent(QResizeEvent*) {
  if (fit_) fitToWindow();
}

}  // namespace coz::ui
