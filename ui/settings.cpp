#include "settings.h"

#include <QFileInfo>

namespace coz::ui {
namespace {
struct Entry {
  Settings::Key key;
  const char* name;
  QVariant def;
};
const QList<Entry>& table() {
  static const QList<Entry> t = {
      {Settings::Key::Mode, "job/mode", "zoom"},
      {Settings::Key::Steps, "job/steps", 4},
      {Settings::Key::Recursion, "job/recursion", "recursive"},
      {Settings::Key::ProcessSize, "job/processSize", 512},
      {Settings::Key::Scale, "job/scale", 4.0},
      {Settings::Key::Model, "job/model", "esrgan-thick"},
      {Settings::Key::PromptMode, "job/promptMode", "null"},
      {Settings::Key::Prompt, "job/prompt", ""},
      {Settings::Key::ColorFix, "job/colorFix", "none"},
      {Settings::Key::Device, "job/device", "cpu"},
      {Settings::Key::Precision, "job/precision", "auto"},
      {Settings::Key::Tile, "job/tile", 128},
      {Settings::Key::Seed, "job/seed", 0},
      {Settings::Key::Language, "ui/language", ""},
      {Settings::Key::RecentFiles, "ui/recentFiles", QStringList()},
      {Settings::Key::LastDir, "ui/lastDir", ""},
      {Settings::Key::BitDepth, "export/bitDepth", 8},
      {Settings::Key::Geometry, "ui/geometry", QByteArray()},
      {Settings::Key::Sd3Folder, "sd3/folder", ""},
      {Settings::Key::Sd3Lora, "sd3/lora", ""},
      {Settings::Key::Sd3VaeLora, "sd3/vaeLora", ""},
      {Settings::Key::Sd3NoT5, "sd3/noT5", false},
  };
  return t;
}
const Entry& entry(Settings::Key k) {
  for (const auto& e : table())
    if (e.key == k) return e;
  return table().front();
}
}  // namespace

Settings::Settings(const QString& iniPath, QObject* parent)
    : QObject(parent),
      s_(iniPath.isEmpty() ? std::make_unique<QSettings>("CoZ Studio", "coz-studio")
                           : std::make_unique<QSettings>(iniPath, QSettings::IniFormat)) {}

QString Settings::name(Key k) { return entry(k).name; }
QVariant Settings::defaultValue(Key k) { return entry(k).def; }

QVariant Settings::value(Key k) const {
  const Entry& e = entry(k);
  QVariant v = s_->value(e.name, e.def);
  if (e.def.isValid() && v.canConvert(e.def.metaType())) v.convert(e.def.metaType());
  return v;
}

void Settings::setValue(Key k, const QVariant& v) {
  if (value(k) == v) return;
  s_->setValue(entry(k).name, v);
  Q_EMIT changed(k);
}

QStringList Settings::recentFiles() const { return value(Key::RecentFiles).toStringList(); }

void Settings::addRecentFile(const QString& path) {
  QStringList l = recentFiles();
  const QString abs = QFileInfo(path).absoluteFilePath();
  l.removeAll(abs);
  l.prepend(abs);
  while (l.size() > 10) l.removeLast();
  setValue(Key::RecentFiles, l);
}

void Settings::sync() { s_->sync(); }

}  // namespace coz::ui
