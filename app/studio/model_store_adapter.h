// The model manager behind the Models dialog: coz::hub::ModelManager in Qt types. Downloads run on
// their own worker thread (separate from the engine's, so a download never waits for a zoom) and
// report through queued signals.
#pragma once
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <mutex>

#include "model_store.h"

namespace coz::hub {
class ModelManager;
}

namespace coz::studio {

class CozModelStore : public coz::ui::ModelStore {
  Q_OBJECT
 public:
  explicit CozModelStore(QObject* parent = nullptr);
  ~CozModelStore() override;  // cancels a running download and waits for it

  QList<coz::ui::ModelRow> models() const override;
  QString tokenFile() const override;
  QString token() const override;
  bool setToken(const QString& token, QString* error) override;
  void download(const QString& id) override;
  void cancel() override;
  bool busy() const override { return busy_.load(); }
  void waitForDone() { pool_.waitForDone(); }

 private:
  std::shared_ptr<coz::hub::ModelManager> manager() const;  // rebuilt after a token change
  mutable std::mutex mu_;  // guards manager_ swaps (token changes) against the worker's copy
  std::shared_ptr<coz::hub::ModelManager> manager_;
  QThreadPool pool_;
  std::atomic<bool> cancel_{false};
  std::atomic<bool> busy_{false};
};

}  // namespace coz::studio
