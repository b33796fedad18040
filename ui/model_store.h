// What the Models dialog needs from the model manager, in Qt types only (ui/ never sees the engine).
// app/studio/model_store_adapter.cpp implements it over coz::hub::ModelManager (coz/hub.h).
#pragma once
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

namespace coz::ui {

struct ModelRow {
  QString id;            // catalog id: "esrgan-thick", "sd3-medium", "coz-lora", "sd3-osediff", ...
  QString description;
  enum class State { Installed, Partial, Missing };
  State state = State::Missing;
  qint64 size = 0;       // bytes, requirements included (0 when unknown)
  qint64 presentBytes = 0;
  QString where;         // the folder it is in, or would go to
  QString licence;       // "MIT", ...
  QString licenceUrl;
  bool gated = false;    // needs a Hugging Face token and an accepted licence
  QString gateUrl;       // where the licence is accepted
  QString backbone;      // the backbone it provides ("" if none)
  QString promptMode;    // the prompt mode it provides: "dape", "vlm" ("" if none)
  QStringList requirements;  // catalog ids pulled with it
};

struct DownloadProgress {
  QString id;            // the model being pulled
  QString file;          // the file now transferring
  int fileIndex = 0, fileCount = 0;  // 1-based
  qint64 bytes = 0, totalBytes = -1; // of that file (-1: unknown)
  double bytesPerSecond = 0;
  double etaSeconds = -1; // -1: unknown
};

class ModelStore : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  virtual QList<ModelRow> models() const = 0;   // the catalog with each model's state (no network)
  virtual QString tokenFile() const = 0;        // where the Hugging Face token is saved
  virtual QString token() const = 0;            // the saved token ("" if none)
  virtual bool setToken(const QString& token, QString* error) = 0;  // saves it ("" deletes it)
  virtual void download(const QString& id) = 0;  // asynchronous; one at a time
  virtual void cancel() = 0;
  virtual bool busy() const = 0;

 Q_SIGNALS:
  void progress(const coz::ui::DownloadProgress& p);
  // ok: everything is there; cancelled: stopped by cancel() (resumable); else error says why
  // (names the file and what to do).
  void finished(const QString& id, bool ok, bool cancelled, const QString& error);
  void modelsChanged();  // states may differ (after a download, a token change, ...)
};

}  // namespace coz::ui

Q_DECLARE_METATYPE(coz::ui::DownloadProgress)
