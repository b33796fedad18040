// One typed table of persistent settings over QSettings (qView's settingsmanager style).
#pragma once
#include <QObject>
#include <QSettings>
#include <QVariant>

#include <memory>

namespace coz::ui {

class Settings : public QObject {
  Q_OBJECT
 public:
  enum class Key {
    Mode, Steps, Recursion, ProcessSize, Scale, Model, PromptMode, Prompt, ColorFix, Device, Precision,
    Tile, Seed, Language, RecentFiles, LastDir, BitDepth, Geometry, Sd3Folder, Sd3Lora, Sd3VaeLora, Sd3NoT5
  };
  Q_ENUM(Key)
  // path empty: the user's default location; otherwise an INI file (tests use a temporary one).
  explicit Settings(const QString& iniPath = {}, QObject* parent = nullptr);

  QVariant value(Key k) const;
  void setValue(Key k, const QVariant& v);  // emits changed() when the value differs
  static QVariant defaultValue(Key k);
  static QString name(Key k);

  QStringList recentFiles() const;
  void addRecentFile(const QString& path);
  void sync();

 Q_SIGNALS:
  void changed(coz::ui::Settings::Key key);

 private:
  std::unique_ptr<QSettings> s_;
};

}  // namespace coz::ui
