// The engine behind the UI: the one place that converts coz::Image <-> QImage and runs jobs on a
// single worker thread (so GPU work is serialised), reporting through queued signals.
#pragma once
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <mutex>

#include "coz/upscale.h"
#include "coz/zoom.h"
#include "coz/zoom_flight.h"
#include "engine.h"

namespace coz {
class Engine;
}

namespace coz::studio {

class CozEngine : public coz::ui::Engine {
  Q_OBJECT
 public:
  explicit CozEngine(QObject* parent = nullptr);
  ~CozEngine() override;

  QList<coz::ui::ModelEntry> models() const override;
  QList<coz::ui::ModelEntry> promptSources() const override;
  QStringList devices() const override;
  QString aboutText() const override;
  coz::ui::LoadedImage loadImage(const QString& path) const override;
  QVector<QRectF> planRegions(const QSize& size, const coz::ui::JobSpec& spec, QString* error) const override;
  QSize upscaleSize(const QSize& size, const coz::ui::JobSpec& spec, QString* error) const override;
  bool saveImage(const QString& path, const QImage& image, int bitDepth, QString* error) const override;
  bool saveBytes(const QString& path, const QByteArray& bytes, QString* error) const override;
  bool exportZoom(const QString& dir, const QString& format, int bitDepth, QString* error) const override;
  bool saveResultImage(const QString& path, const QImage& image, int bitDepth, int recipeStep, QString* error) const override;
  bool readRecipe(const QString& imagePath, coz::ui::JobSpec* spec, QString* error) const override;
  double flightMaxMagnification() const override;
  QImage flightFrame(double magnification, const QSize& size) const override;
  void keepVersion(bool newVersion) override;
  void setSd3Files(const coz::ui::Sd3Files& files) override;
  void start(const coz::ui::JobSpec& spec) override;
  void cancel() override;
  bool busy() const override { return busy_.load(); }
  void waitForDone() { pool_.waitForDone(); }

 private:
  // The last finished zoom run, in the engine's own types, for Export All (written by the worker,
  // read by the GUI thread).
  struct LastZoom {
    coz::ZoomRequest request;
    coz::ZoomResult result;
    std::string input;
    double seconds = 0;
  };
  struct LastUpscale {
    coz::UpscaleRequest request;  // without its image
    std::string input;
    int width = 0, height = 0;
  };
  std::shared_ptr<const LastZoom> last() const;
  void runVideo(const coz::ui::JobSpec& spec, const RunControl& ctl);
  std::unique_ptr<coz::Engine> engine_;  // models load once and stay cached across jobs
  mutable std::mutex lastMu_;
  std::shared_ptr<const LastZoom> lastZoom_;
  std::shared_ptr<const LastZoom> previousZoom_;  // the version a re-run replaced, until one is kept
  std::shared_ptr<const LastUpscale> lastUpscale_;
  // The flight of lastZoom_, made on first use (GUI thread only).
  mutable std::shared_ptr<const LastZoom> flightOf_;
  mutable std::shared_ptr<const coz::ZoomFlight> flight_;
  QThreadPool pool_;
  std::atomic<bool> cancel_{false};
  std::atomic<bool> busy_{false};
};

}  // namespace coz::studio
