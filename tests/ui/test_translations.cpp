// The German and Korean translations are complete and keep every placeholder and accelerator.
#include <QFile>
#include <QRegularExpression>
#include <QXmlStreamReader>

#include "test_util.h"

class TestTranslations : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void complete_data() {
    QTest::addColumn<QString>("lang");
    QTest::newRow("de") << "de";
    QTest::newRow("ko") << "ko";
  }
  void complete() {
    QFETCH(QString, lang);
    QFile f(QStringLiteral(COZ_TEST_DATA "/../../translations/coz_%1.ts").arg(lang));
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
    QXmlStreamReader xml(&f);
    QString source;
    int messages = 0;
    const QRegularExpression ph(QStringLiteral("%\\d"));
    while (!xml.atEnd()) {
      xml.readNext();
      if (!xml.isStartElement()) continue;
      if (xml.name() == u"source") source = xml.readElementText();
      if (xml.name() == u"translation") {
        const bool unfinished = xml.attributes().value("type") == u"unfinished";
        const QString t = xml.readElementText();
        ++messages;
        QVERIFY2(!unfinished && !t.isEmpty(), qPrintable(lang + ": untranslated: " + source));
        QStringList a, b;
        for (auto it = ph.globalMatch(source); it.hasNext();) a << it.next().captured();
        for (auto it = ph.globalMatch(t); it.hasNext();) b << it.next().captured();
        a.sort();
        b.sort();
        QVERIFY2(a == b, qPrintable(lang + ": placeholders differ in: " + source));
        QCOMPARE(t.count('\n'), source.count('\n'));
        if (source.contains(QRegularExpression("&[A-Za-z]"))) QVERIFY2(t.contains('&'), qPrintable(lang + ": accelerator lost: " + source));
      }
    }
    QVERIFY(!xml.hasError());
    QVERIFY(messages > 100);
  }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "test_translations.moc"
