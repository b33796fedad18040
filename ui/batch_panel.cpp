#include "batch_panel.h"

#include <QDir>
#include <QDirIterator>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QListWidget>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace coz::ui {
namespace {
constexpr int kStateRole = Qt::UserRole, kPathRole = Qt::UserRole + 1, kErrorRole = Qt::UserRole + 2,
              kOutputRole = Qt::UserRole + 3, kNameRole = Qt::UserRole + 4;

bool isImageName(const QString& path) {
  static const QStringList ok = {"png", "jpg", "jpeg", "webp", "tif", "tiff", "bmp"};
  return ok.contains(QFileInfo(path).suffix().toLower());
}
}  // namespace

BatchPanel::BatchPanel(Engine& engine, std::function<JobSpec()> spec, QWidget* parent)
    : QWidget(parent), engine_(engine), spec_(std::move(spec)) {
  setObjectName(QStringLiteral("batchPanel"));
  auto* v = new QVBoxLayout(this);
  list_ = new QListWidget;
  list_->setIconSize(QSize(48, 48));
  list_->setUniformItemSizes(true);
  v->addWidget(list_, 1);
  progress_ = new QProgressBar;
  progress_->setFormat(tr("%v of %m files"));
  v->addWidget(progress_);
  summary_ = new QLabel;
  summary_->setWordWrap(true);
  v->addWidget(summary_);
  auto* h = new QHBoxLayout;
  start_ = new QPushButton(tr("Start"));
  pause_ = new QPushButton(tr("Pause"));
  pause_->setToolTip(tr("Stop after the current file; Start goes on from there"));
  cancel_ = new QPushButton(tr("Cancel"));
  clear_ = new QPushButton(tr("Clear"));
  for (auto* b : {start_, pause_, cancel_, clear_}) h->addWidget(b);
  v->addLayout(h);
  connect(start_, &QPushButton::clicked, this, &BatchPanel::start);
  connect(pause_, &QPushButton::clicked, this, &BatchPanel::pause);
  connect(cancel_, &QPushButton::clicked, this, &BatchPanel::cancel);
  connect(clear_, &QPushButton::clicked, this, &BatchPanel::clear);
  connect(&engine_, &Engine::progress, this, &BatchPanel::onProgress);
  connect(&engine_, &Engine::finished, this, &BatchPanel::onFinished);
  updateSummary();
}

int BatchPanel::addPaths(const QStringList& paths) {
  QList<QPair<QString, QString>> files;  // path, name shown (relative to a dropped folder)
  for (const QString& p : paths) {
    const QFileInfo fi(p);
    if (fi.isDir()) {
      QStringList found;
      for (QDirIterator it(p, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories); it.hasNext();) {
        const QString f = it.next();
        if (isImageName(f) && !QDir(p).relativeFilePath(f).split('/').first().startsWith('.')) found << f;
      }
      found.sort();
      for (const QString& f : found) files.append({f, QDir(p).relativeFilePath(f)});
    } else if (fi.isFile()) {
      files.append({fi.absoluteFilePath(), fi.fileName()});
    }
  }
  for (const auto& [f, name] : files) {
    auto* item = new QListWidgetItem(name);
    item->setData(kPathRole, f);
    item->setData(kNameRole, name);
    item->setToolTip(f);
    const LoadedImage li = engine_.loadImage(f);
    if (!li.error.isEmpty()) {
      item->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
    } else {
      item->setIcon(QIcon(QPixmap::fromImage(li.image.scaled(48, 48, Qt::KeepAspectRatio, Qt::SmoothTransformation))));
    }
    list_->addItem(item);
    setState(list_->count() - 1, State::Waiting);
  }
  updateSummary();
  return static_cast<int>(files.size());
}

int BatchPanel::count() const { return list_->count(); }
BatchPanel::State BatchPanel::state(int row) const { return static_cast<State>(list_->item(row)->data(kStateRole).toInt()); }
QString BatchPanel::error(int row) const { return list_->item(row)->data(kErrorRole).toString(); }
QString BatchPanel::outputOf(int row) const { return list_->item(row)->data(kOutputRole).toString(); }

void BatchPanel::setState(int row, State s, const QString& detail) {
  QListWidgetItem* item = list_->item(row);
  item->setData(kStateRole, static_cast<int>(s));
  const QString name = item->data(kNameRole).toString();
  QString text;
  switch (s) {
    case State::Waiting: text = tr("%1 — waiting").arg(name); break;
    case State::Running: text = tr("%1 — running %2").arg(name, detail); break;
    case State::Done: text = tr("%1 — done").arg(name); break;
    case State::Failed:
      text = tr("%1 — failed: %2").arg(name, detail);
      item->setData(kErrorRole, detail);
      break;
    case State::Cancelled: text = tr("%1 — cancelled").arg(name); break;
  }
  item->setText(text);
}

void BatchPanel::updateSummary() {
  int done = 0, failed = 0, left = 0;
  for (int i = 0; i < list_->count(); ++i) {
    const State s = state(i);
    done += s == State::Done;
    failed += s == State::Failed;
    left += s == State::Waiting || s == State::Running || s == State::Cancelled;
  }
  progress_->setMaximum(std::max(1, list_->count()));
  progress_->setValue(done + failed);
  summary_->setText(list_->count() == 0 ? tr("Drop several images or a folder on the window to queue them.")
                                        : tr("%1 done, %2 failed, %3 left%4")
                                              .arg(done).arg(failed).arg(left)
                                              .arg(outputDir_.isEmpty() ? QString() : tr(" — into %1").arg(outputDir_)));
  start_->setEnabled(!running_ && left > 0);
  pause_->setEnabled(running_ && !pausing_);
  cancel_->setEnabled(running_);
  clear_->setEnabled(!running_ && list_->count() > 0);
}

void BatchPanel::start() {
  if (running_ || engine_.busy()) return;
  if (outputDir_.isEmpty()) {
    outputDir_ = QFileDialog::getExistingDirectory(this, tr("Output folder for the batch"));
    if (outputDir_.isEmpty()) return;
  }
  for (int i = 0; i < list_->count(); ++i)
    if (state(i) == State::Cancelled) setState(i, State::Waiting);
  running_ = true;
  pausing_ = false;
  next();
}

void BatchPanel::pause() {
  if (!running_) return;
  pausing_ = true;
  updateSummary();
}

void BatchPanel::cancel() {
  if (!running_) return;
  pausing_ = true;
  engine_.cancel();
}

void BatchPanel::clear() {
  if (running_) return;
  list_->clear();
  updateSummary();
}

void BatchPanel::next() {
  current_ = -1;
  if (pausing_) {
    running_ = pausing_ = false;
    updateSummary();
    return;
  }
  for (int i = 0; i < list_->count(); ++i) {
    if (state(i) != State::Waiting) continue;
    const QString path = list_->item(i)->data(kPathRole).toString();
    const LoadedImage li = engine_.loadImage(path);
    if (!li.error.isEmpty()) {
      setState(i, State::Failed, li.error);
      continue;
    }
    currentSpec_ = spec_();
    currentSpec_.image = li.image;
    currentSpec_.bitDepth = li.bitDepth;
    currentSpec_.imagePath = path;
    currentSpec_.center = QPointF(0.5, 0.5);
    current_ = i;
    setState(i, State::Running);
    updateSummary();
    engine_.start(currentSpec_);
    return;
  }
  running_ = false;
  updateSummary();
  int done = 0, failed = 0;
  for (int i = 0; i < list_->count(); ++i) done += state(i) == State::Done, failed += state(i) == State::Failed;
  Q_EMIT batchFinished(done, failed);
}

void BatchPanel::onProgress(const JobProgress& p) {
  if (current_ < 0 || p.steps <= 0) return;
  setState(current_, State::Running, tr("(%1/%2)").arg(p.step).arg(p.steps));
}

void BatchPanel::onFinished(const JobOutcome& o) {
  if (current_ < 0) return;
  const int row = current_;
  const QFileInfo in(list_->item(row)->data(kPathRole).toString());
  if (o.cancelled) {
    setState(row, State::Cancelled);
  } else if (!o.ok) {
    setState(row, State::Failed, o.error);
  } else {
    QString err;
    bool saved;
    const bool upscale = currentSpec_.mode == JobSpec::Mode::Upscale;
    // A name nothing in the folder has yet (two inputs may share a base name).
    const QString ext = upscale ? QStringLiteral(".png") : QString();
    QString out = QDir(outputDir_).filePath(in.completeBaseName() + ext);
    for (int k = 2; QFileInfo::exists(out); ++k)
      out = QDir(outputDir_).filePath(QStringLiteral("%1-%2%3").arg(in.completeBaseName()).arg(k).arg(ext));
    if (upscale) saved = engine_.saveImage(out, o.upscaled, o.upscaledBitDepth, &err);
    else saved = engine_.exportZoom(out, QStringLiteral("png"), 8, &err);
    if (saved) {
      list_->item(row)->setData(kOutputRole, out);
      setState(row, State::Done);
    } else {
      setState(row, State::Failed, err);
    }
  }
  next();
}

}  // namespace coz::ui
