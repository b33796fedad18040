// FakeHub: runs tests/common/fake_hub.py (a fake Hugging Face Hub / npm registry / GitHub on
// 127.0.0.1) for the lifetime of the object. The spec layout and the routes are described at the
// top of fake_hub.py. Typical use:
//
//   coz::test::FakeHub hub(spec);            // content files: write them under hub.dir() first,
//   QVERIFY2(hub.ok(), qPrintable(hub.error()));   // or create the hub with {} and setSpec() later
//   ... download from hub.url() ...
//   QCOMPARE(hub.requests().size(), 2);
//
// hub.dir() also holds the server's own files: spec.json, port and requests.log.
//
// Spec (all paths absolute; every key optional except a Hub repo's "commit"):
//   {"token": "hf_good",
//    "hf": {"org/name": {"commit": "<40 hex>", "gated": false, "revisions": ["refs/pr/1"],
//                        "files": {"config.json": {"file": "/abs/f", "lfs": false}}}},
//    "npm": {"@scope/pkg": {"1.0.0": "/abs/pkg.tgz"}},
//    "github": {"owner/repo": {"<commit>": {"ckpt/a.pkl": "/abs/a.pkl"}}},
//    "faults": {"drop_once": {"<key>": 1000}, "corrupt": ["<key>"], "slow": {"<key>": 20000},
//               "status_once": {"<key>": [503, 429]}}}
// A fault key is the file's content SHA-256 hex or the request path (e.g. "/cdn/<sha256>").
#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QSaveFile>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace coz::test {

class FakeHub {
 public:
  // Starts the server and waits (<= 10 s) for its port; on failure ok() is false and error() says why.
  explicit FakeHub(const QJsonObject& spec) {
    if (!dir_.isValid()) {
      error_ = "FakeHub: cannot create a temporary folder: " + dir_.errorString();
      return;
    }
    if (!writeSpec(spec)) return;
    const QString port_file = dir_.filePath("port");
    proc_.setProcessChannelMode(QProcess::ForwardedChannels);  // the server's stderr shows in the test log
    proc_.start("python3", {QStringLiteral(COZ_SOURCE_DIR "/tests/common/fake_hub.py"), "--spec",
                            specPath(), "--port-file", port_file, "--parent-pid",
                            QString::number(QCoreApplication::applicationPid())});
    if (!proc_.waitForStarted(10000)) {
      error_ = "FakeHub: cannot start python3: " + proc_.errorString();
      return;
    }
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 10000) {
      QFile f(port_file);
      if (f.open(QIODevice::ReadOnly)) {
        bool ok = false;
        const int port = QString::fromLatin1(f.readAll()).trimmed().toInt(&ok);
        if (ok && port > 0) {
          port_ = port;
          return;
        }
      }
      if (proc_.waitForFinished(50)) {  // doubles as the poll interval
        error_ = QString("FakeHub: fake_hub.py exited with code %1 before it was listening").arg(proc_.exitCode());
        return;
      }
    }
    error_ = "FakeHub: fake_hub.py did not write its port within 10 s";
  }

  ~FakeHub() {
    if (proc_.state() == QProcess::NotRunning) return;
    proc_.terminate();
    if (!proc_.waitForFinished(3000)) {
      proc_.kill();
      proc_.waitForFinished(3000);
    }
  }

  FakeHub(const FakeHub&) = delete;
  FakeHub& operator=(const FakeHub&) = delete;

  bool ok() const { return error_.isEmpty() && port_ > 0; }
  QString error() const { return error_; }
  int port() const { return port_; }
  QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(port_); }
  QString dir() const { return dir_.path(); }

  // Replaces the spec; the server re-reads it on each request. (The once-faults start afresh
  // whenever the "faults" object changes.)
  void setSpec(const QJsonObject& spec) { writeSpec(spec); }

  // The requests served so far, oldest first (method, path, range, auth, status, bytes_sent, host).
  // A request's line is in place before its client has received the whole answer.
  QList<QJsonObject> requests() const {
    QList<QJsonObject> out;
    QFile f(dir_.filePath("requests.log"));
    if (!f.open(QIODevice::ReadOnly)) return out;
    for (const QByteArray& line : f.readAll().split('\n')) {
      const QJsonDocument doc = QJsonDocument::fromJson(line);
      if (doc.isObject()) out.append(doc.object());
    }
    return out;
  }

  void clearRequests() { QFile::remove(dir_.filePath("requests.log")); }

 private:
  QString specPath() const { return dir_.filePath("spec.json"); }

  bool writeSpec(const QJsonObject& spec) {
    QSaveFile f(specPath());  // written aside, then renamed over the old one
    if (f.open(QIODevice::WriteOnly) && f.write(QJsonDocument(spec).toJson()) >= 0 && f.commit()) return true;
    error_ = "FakeHub: cannot write " + specPath() + ": " + f.errorString();
    return false;
  }

  QTemporaryDir dir_;
  QProcess proc_;
  int port_ = 0;
  QString error_;
};

}  // namespace coz::test
