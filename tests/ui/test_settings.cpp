#include <QTemporaryDir>

#include "settings.h"
#include "test_util.h"

using coz::ui::Settings;

class TestSettings : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void defaultsRoundTripAndSignal() {
    QTemporaryDir dir;
    const QString ini = dir.filePath("s.ini");
    {
      Settings s(ini);
      QCOMPARE(s.value(Settings::Key::Steps).toInt(), 4);
      QCOMPARE(s.value(Settings::Key::Model).toString(), QString("esrgan-thick"));
      QSignalSpy spy(&s, &Settings::changed);
      s.setValue(Settings::Key::Steps, 6);
      s.setValue(Settings::Key::Steps, 6);  // unchanged: no second signal
      QCOMPARE(spy.count(), 1);
      QCOMPARE(spy.at(0).at(0).value<Settings::Key>(), Settings::Key::Steps);
      for (int i = 0; i < 12; ++i) s.addRecentFile(dir.filePath(QString("img%1.png").arg(i)));
      s.addRecentFile(dir.filePath("img5.png"));
      s.sync();
    }
    Settings again(ini);
    QCOMPARE(again.value(Settings::Key::Steps).toInt(), 6);
    const QStringList recent = again.recentFiles();
    QCOMPARE(recent.size(), 10);
    QVERIFY(recent.first().endsWith("img5.png"));
    QCOMPARE(recent.count(recent.first()), 1);
    QCOMPARE(again.value(Settings::Key::Scale).toDouble(), 4.0);
  }
};

QTEST_MAIN(TestSettings)
#include "test_settings.moc"
