// The picture in the middle: smooth zoom and pan, the zoom plan drawn over the image, click (or
// Shift+drag a box) to choose the zoom point, and a split-view compare of two images.
#pragma once
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QVector>
#include <QWidget>

namespace coz::ui {

class ImageViewer : public QWidget {
  Q_OBJECT
 public:
  explicit ImageViewer(QWidget* parent = nullptr);

  void setImage(const QImage& image, bool keepView = false);
  const QImage& image() const { return a_; }
  // Split view: `a_` on the left of the divider, `other` on the right. Null `other` ends compare.
  void setCompare(const QImage& other, const QString& leftLabel, const QString& rightLabel);
  bool comparing() const { return !b_.isNull(); }
  void flipCompare();                         // swap the two sides
  void setSplit(double fraction);             // 0..1 of the widget width
  double split() const { return split_; }

  // Overlays in image pixel coordinates; empty to hide.
  void setPlan(const QVector<QRectF>& regions, const QPointF& point);
  void setPointEditable(bool on) { pointEditable_ = on; }
  // Zoom flight: the wheel asks for another magnification (flightWheel) instead of zooming the view.
  void setFlightMode(bool on) { flight_ = on; }
  bool flightMode() const { return flight_; }

  double zoom() const { return zoom_; }       // device pixels per image pixel
  void setZoom(double z, const QPointF& anchorWidget = QPointF(-1, -1));
  void fitToWindow();
  void actualSize();                          // 100%: one image pixel per device pixel
  QPointF widgetToImage(const QPointF& p) const;
  QPointF imageToWidget(const QPointF& p) const;

 Q_SIGNALS:
  void pointPicked(QPointF imagePos);
  void boxPicked(QRectF imageBox);
  void zoomChanged(double zoom);
  void flightWheel(double notches);  // flight mode: + zooms in

 protected:
  void paintEvent(QPaintEvent*) override;
  void wheelEvent(QWheelEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;
  void keyPressEvent(QKeyEvent*) override;
  void resizeEvent(QResizeEvent*) override;

 private:
  double dpr() const;
  void clampOffset();
  QImage a_, b_;
  QString labelA_, labelB_;
  QVector<QRectF> plan_;
  QPointF point_{-1, -1};
  bool pointEditable_ = true;
  double zoom_ = 1.0;       // device pixels per image pixel
  QPointF offset_;          // widget position (logical px) of the image's top-left
  bool fit_ = true;
  double split_ = 0.5;
  enum class Drag { None, Pan, Split, Box, Point } drag_ = Drag::None;
  bool flight_ = false;
  QPointF pressPos_, lastPos_;
  bool moved_ = false;
  QRectF box_;
};

}  // namespace coz::ui
