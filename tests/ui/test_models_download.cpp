// The Models dialog over the real model store (app/studio/model_store_adapter.cpp, the downloader
// of libcoz) against the fake Hub on 127.0.0.1: a download shows a moving progress bar with speed
// and ETA, cancel stops it and keeps the part, the next download resumes and the row turns
// Installed. COZ_SCREENSHOT=file.png saves the dialog mid-download.
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>

#include "fake_hub.h"
#include "model_store_adapter.h"
#include "models_dialog.h"
#include "settings.h"
#include "test_util.h"

using coz::test::FakeHub;
using namespace coz::ui;

namespace {
const char* kCommit = "00112233445566778899aabbccddeeff00112233";

QByteArray pattern(int n) {
  QByteArray b(n, '\0');
  uint32_t x = 12345;
  for (int i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    b[i] = static_cast<char>(x >> 24);
  }
  return b;
}
}  // namespace

class TestModelsDownload : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::unique_ptr<FakeHub> hub_;
  QByteArray weights_;
  QJsonObject spec_;

  QString sha() const { return QCryptographicHash::hash(weights_, QCryptographicHash::Sha256).toHex(); }

 private Q_SLOTS:
  void initTestCase() {
    weights_ = pattern(2000000);
    const QString content = tmp_.path() + "/weights.bin";
    QFile f(content);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(weights_);
    f.close();
    spec_ = QJsonObject{{"hf", QJsonObject{{"coz-test/tiny-tagger",
                                            QJsonObject{{"commit", kCommit},
                                                        {"files", QJsonObject{{"model.safetensors",
                                                                               QJsonObject{{"file", content}, {"lfs", true}}}}}}}}}};
    QJsonObject slow = spec_;
    slow["faults"] = QJsonObject{{"slow", QJsonObject{{sha(), 250000}}}};
    hub_ = std::make_unique<FakeHub>(slow);
    QVERIFY2(hub_->ok(), qPrintable(hub_->error()));
    // A user catalog with one small model, and caches of our own.
    QDir().mkpath(tmp_.path() + "/models.d");
    const QJsonObject cat{
        {"format", "coz-models"},
        {"format_version", 1},
        {"models", QJsonArray{QJsonObject{
                       {"id", "tiny-tagger"}, {"family", "test"}, {"description", "A small test model"},
                       {"licence", "MIT"}, {"licence_url", "https://opensource.org/license/mit"},
                       {"source", QJsonObject{{"type", "huggingface"}, {"repo", "coz-test/tiny-tagger"}}},
                       {"files", QJsonArray{QJsonObject{{"path", "model.safetensors"}, {"size", weights_.size()},
                                                        {"sha256", sha()}}}}}}}};
    QFile c(tmp_.path() + "/models.d/test.json");
    QVERIFY(c.open(QIODevice::WriteOnly));
    c.write(QJsonDocument(cat).toJson());
    c.close();
    qputenv("COZ_MODELS_D", (tmp_.path() + "/models.d").toUtf8());
    qputenv("HF_HOME", (tmp_.path() + "/hfhome").toUtf8());
    qputenv("HF_HUB_CACHE", (tmp_.path() + "/hf").toUtf8());
    qputenv("COZ_MODELS_DIR", (tmp_.path() + "/models").toUtf8());
    qputenv("HF_ENDPOINT", hub_->url().toUtf8());
    qputenv("no_proxy", "127.0.0.1,localhost");
    qunsetenv("HF_TOKEN");
    qunsetenv("HF_HUB_OFFLINE");
  }

  void downloadShowsProgressCancelsAndResumes() {
    Settings settings(tmp_.path() + "/s.ini");
    coz::studio::CozModelStore store;
    ModelsDialog d(store, settings);
    d.resize(1000, 560);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    QPushButton* button = d.buttonFor("tiny-tagger");
    QVERIFY(button);
    QCOMPARE(button->text(), QString("Download"));
    auto* bar = d.findChild<QProgressBar*>("downloadProgress");
    auto* status = d.findChild<QLabel*>("downloadStatus");
    QVERIFY(bar && status);

    QSignalSpy finished(&store, &ModelStore::finished);
    QTest::mouseClick(button, Qt::LeftButton);
    // The bar moves while the bytes arrive (250 kB/s: about 8 s for the file).
    QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible() && bar->value() > 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains("kB/s") || status->text().contains("MB/s"), 10000);
    QVERIFY2(status->text().contains("of 2.0 MB"), qPrintable(status->text()));
    QVERIFY2(status->text().contains("left"), qPrintable(status->text()));
    const QString shot = qEnvironmentVariable("COZ_SCREENSHOT");
    if (!shot.isEmpty()) QVERIFY(d.grab().save(shot));
    QCOMPARE(d.buttonFor("tiny-tagger")->text(), QString("Cancel"));
    QTest::mouseClick(d.buttonFor("tiny-tagger"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(finished.at(0).at(2).toBool(), true);  // cancelled
    QVERIFY2(status->text().contains("resumes where it stopped"), qPrintable(status->text()));
    const QString part = tmp_.path() + "/hf/models--coz-test--tiny-tagger/blobs/" + sha() + ".incomplete";
    QVERIFY(QFileInfo::exists(part));
    const qint64 kept = QFileInfo(part).size();
    QVERIFY(kept > 0 && kept < weights_.size());
    QVERIFY(!QFileInfo::exists(tmp_.path() + "/hf/models--coz-test--tiny-tagger/blobs/" + sha()));
    // The row says Partial with a Resume button.
    QTRY_COMPARE_WITH_TIMEOUT(d.buttonFor("tiny-tagger")->text(), QString("Resume"), 5000);

    // Resume at full speed: it finishes, the row turns Installed, the file is whole.
    hub_->setSpec(spec_);
    hub_->clearRequests();
    QTest::mouseClick(d.buttonFor("tiny-tagger"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 20000);
    QCOMPARE(finished.at(1).at(1).toBool(), true);  // ok
    QTRY_COMPARE_WITH_TIMEOUT(d.buttonFor("tiny-tagger")->text(), QString("Installed"), 5000);
    QVERIFY(!d.buttonFor("tiny-tagger")->isEnabled());
    QFile f(tmp_.path() + "/hf/models--coz-test--tiny-tagger/snapshots/" + kCommit + "/model.safetensors");
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), weights_);
    bool resumed = false;
    for (const QJsonObject& q : hub_->requests())
      resumed |= q["path"].toString().startsWith("/cdn/") && q["range"].toString() == "bytes=" + QString::number(kept) + "-";
    QVERIFY(resumed);
  }

  void tokenIsSavedInTheHubTokenFile() {
    coz::studio::CozModelStore store;
    QCOMPARE(store.tokenFile(), tmp_.path() + "/hfhome/token");
    QString error;
    QSignalSpy changed(&store, &ModelStore::modelsChanged);
    QVERIFY(store.setToken(" hf_secret ", &error));
    QCOMPARE(store.token(), QString("hf_secret"));
    QCOMPARE(changed.count(), 1);
    QVERIFY(!store.setToken("two words", &error));
    QVERIFY2(error.contains("huggingface.co/settings/tokens"), qPrintable(error));
    QVERIFY(store.setToken("", &error));
    QVERIFY(!QFileInfo::exists(tmp_.path() + "/hfhome/token"));
  }
};

QTEST_MAIN(TestModelsDownload)
#include "test_models_download.moc"
