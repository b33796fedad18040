// The Models dialog: every model of the catalog with its state, size, licence and folder; one
// download at a time with its progress; the Hugging Face token; and, on a second tab, where the
// SD3-OSEDiff files are when they are not the downloaded ones (Settings keys sd3/*).
#pragma once
#include <QDialog>
#include <QHash>

#include "engine.h"
#include "model_store.h"
#include "settings.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTabWidget;
class QToolButton;

namespace coz::ui {

class ModelsDialog : public QDialog {
  Q_OBJECT
 public:
  ModelsDialog(ModelStore& store, Settings& settings, QWidget* parent = nullptr);

  void focusModel(const QString& id);  // shows the Models tab with that model's row selected
  void refresh();                      // re-reads the catalog from the store
  bool eventFilter(QObject* watched, QEvent* event) override;
  Sd3Files sd3Files() const;           // what the Model files tab holds

  // Decimal units, as the Hugging Face Hub shows them: "4.2 GB", "312 MB", "812 B".
  static QString formatBytes(qint64 bytes);
  static QString formatDuration(double seconds);  // "45 s", "1 min 20 s", "2 h 5 min"
  static Sd3Files sd3FilesFrom(const Settings& settings);

  // For tests and the main window.
  QTableWidget* table() const { return table_; }
  int rowOf(const QString& id) const;             // the table row of a model, -1 if absent
  QPushButton* buttonFor(const QString& id) const;
  QProgressBar* progressBar() const { return progress_; }
  QLabel* statusLabel() const { return status_; }  // download progress, outcome or error
  QString downloading() const { return downloading_; }

 Q_SIGNALS:
  void sd3FilesChanged();  // a Model files field was edited (and saved to the settings)

 private:
  enum Column { ColModel, ColState, ColSize, ColLicence, ColWhere, ColAction, ColumnCount };
  QWidget* buildModelsTab();
  QWidget* buildFilesTab();
  QString stateText(const ModelRow& r) const;
  void fitColumns();
  void fitNotes();
  void startDownload(const QString& id);
  void updateButtons();
  void onProgress(const DownloadProgress& p);
  void onFinished(const QString& id, bool ok, bool cancelled, const QString& error);
  void setStatus(const QString& text, bool error);
  void saveToken();
  void saveSd3Files();

  ModelStore& store_;
  Settings& settings_;
  QTabWidget* tabs_;
  QTableWidget* table_;
  QHash<QString, int> rows_;                // model id -> table row
  QHash<QString, QPushButton*> buttons_;    // model id -> its Download/Cancel button
  QHash<QString, ModelRow::State> states_;  // model id -> state at the last refresh
  QProgressBar* progress_;
  QLabel* status_;
  QLineEdit* token_;
  QToolButton* showToken_;
  QPushButton* saveToken_;
  QLabel *tokenFile_, *tokenStatus_;
  QLineEdit *sd3Folder_, *sd3Lora_, *sd3VaeLora_;
  QCheckBox* sd3NoT5_;
  QString downloading_;  // the model being pulled ("" when idle)
  bool cancelling_ = false;
};

}  // namespace coz::ui
