#include "model_store_adapter.h"

#include <QFile>
#include <QMetaObject>
#include <QtGlobal>

#include <mutex>

#include "coz/hub.h"

namespace coz::studio {
namespace {

coz::ui::ModelRow::State row_state(hub::InstallState s) {
  switch (s) {
    case hub::InstallState::Installed: return coz::ui::ModelRow::State::Installed;
    case hub::InstallState::Partial: return coz::ui::ModelRow::State::Partial;
    case hub::InstallState::Missing: return coz::ui::ModelRow::State::Missing;
  }
  return coz::ui::ModelRow::State::Missing;
}

QString q(const std::string& s) { return QString::fromStdString(s); }

std::shared_ptr<hub::ModelManager> make_manager(QString* error) {
  hub::Catalog catalog;
  try {
    catalog = hub::Catalog::load();
  } catch (const std::exception& e) {  // a broken models.d file: the built-in catalog still works
    if (error) *error = q(e.what());
    catalog = hub::Catalog::parse(hub::Catalog::builtin_json(), "the built-in model catalog");
  }
  return std::make_shared<hub::ModelManager>(std::move(catalog), hub::HubSettings::from_environment());
}

}  // namespace

CozModelStore::CozModelStore(QObject* parent) : coz::ui::ModelStore(parent) {
  qRegisterMetaType<coz::ui::DownloadProgress>();
  pool_.setMaxThreadCount(1);
  QString error;
  manager_ = make_manager(&error);
  if (!error.isEmpty()) qWarning("%s (using the built-in catalog)", qPrintable(error));
}

CozModelStore::~CozModelStore() {
  cancel_ = true;
  pool_.waitForDone();
}

std::shared_ptr<hub::ModelManager> CozModelStore::manager() const {
  std::lock_guard<std::mutex> lock(mu_);
  return manager_;
}

QList<coz::ui::ModelRow> CozModelStore::models() const {
  const auto mm = manager();
  QList<coz::ui::ModelRow> rows;
  for (const hub::CatalogModel& m : mm->catalog().models()) {
    const hub::ModelStatus st = mm->status(m.id);
    coz::ui::ModelRow r;
    r.id = q(m.id);
    r.description = q(m.description);
    r.state = row_state(st.state);
    r.size = st.size;
    r.presentBytes = st.present_bytes;
    r.where = q(st.where.string());
    r.licence = q(m.licence);
    r.licenceUrl = q(m.licence_url);
    r.gated = m.gated;
    r.gateUrl = q(m.gate_url);
    r.backbone = q(m.backbone);
    r.promptMode = q(m.prompt_mode);
    for (const auto& req : m.requirements) r.requirements << q(req);
    rows << r;
  }
  return rows;
}

QString CozModelStore::tokenFile() const { return q(manager()->settings().token_file.string()); }

QString CozModelStore::token() const {
  // The saved token only (not $HF_TOKEN): the field shows what Save would overwrite.
  QFile f(tokenFile());
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(f.readAll()).trimmed();
}

bool CozModelStore::setToken(const QString& token, QString* error) {
  try {
    hub::save_token(manager()->settings().token_file, token.toStdString());
  } catch (const std::exception& e) {
    if (error) *error = q(e.what());
    return false;
  }
  if (!busy_) {  // the next download reads the new token
    auto fresh = make_manager(nullptr);
    std::lock_guard<std::mutex> lock(mu_);
    manager_ = fresh;
  }
  Q_EMIT modelsChanged();
  return true;
}

void CozModelStore::download(const QString& id) {
  if (busy_.exchange(true)) return;
  cancel_ = false;
  {  // settings (token, endpoints) as they are now
    auto fresh = make_manager(nullptr);
    std::lock_guard<std::mutex> lock(mu_);
    manager_ = fresh;
  }
  auto mm = manager();
  const std::string sid = id.toStdString();
  pool_.start([this, mm, sid, id] {
    bool ok = false, cancelled = false;
    QString error;
    try {
      coz::RunControl ctl;
      ctl.cancel = &cancel_;
      ctl.on_progress = [this, id](const coz::Progress& p) {
        if (p.stage != coz::Stage::Download) return;
        coz::ui::DownloadProgress d;
        d.id = id;
        d.file = q(p.file);
        d.fileIndex = p.step;
        d.fileCount = p.steps;
        d.bytes = p.bytes;
        d.totalBytes = p.total_bytes;
        d.bytesPerSecond = p.bytes_per_second;
        d.etaSeconds = p.eta_seconds;
        QMetaObject::invokeMethod(this, [this, d] { Q_EMIT progress(d); }, Qt::QueuedConnection);
      };
      mm->pull(sid, ctl);
      ok = true;
    } catch (const std::exception& e) {
      cancelled = coz::error_kind(e) == coz::ErrorKind::Cancelled;
      if (!cancelled) error = q(e.what());
    }
    QMetaObject::invokeMethod(this, [this, id, ok, cancelled, error] {
      busy_ = false;
      Q_EMIT finished(id, ok, cancelled, error);
      Q_EMIT modelsChanged();
    }, Qt::QueuedConnection);
  });
}

void CozModelStore::cancel() { cancel_ = true; }

}  // namespace coz::studio
