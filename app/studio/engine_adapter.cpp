#include "engine_adapter.h"

#include <torch/torch.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <cmath>

#include "coz/atomic_file.h"
#include "coz/coz.h"
#include "coz/export.h"
#include "coz/fingerprint.h"
#include "coz/imageio.h"
#include "coz/record.h"
#include "coz/video.h"

namespace coz::studio {
using namespace coz::ui;

namespace {

// QImage (any format) -> engine image. 16-bit sources come as RGBA64 and keep their depth.
coz::Image to_engine(const QImage& in, int bitDepth) {
  coz::Image img;
  const bool deep = bitDepth > 8;
  const QImage q = in.convertToFormat(deep ? QImage::Format_RGBA64 : QImage::Format_RGBA8888);
  const int w = q.width(), h = q.height();
  torch::Tensor t;
  if (deep) {
    t = torch::empty({h, w, 4}, torch::kInt32);
    auto a = t.accessor<int32_t, 3>();
    for (int y = 0; y < h; ++y) {
      const auto* row = reinterpret_cast<const quint16*>(q.constScanLine(y));
      for (int x = 0; x < w; ++x)
        for (int c = 0; c < 4; ++c) a[y][x][c] = row[x * 4 + c];
    }
    t = t.to(torch::kFloat32).div_(65535.0f);
  } else {
    t = torch::empty({h, w, 4}, torch::kUInt8);
    for (int y = 0; y < h; ++y) std::memcpy(t[y].data_ptr(), q.constScanLine(y), static_cast<size_t>(w) * 4);
    t = t.to(torch::kFloat32).div_(255.0f);
  }
  t = t.permute({2, 0, 1}).unsqueeze(0).contiguous();
  img.rgb = t.slice(1, 0, 3).contiguous();
  if (in.hasAlphaChannel()) img.alpha = t.slice(1, 3, 4).contiguous();
  img.bit_depth = deep ? 16 : 8;
  return img;
}

// Engine image -> QImage: RGB888 / RGBA8888 for 8-bit, RGBA64 for 16-bit.
QImage to_qimage(const coz::Image& img, bool deep = false) {
  auto rgb = img.rgb.detach().to(torch::kCPU, torch::kFloat32).squeeze(0).clamp(0.0, 1.0);
  const int h = static_cast<int>(rgb.size(1)), w = static_cast<int>(rgb.size(2));
  if (deep) {
    auto a = img.has_alpha() ? img.alpha.to(torch::kCPU, torch::kFloat32).squeeze(0).clamp(0.0, 1.0) : torch::ones({1, h, w});
    auto t = torch::cat({rgb, a}).mul(65535.0f).round_().to(torch::kInt32).permute({1, 2, 0}).contiguous();
    QImage q(w, h, QImage::Format_RGBA64);
    auto acc = t.accessor<int32_t, 3>();
    for (int y = 0; y < h; ++y) {
      auto* row = reinterpret_cast<quint16*>(q.scanLine(y));
      for (int x = 0; x < w; ++x)
        for (int c = 0; c < 4; ++c) row[x * 4 + c] = static_cast<quint16>(acc[y][x][c]);
    }
    return q;
  }
  const bool alpha = img.has_alpha();
  auto t = (alpha ? torch::cat({rgb, img.alpha.to(torch::kCPU, torch::kFloat32).squeeze(0).clamp(0.0, 1.0)}) : rgb)
               .mul(255.0f).round_().to(torch::kUInt8).permute({1, 2, 0}).contiguous();
  const int c = alpha ? 4 : 3;
  QImage q(w, h, alpha ? QImage::Format_RGBA8888 : QImage::Format_RGB888);
  for (int y = 0; y < h; ++y) std::memcpy(q.scanLine(y), t[y].data_ptr(), static_cast<size_t>(w) * c);
  return q;
}

QImage to_qimage(const torch::Tensor& rgb) {
  coz::Image i;
  i.rgb = rgb;
  return to_qimage(i);
}

ZoomRequest zoom_request(const JobSpec& s) {
  ZoomRequest r;
  r.center_x = s.center.x();
  r.center_y = s.center.y();
  r.steps = s.steps;
  r.recursion = parse_recursion(s.recursion.toStdString());
  r.process_size = s.processSize;
  r.model = s.model.toStdString();
  r.prompt_mode = parse_prompt_mode(s.promptMode.toStdString());
  r.user_prompt = s.promptMode == QLatin1String("null") ? std::string() : s.prompt.toStdString();
  r.color_fix = parse_color_fix(s.colorFix.toStdString());
  r.seed = static_cast<uint64_t>(s.seed);
  r.device = parse_device(s.device.toStdString());
  r.precision = parse_precision(s.precision.toStdString());
  r.tiles = {s.tile, 16, 16};
  for (const StepChange& c : s.changes) {
    StepOverride o;
    o.step = c.step;
    if (c.hasPrompt) o.prompt = c.prompt.toStdString();
    if (!c.promptMode.isEmpty()) o.prompt_mode = parse_prompt_mode(c.promptMode.toStdString());
    if (c.point.x() >= 0) o.point_x = c.point.x(), o.point_y = c.point.y();
    r.overrides.push_back(o);
  }
  return r;
}

// The other way round, for File > Open Recipe.
void fill_spec(const ZoomRequest& r, JobSpec& s) {
  s.mode = JobSpec::Mode::Zoom;
  s.center = QPointF(r.center_x, r.center_y);
  s.steps = r.steps;
  s.recursion = QString::fromLatin1(recursion_name(r.recursion));
  s.processSize = r.process_size;
  s.model = QString::fromStdString(r.model);
  s.promptMode = QString::fromLatin1(prompt_mode_name(r.prompt_mode));
  s.prompt = QString::fromStdString(r.user_prompt);
  s.colorFix = QString::fromLatin1(color_fix_name(r.color_fix));
  s.seed = static_cast<qint64>(r.seed);
  s.device = QString::fromStdString(device_name(r.device));
  s.precision = QString::fromLatin1(precision_name(r.precision));
  s.tile = r.tiles.tile;
  s.changes.clear();
  for (const StepOverride& o : r.overrides) {
    StepChange c;
    c.step = o.step;
    c.hasPrompt = o.prompt.has_value();
    if (o.prompt) c.prompt = QString::fromStdString(*o.prompt);
    if (o.prompt_mode) c.promptMode = QString::fromLatin1(prompt_mode_name(*o.prompt_mode));
    if (o.point_x) c.point = QPointF(*o.point_x, *o.point_y);
    s.changes.append(c);
  }
}

// The input a recipe names, where it is found (the first of recipe_input_candidates that is a
// file), absolute; empty when it is nowhere.
QString recorded_input(const std::string& recorded, const QString& image) {
  for (const std::string& p : coz::recipe_input_candidates(recorded, QFileInfo(image).absoluteFilePath().toStdString()))
    if (QFileInfo(QString::fromStdString(p)).isFile()) return QFileInfo(QString::fromStdString(p)).absoluteFilePath();
  return {};
}

// The engine's stage and error kinds in the UI's mirror enums (same order; checked here).
static_assert(static_cast<int>(coz::Stage::Writing) == static_cast<int>(ui::Stage::Writing) &&
                  static_cast<int>(coz::Stage::VideoFrame) == static_cast<int>(ui::Stage::VideoFrame),
              "stage enums differ");
ui::Stage ui_stage(coz::Stage s) { return static_cast<ui::Stage>(static_cast<int>(s)); }

ui::ErrorKind ui_error_kind(coz::ErrorKind k) {
  switch (k) {
    case coz::ErrorKind::InvalidInput: return ui::ErrorKind::InvalidInput;
    case coz::ErrorKind::ModelLoad: return ui::ErrorKind::ModelLoad;
    case coz::ErrorKind::OutOfMemory: return ui::ErrorKind::OutOfMemory;
    case coz::ErrorKind::Cancelled:
    case coz::ErrorKind::Internal: break;
  }
  return ui::ErrorKind::Internal;
}

// Runs f; an engine error becomes *error (when given) and false, as every call of the UI's Engine
// interface reports it.
template <typename F>
bool reported(QString* error, F&& f) {
  try {
    f();
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
}

}  // namespace

CozEngine::CozEngine(QObject* parent) : Engine(parent), engine_(std::make_unique<coz::Engine>()) {
  pool_.setMaxThreadCount(1);
  pool_.setExpiryTimeout(-1);
  qRegisterMetaType<JobProgress>();
  qRegisterMetaType<StepData>();
  qRegisterMetaType<JobOutcome>();
}

CozEngine::~CozEngine() {
  cancel_ = true;
  pool_.waitForDone();
}

QList<ModelEntry> CozEngine::models() const {
  QList<ModelEntry> out;
  for (const auto& s : engine_->models())
    out.append({QString::fromStdString(s.info.id), QString::fromStdString(s.info.description), s.installed,
                QString::fromStdString(s.install_hint)});
  return out;
}

QList<ModelEntry> CozEngine::promptSources() const {
  QList<ModelEntry> out;
  for (const auto& s : engine_->prompt_sources())
    out.append({QString::fromStdString(s.info.id), QString::fromStdString(s.info.description), s.installed,
                QString::fromStdString(s.install_hint)});
  return out;
}

QStringList CozEngine::devices() const {
  QStringList d{"cpu"};
  for (int i = 0; i < cuda_device_count(); ++i) d << QStringLiteral("cuda:%1").arg(i);
  return d;
}

QString CozEngine::aboutText() const {
  QString models;
  for (const auto& s : engine_->models())
    models += QStringLiteral("<li>%1 — %2</li>").arg(QString::fromStdString(s.info.id),
                                                    s.installed ? tr("installed") : tr("not installed"));
  return tr("<p>Engine %1, LibTorch %2 (%3), %4 CPU threads.</p><p>Backbones:</p><ul>%5</ul><p>Models folder: %6</p>")
      .arg(QString::fromLatin1(coz::version()), QString::fromStdString(torch_version()),
           cuda_available() ? tr("CUDA devices: %1").arg(cuda_device_count()) : tr("CPU only"))
      .arg(torch::get_num_threads())
      .arg(models, QString::fromStdString(engine_->model_options().models_dir.string()).toHtmlEscaped());
}

LoadedImage CozEngine::loadImage(const QString& path) const {
  LoadedImage li;
  reported(&li.error, [&] {
    coz::Image img = io::read_image(path.toStdString());
    li.bitDepth = img.bit_depth;
    li.image = to_qimage(img, img.bit_depth > 8);
  });
  return li;
}

QVector<QRectF> CozEngine::planRegions(const QSize& size, const JobSpec& spec, QString* error) const {
  QVector<QRectF> out;
  reported(error, [&] {
    const ZoomPlan plan = plan_zoom(size.width(), size.height(), zoom_request(spec));
    for (const auto& s : plan.steps) out.append(QRectF(s.in_original.x, s.in_original.y, s.in_original.w, s.in_original.h));
  });
  return out;
}

QSize CozEngine::upscaleSize(const QSize& size, const JobSpec& spec, QString* error) const {
  QSize out;
  reported(error, [&] {
    const UpscalePlan p = engine_->plan_upscale(size.width(), size.height(), spec.model.toStdString(), spec.scale, 8192);
    out = QSize(p.out_w, p.out_h);
  });
  return out;
}

bool CozEngine::saveImage(const QString& path, const QImage& image, int bitDepth, QString* error) const {
  // Images that are not a run's result (the source picture) carry no recipe.
  return reported(error, [&] {
    io::WriteOptions o;
    o.bit_depth = bitDepth;
    io::write_image(path.toStdString(), to_engine(image, image.depth() > 32 ? 16 : 8), o);
  });
}

bool CozEngine::saveBytes(const QString& path, const QByteArray& bytes, QString* error) const {
  return reported(error, [&] {
    write_file_atomic(path.toStdString(), bytes.toStdString());
  });
}

bool CozEngine::exportZoom(const QString& dir, const QString& format, int bitDepth, QString* error) const {
  std::shared_ptr<const LastZoom> last;
  {
    std::lock_guard<std::mutex> lock(lastMu_);
    last = lastZoom_;
  }
  return reported(error, [&] {
    if (!last) throw InvalidInput("nothing to export: run a zoom first");
    io::ZoomExportOptions o;
    o.format = format.toStdString();
    o.bit_depth = bitDepth;
    o.input = last->input;
    o.seconds = last->seconds;
    o.models = hub::model_fingerprints(*engine_, last->request);
    io::export_zoom(dir.toStdString(), last->request, last->result, o);
  });
}

std::shared_ptr<const CozEngine::LastZoom> CozEngine::last() const {
  std::lock_guard<std::mutex> lock(lastMu_);
  return lastZoom_;
}

bool CozEngine::saveResultImage(const QString& path, const QImage& image, int bitDepth, int recipeStep, QString* error) const {
  return reported(error, [&] {
    io::WriteOptions o;
    o.bit_depth = bitDepth;
    std::shared_ptr<const LastUpscale> up;
    {
      std::lock_guard<std::mutex> lock(lastMu_);
      up = lastUpscale_;
    }
    if (recipeStep == kUpscaleRecipe && up) {
      UpscaleRequest r = up->request;
      r.image.rgb = torch::zeros({1, 3, up->height, up->width});  // only its size is recorded
      o.recipe = upscale_recipe_json(r, up->input, hub::model_fingerprints(*engine_, r));
    } else if (recipeStep != kUpscaleRecipe) {
      if (const auto z = last(); z && recipeStep < static_cast<int>(z->result.steps.size())) {
        ZoomRecordFiles f;
        f.input = z->input;
        f.models = hub::model_fingerprints(*engine_, z->request);
        for (const StepResult& s : z->result.steps) f.steps.push_back("step_" + std::to_string(s.step) + ".png");
        o.recipe = zoom_recipe_json(z->request, z->result, f, recipeStep);
      }
    }
    io::write_image(path.toStdString(), to_engine(image, image.depth() > 32 ? 16 : 8), o);
  });
}

bool CozEngine::readRecipe(const QString& imagePath, JobSpec* spec, QString* error) const {
  return reported(error, [&] {
    const std::string path = imagePath.toStdString();
    const std::string recipe = io::read_recipe(path);
    if (recipe.empty())
      throw InvalidInput(path + " carries no CoZ recipe: it was not written by CoZ Studio or coz, or its metadata was removed");
    const std::string format = recipe_format(recipe);
    if (format == "coz-upscale") {
      const UpscaleRecord rec = parse_upscale_recipe(recipe, path + " (its recipe)");
      spec->mode = JobSpec::Mode::Upscale;
      spec->scale = rec.request.scale;
      spec->model = QString::fromStdString(rec.request.model);
      spec->colorFix = QString::fromLatin1(color_fix_name(rec.request.color_fix));
      spec->device = QString::fromStdString(device_name(rec.request.device));
      spec->precision = QString::fromLatin1(precision_name(rec.request.precision));
      spec->tile = rec.request.tiles.tile;
      spec->imagePath = recorded_input(rec.input_file, imagePath);
    } else if (format == "coz-steps") {
      const ZoomRecord rec = parse_zoom_record(recipe, path + " (its recipe)");
      fill_spec(rec.request, *spec);
      spec->imagePath = recorded_input(rec.input_file, imagePath);
    } else {
      throw InvalidInput(path + "'s recipe is not one this version of CoZ Studio understands");
    }
  });
}

double CozEngine::flightMaxMagnification() const {
  const auto z = last();
  return z && z->result.steps.size() >= 2 ? std::pow(4.0, static_cast<double>(z->result.steps.size() - 1)) : 0.0;
}

QImage CozEngine::flightFrame(double magnification, const QSize& size) const {
  const auto z = last();
  if (!z || z->result.steps.size() < 2 || size.isEmpty()) return {};
  try {
    if (flightOf_ != z) {  // a new run (or the other version): new pyramids
      flight_ = std::make_shared<const ZoomFlight>(make_flight(z->result));
      flightOf_ = z;
    }
    QImage frame(size, QImage::Format_RGB888);
    flight_->render(magnification, size.width(), size.height(), frame.bits(), frame.bytesPerLine());
    return frame;
  } catch (const std::exception&) {
    return {};
  }
}

void CozEngine::keepVersion(bool newVersion) {
  std::lock_guard<std::mutex> lock(lastMu_);
  if (!previousZoom_) return;
  if (!newVersion) lastZoom_ = previousZoom_;
  previousZoom_.reset();
}

void CozEngine::runVideo(const JobSpec& spec, const RunControl& ctl) {
  const auto z = last();
  if (!z || z->result.steps.size() < 2) throw InvalidInput("there is no zoom run to make a video of: run a zoom first");
  io::VideoOptions o;
  o.fps = spec.video.fps;
  o.seconds = spec.video.seconds;
  o.width = spec.video.size.width();
  o.height = spec.video.size.height();
  o.ease = parse_ease(spec.video.ease.toStdString());
  io::write_zoom_video(spec.video.path.toStdString(), make_flight(z->result), o, ctl);
}

void CozEngine::cancel() { cancel_ = true; }

void CozEngine::setSd3Files(const Sd3Files& f) {
  SD3Options s = engine_->model_options().sd3;
  s.sd3 = f.folder.toStdString();
  s.lora = f.lora.toStdString();
  s.vae_lora = f.vaeLora.toStdString();
  s.use_t5 = !f.noT5;
  engine_->set_sd3_options(s);
}

void CozEngine::start(const JobSpec& spec) {
  if (busy_.exchange(true)) return;
  cancel_ = false;
  pool_.start([this, spec] {  // spec captured by value: the worker never touches widgets
    JobOutcome out;
    QElapsedTimer clock;
    clock.start();
    RunControl ctl;
    ctl.cancel = &cancel_;
    ctl.on_progress = [this](const Progress& p) {
      Q_EMIT progress(JobProgress{ui_stage(p.stage), p.step, p.steps, p.tile, p.tiles});
    };
    try {
      if (spec.mode == JobSpec::Mode::Video) {
        runVideo(spec, ctl);
      } else if (spec.mode == JobSpec::Mode::Zoom) {
        ZoomRequest r = zoom_request(spec);
        std::shared_ptr<const LastZoom> base;
        if (spec.fromStep > 0) {  // a re-run of the last run from step K: its request, the new changes
          base = last();
          if (!base) throw InvalidInput("there is no zoom run to re-run: run a zoom first");
          const int k = spec.fromStep;
          if (k > static_cast<int>(base->result.steps.size()) || k > base->request.steps)
            throw InvalidInput("the last run has no step " + std::to_string(k) + " to re-run from");
          ZoomRequest again = base->request;
          again.resume.clear();
          again.overrides.erase(std::remove_if(again.overrides.begin(), again.overrides.end(),
                                               [&](const StepOverride& o) { return o.step >= k; }),
                                again.overrides.end());
          for (const StepOverride& o : r.overrides)
            if (o.step >= k) again.overrides.push_back(o);
          again.device = r.device;
          again.precision = r.precision;
          again.resume.assign(base->result.steps.begin(), base->result.steps.begin() + k);
          r = again;
        } else {
          r.image = to_engine(spec.image, spec.bitDepth);
        }
        {
          std::lock_guard<std::mutex> lock(lastMu_);
          if (!base) {
            lastZoom_.reset();  // a new run replaces what Export All writes
            previousZoom_.reset();
          }
        }
        // The finished steps are kept as they come, so a cancelled run can still be exported.
        auto last = std::make_shared<LastZoom>();
        last->input = base ? base->input : spec.imagePath.toStdString();
        last->result.plan = plan_zoom(r.image.width(), r.image.height(), r);
        ctl.on_step = [this, &last](const StepResult& s) {
          last->result.steps.push_back(s);
          StepData d;
          d.step = s.step;
          d.steps = s.steps;
          d.output = to_qimage(s.output);
          d.input = s.step == 0 ? d.output : to_qimage(s.input);
          d.prompt = QString::fromStdString(s.prompt);
          d.ms = s.ms_total;
          d.region = QRectF(s.plan.in_original.x, s.plan.in_original.y, s.plan.in_original.w, s.plan.in_original.h);
          d.sourceStep = s.plan.source_step;
          d.crop = QRectF(s.plan.crop.x, s.plan.crop.y, s.plan.crop.w, s.plan.crop.h);
          d.reused = s.reused;
          Q_EMIT stepReady(d);
        };
        auto keep = [&] {
          last->request = r;
          last->request.resume.clear();
          last->seconds = clock.elapsed() / 1000.0;
          std::lock_guard<std::mutex> lock(lastMu_);
          if (base) previousZoom_ = base;  // both versions until one is kept
          lastZoom_ = last;
        };
        try {
          last->result = engine_->zoom(r, ctl);
        } catch (const Cancelled&) {
          if (last->result.steps.size() > 1) keep();  // at least one zoom step finished
          throw;
        }
        keep();
      } else {
        UpscaleRequest r;
        r.image = to_engine(spec.image, spec.bitDepth);
        r.scale = spec.scale;
        r.model = spec.model.toStdString();
        r.color_fix = parse_color_fix(spec.colorFix.toStdString());
        r.device = parse_device(spec.device.toStdString());
        r.precision = parse_precision(spec.precision.toStdString());
        r.tiles = {spec.tile, 16, 16};
        coz::Image result = engine_->upscale(r, ctl);
        auto up = std::make_shared<LastUpscale>();
        up->request = r;
        up->request.image = {};
        up->input = spec.imagePath.toStdString();
        up->width = r.image.width();
        up->height = r.image.height();
        {
          std::lock_guard<std::mutex> lock(lastMu_);
          lastUpscale_ = up;
        }
        out.upscaledBitDepth = result.bit_depth;
        out.upscaled = to_qimage(result, result.bit_depth > 8);
      }
      out.ok = !cancel_.load();
      out.cancelled = cancel_.load();
    } catch (const std::exception& e) {
      const coz::ErrorKind kind = error_kind(e);
      if (kind == coz::ErrorKind::Cancelled) {
        out.cancelled = true;
      } else {
        out.errorKind = ui_error_kind(kind);
        out.error = QString::fromStdString(e.what());
      }
    } catch (...) {
      out.errorKind = ui::ErrorKind::Internal;
      out.error = tr("unexpected error in the engine");
    }
    out.seconds = clock.elapsed() / 1000.0;
    busy_ = false;
    Q_EMIT finished(out);
  });
}

}  // namespace coz::studio
