// What the UI needs from the engine, in Qt types only (ui/ never sees LibTorch or OpenCV).
// app/studio/engine_adapter.cpp implements it over the coz core.
#pragma once
#include <QImage>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointF>
#include <QRectF>
#include <QSize>
#include <QString>
#include <QVector>

namespace coz::ui {

struct ModelEntry {
  QString id;
  QString description;
  bool installed = false;
  QString installHint;  // how to get it when missing
};

// A change the user made to one step of a zoom chain (steering; coz::StepOverride).
struct StepChange {
  int step = 0;                 // 1..N
  bool hasPrompt = false;
  QString prompt;               // with hasPrompt: this exact prompt at the step
  QString promptMode;           // not empty: the step's prompt from this mode instead
  QPointF point{-1, -1};        // >= 0: the step's zoom point, fractions of the image it crops
};

struct VideoSpec {
  QString path;                 // .mp4, .avi or .gif
  double fps = 30;
  double seconds = 8;
  QSize size{1920, 1080};
  QString ease = QStringLiteral("in-out");  // in-out|linear
};

struct JobSpec {
  enum class Mode { Zoom, Upscale, Video };
  Mode mode = Mode::Zoom;
  // Zoom: the changes of single steps, and (> 0) re-running the last zoom run from this step: its
  // steps before it are kept, the rest are computed again; both versions stay until one is kept.
  QVector<StepChange> changes;
  int fromStep = 0;
  VideoSpec video;              // Video: the fly-through of the last zoom run
  QString imagePath;      // for the record (steps.json)
  QImage image;           // the loaded picture (RGB888, RGBA8888, or RGBA64 for 16-bit sources)
  int bitDepth = 8;
  QPointF center{0.5, 0.5};  // zoom point as fractions of width and height
  int steps = 4;
  QString recursion = "recursive";
  int processSize = 512;
  double scale = 4.0;
  QString model = "esrgan-thick";
  QString promptMode = "null";  // null|custom|dape|vlm
  QString prompt;
  QString colorFix = "none";
  QString device = "cpu";
  QString precision = "auto";
  int tile = 128;
  qint64 seed = 0;
};

// What a job is doing (the engine's coz::Stage, mirrored here so ui/ stays free of the engine).
enum class Stage { LoadingModel, Prompt, ZoomStep, UpscalePass, Resizing, ColorFix, VaeEncode, VaeDecode, Writing, Download, VideoFrame };

// Which sort of failure ended a job (coz::ErrorKind); the window shows a translated headline for it.
enum class ErrorKind { None, InvalidInput, ModelLoad, OutOfMemory, Internal };

struct JobProgress {
  Stage stage = Stage::LoadingModel;
  int step = 0, steps = 0, tile = 0, tiles = 0;
};

struct StepData {
  int step = 0, steps = 0;
  QImage input;   // the upscaled crop the step started from
  QImage output;
  QString prompt;
  double ms = 0;
  QRectF region;  // the step's region in the original image (pixels)
  int sourceStep = 0;  // the step whose image this one was cropped from
  QRectF crop;         // ... and where, in that image's pixels
  bool reused = false; // kept from the run this one re-ran
};

struct JobOutcome {
  bool ok = false;
  bool cancelled = false;
  ErrorKind errorKind = ErrorKind::None;
  QString error;          // user-facing detail from the engine (names the file or value)
  QImage upscaled;        // Upscale mode result
  int upscaledBitDepth = 8;
  double seconds = 0;
};

// Where the sd3-osediff backbone finds its files (empty: the defaults, see README).
struct Sd3Files {
  QString folder, lora, vaeLora;
  bool noT5 = false;
};

struct LoadedImage {
  QImage image;
  int bitDepth = 8;
  QString error;  // non-empty: not loaded
};

class Engine : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  virtual QList<ModelEntry> models() const = 0;
  // The registered prompt sources by mode id ("null", "dape", "vlm"); modes without one are absent.
  virtual QList<ModelEntry> promptSources() const = 0;
  virtual QStringList devices() const = 0;
  virtual QString aboutText() const = 0;  // versions, backends, device
  virtual LoadedImage loadImage(const QString& path) const = 0;
  // The regions of every zoom step in the image (empty + error when the spec is invalid).
  virtual QVector<QRectF> planRegions(const QSize& size, const JobSpec& spec, QString* error) const = 0;
  virtual QSize upscaleSize(const QSize& size, const JobSpec& spec, QString* error) const = 0;
  virtual bool saveImage(const QString& path, const QImage& image, int bitDepth, QString* error) const = 0;
  virtual bool saveBytes(const QString& path, const QByteArray& bytes, QString* error) const = 0;
  // Writes the last zoom run's step images, strip and steps.json into dir with the engine's one
  // export writer (the same bytes as `coz zoom`). format: png|jpg|webp|tif|bmp.
  virtual bool exportZoom(const QString& dir, const QString& format, int bitDepth, QString* error) const = 0;

  // The same, for the image of zoom step `recipeStep` (-1: the strip) or of the upscale result
  // (kUpscaleRecipe): the file carries the recipe of the last run that made it.
  static constexpr int kUpscaleRecipe = -2;
  virtual bool saveResultImage(const QString& path, const QImage& image, int bitDepth, int recipeStep, QString* error) const = 0;
  // The settings an image's recipe records (File > Open Recipe…): spec's mode, options, zoom point
  // and step changes, and imagePath = the recorded input where it is found (else empty).
  virtual bool readRecipe(const QString& imagePath, JobSpec* spec, QString* error) const = 0;

  // The zoom flight through the last zoom run (after a re-run: the version on show).
  virtual double flightMaxMagnification() const = 0;  // 0: nothing to fly through
  virtual QImage flightFrame(double magnification, const QSize& size) const = 0;
  // After a re-run both versions exist: keep the new one (true) or go back to the previous one.
  virtual void keepVersion(bool newVersion) = 0;

  virtual void setSd3Files(const Sd3Files& files) = 0;  // models() reflects them afterwards
  virtual void start(const JobSpec& spec) = 0;  // asynchronous; one job at a time
  virtual void cancel() = 0;
  virtual bool busy() const = 0;

 Q_SIGNALS:
  void progress(const coz::ui::JobProgress& p);
  void stepReady(const coz::ui::StepData& s);
  void finished(const coz::ui::JobOutcome& o);
};

}  // namespace coz::ui

Q_DECLARE_METATYPE(coz::ui::JobProgress)
Q_DECLARE_METATYPE(coz::ui::StepData)
Q_DECLARE_METATYPE(coz::ui::JobOutcome)
