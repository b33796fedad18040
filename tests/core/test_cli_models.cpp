// `coz models` and downloads on demand, end to end against the fake Hub (tests/common/fake_hub.py):
// the tiny SD3 pipeline from tests/data is served as stabilityai/stable-diffusion-3-medium-diffusers
// (gated) and the tiny CoZ LoRAs as the Chain-of-Zoom GitHub files; a user catalog in models.d
// points sd3-medium and coz-lora at them. Then `coz zoom --model sd3-osediff` with no path flags
// finds what `coz models pull` left in the Hub cache.
#include <QCryptographicHash>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include "fake_hub.h"
#include "test_util.h"

using coz::test::FakeHub;

namespace {

const char* kSd3Commit = "5f4e3d2c1b0a99887766554433221100ffeeddcc";
const char* kCozCommit = "42deeda06449cbce6f52af2b400b1037f03a4cb0";

struct Run {
  int code = -1;
  QString out, err;
};

QString golden_sd3() { return QString::fromStdString((coz::test::data_dir() / "goldens/sd3").string()); }
QString golden_pil(const char* name) { return QString::fromStdString((coz::test::data_dir() / "goldens/pil" / name).string()); }

QByteArray file_bytes(const QString& p) {
  QFile f(p);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
QString git_blob(const QByteArray& b) {
  return QCryptographicHash::hash("blob " + QByteArray::number(b.size()) + '\0' + b, QCryptographicHash::Sha1).toHex();
}

}  // namespace

class TestCliModels : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::unique_ptr<FakeHub> hub_;
  int home_ = 0;
  QString root_;  // the current "user": caches, config and outputs

  // A fresh user: empty caches and the test catalog in models.d.
  void new_user() {
    root_ = tmp_.path() + "/user" + QString::number(++home_);
    QDir().mkpath(root_ + "/config/coz/models.d");
    QJsonArray sd3_files;
    const QString pipe = golden_sd3() + "/pipeline";
    QDirIterator it(pipe, QDir::Files, QDirIterator::Subdirectories);
    QStringList rels;
    while (it.hasNext()) rels << QDir(pipe).relativeFilePath(it.next());
    rels.sort();
    for (const QString& rel : rels) sd3_files.append(QJsonObject{{"path", rel}, {"size", QFileInfo(pipe + "/" + rel).size()}});
    const QByteArray lora = file_bytes(golden_sd3() + "/lora/model_tiny.pkl");
    const QByteArray vae = file_bytes(golden_sd3() + "/lora/vae_encoder_tiny.pt");
    const QJsonObject cat{
        {"format", "coz-models"},
        {"format_version", 1},
        {"models",
         QJsonArray{
             QJsonObject{{"id", "sd3-medium"}, {"family", "sd3"}, {"description", "tiny SD3 for tests"}, {"gated", true},
                         {"gate_url", "https://huggingface.co/stabilityai/stable-diffusion-3-medium-diffusers"},
                         {"source", QJsonObject{{"type", "huggingface"},
                                                {"repo", "stabilityai/stable-diffusion-3-medium-diffusers"}}},
                         {"files", sd3_files}},
             QJsonObject{{"id", "coz-lora"}, {"family", "sd3-osediff"}, {"folder", "sd3-osediff"},
                         {"source", QJsonObject{{"type", "github"}, {"repo", "bryanswkim/Chain-of-Zoom"}, {"commit", kCozCommit}}},
                         {"files", QJsonArray{QJsonObject{{"path", "ckpt/SR_LoRA/model_20001.pkl"}, {"dest", "model_20001.pkl"},
                                                          {"size", lora.size()}, {"git_blob", git_blob(lora)}},
                                              QJsonObject{{"path", "ckpt/SR_VAE/vae_encoder_20001.pt"},
                                                          {"dest", "vae_encoder_20001.pt"}, {"size", vae.size()},
                                                          {"git_blob", git_blob(vae)}}}}}}}};
    QFile f(root_ + "/config/coz/models.d/50-test.json");
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(cat).toJson());
  }

  Run coz(const QStringList& args, const QMap<QString, QString>& extra = {}, const QByteArray& terminal_input = {}) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* k : {"HF_TOKEN", "HF_HUB_OFFLINE", "HF_TOKEN_PATH", "COZ_SD3_PATH", "COZ_SD3_LORA", "COZ_SD3_VAE_LORA",
                          "COZ_MODELS_D", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"})
      env.remove(k);
    env.insert("HF_HOME", root_ + "/hfhome");
    env.insert("HF_HUB_CACHE", root_ + "/hf");
    env.insert("COZ_MODELS_DIR", root_ + "/models");
    env.insert("XDG_CONFIG_HOME", root_ + "/config");
    env.insert("HF_ENDPOINT", hub_->url());
    env.insert("COZ_GITHUB_ENDPOINT", hub_->url());
    env.insert("COZ_NPM_REGISTRY", hub_->url());
    env.insert("COZ_DOWNLOAD_RETRY_MS", "5");
    env.insert("no_proxy", "127.0.0.1,localhost");
    env.insert("HF_TOKEN", "hf_good");
    for (auto it = extra.begin(); it != extra.end(); ++it) {
      if (it.value().isNull()) env.remove(it.key());
      else env.insert(it.key(), it.value());
    }
    QProcess p;
    p.setProcessEnvironment(env);
    if (terminal_input.isNull()) {
      p.start(COZ_CLI, args);
      p.closeWriteChannel();  // stdin is not a terminal: coz must not ask
    } else {  // at a terminal: util-linux script(1) gives coz a pseudo-terminal and types the answer
      QStringList quoted{QStringLiteral(COZ_CLI)};
      for (const QString& a : args) quoted << "'" + QString(a).replace("'", "'\\''") + "'";
      p.start("script", {"-qec", quoted.join(' '), "/dev/null"});
      p.waitForStarted();
      p.write(terminal_input);
    }
    p.waitForFinished(180000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
  }

  QStringList zoom_args(const QString& out) {
    return {"zoom", golden_pil("zoom_bicubic_src.png"), "-o", out, "--model", "sd3-osediff", "--steps", "1",
            "--process-size", "64", "--prompt", "cat fur", "--precision", "fp32", "--no-t5", "--quiet"};
  }

 private Q_SLOTS:
  void initTestCase() {
    QJsonObject sd3_files;
    const QString pipe = golden_sd3() + "/pipeline";
    QDirIterator it(pipe, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
      const QString p = it.next();
      const bool lfs = p.endsWith(".safetensors") || p.endsWith(".model");
      sd3_files[QDir(pipe).relativeFilePath(p)] = QJsonObject{{"file", p}, {"lfs", lfs}};
    }
    const QJsonObject spec{
        {"token", "hf_good"},
        {"hf", QJsonObject{{"stabilityai/stable-diffusion-3-medium-diffusers",
                            QJsonObject{{"commit", kSd3Commit}, {"gated", true}, {"files", sd3_files}}}}},
        {"github", QJsonObject{{"bryanswkim/Chain-of-Zoom",
                                QJsonObject{{kCozCommit, QJsonObject{{"ckpt/SR_LoRA/model_20001.pkl", golden_sd3() + "/lora/model_tiny.pkl"},
                                                                     {"ckpt/SR_VAE/vae_encoder_20001.pt", golden_sd3() + "/lora/vae_encoder_tiny.pt"}}}}}}}};
    hub_ = std::make_unique<FakeHub>(spec);
    QVERIFY2(hub_->ok(), qPrintable(hub_->error()));
  }

  void aScriptGetsExit4AndThePullCommand() {
    new_user();
    const Run r = coz(zoom_args(root_ + "/out"));
    QVERIFY2(r.code == 4, qPrintable(r.err));
    QVERIFY2(r.err.contains("model sd3-osediff is not installed. Download it with: coz models pull sd3-osediff"), qPrintable(r.err));
    QVERIFY2(r.err.contains("or run again with --download"), qPrintable(r.err));
    QCOMPARE(hub_->requests().size(), 0);
    QVERIFY(!QFileInfo::exists(root_ + "/out"));
  }

  void pullThenZoomFindsTheModelWithoutPaths() {
    new_user();
    hub_->clearRequests();
    const Run pull = coz({"models", "pull", "sd3-osediff", "--json"});
    QVERIFY2(pull.code == 0, qPrintable(pull.err));
    const QStringList lines = pull.out.trimmed().split('\n');
    const auto last = nlohmann::json::parse(lines.last().toStdString());
    QCOMPARE(last["event"].get<std::string>(), std::string("pulled"));
    QCOMPARE(last["id"].get<std::string>(), std::string("sd3-osediff"));
    QVERIFY(last["files_downloaded"].get<int>() > 20);
    bool progress = false;
    for (const QString& l : lines) {
      const auto j = nlohmann::json::parse(l.toStdString());
      progress |= j["event"] == "progress" && j["stage"] == "download" && j["bytes"].get<int64_t>() > 0;
    }
    QVERIFY(progress);
    // The Hub cache as huggingface_hub leaves it, the LoRAs where the family looks.
    const QString snap = root_ + "/hf/models--stabilityai--stable-diffusion-3-medium-diffusers/snapshots/" + kSd3Commit;
    QVERIFY(QFileInfo(snap + "/model_index.json").isSymLink());
    QCOMPARE(file_bytes(root_ + "/hf/models--stabilityai--stable-diffusion-3-medium-diffusers/refs/main"), QByteArray(kSd3Commit));
    QCOMPARE(file_bytes(root_ + "/models/sd3-osediff/model_20001.pkl"), file_bytes(golden_sd3() + "/lora/model_tiny.pkl"));
    // No --sd3/--lora/--vae-lora, and no network needed any more.
    const Run z = coz(zoom_args(root_ + "/out"), {{"HF_HUB_OFFLINE", "1"}});
    QVERIFY2(z.code == 0, qPrintable(z.err));
    const auto steps = nlohmann::json::parse(file_bytes(root_ + "/out/steps.json").toStdString());
    QCOMPARE(steps["steps"].size(), size_t{2});
    QCOMPARE(steps["request"]["model"].get<std::string>(), std::string("sd3-osediff"));
    // The list shows it installed, with its size and where.
    const Run list = coz({"models", "--json"});
    QCOMPARE(list.code, 0);
    const auto j = nlohmann::json::parse(list.out.toStdString());
    std::map<std::string, nlohmann::json> byid;
    for (const auto& m : j["catalog"]) byid[m["id"]] = m;
    QCOMPARE(byid["sd3-osediff"]["state"].get<std::string>(), std::string("installed"));
    QCOMPARE(byid["sd3-medium"]["where"].get<std::string>(), snap.toStdString());
    QCOMPARE(byid["qwen2.5-vl-3b"]["state"].get<std::string>(), std::string("missing"));
    QVERIFY(byid["sd3-medium"]["size"].get<int64_t>() > 1000000);
    bool ready = false;
    for (const auto& m : j["models"]) ready |= m["id"] == "sd3-osediff" && m["installed"].get<bool>();
    QVERIFY(ready);
    const Run table = coz({"models"});
    QVERIFY2(table.out.contains(QRegularExpression("sd3-osediff\\s+installed\\s+\\d")), qPrintable(table.out));
    // verify: good, then a damaged LoRA is named (exit 4).
    const Run v = coz({"models", "verify", "sd3-osediff"});
    QVERIFY2(v.code == 0 && v.out.contains("sd3-osediff      ok"), qPrintable(v.out + v.err));
    {
      QFile f(root_ + "/models/sd3-osediff/model_20001.pkl");
      QVERIFY(f.open(QIODevice::ReadWrite));
      f.seek(100);
      f.write("XYZ");
    }
    const Run bad = coz({"models", "verify", "coz-lora"});
    QCOMPARE(bad.code, 4);
    QVERIFY2(bad.out.contains("model_20001.pkl: git blob id "), qPrintable(bad.out));
    // rm removes both parts.
    const Run rm = coz({"models", "rm", "sd3-osediff"});
    QVERIFY2(rm.code == 0, qPrintable(rm.err));
    QVERIFY(!QFileInfo::exists(root_ + "/hf/models--stabilityai--stable-diffusion-3-medium-diffusers"));
    QVERIFY(!QFileInfo::exists(root_ + "/models/sd3-osediff/model_20001.pkl"));
  }

  void atATerminalCozAsks() {
    new_user();
    const Run no = coz(zoom_args(root_ + "/out"), {}, "n\n");
    QVERIFY2(no.code == 4, qPrintable(no.out + no.err));
    QVERIFY2(no.out.contains("model sd3-osediff is not installed. Download sd3-osediff ("), qPrintable(no.out));
    QVERIFY2(no.out.contains("gated: needs HF_TOKEN) now? [y/N]"), qPrintable(no.out));
    QVERIFY(!QFileInfo::exists(root_ + "/models/sd3-osediff/model_20001.pkl"));
    const Run yes = coz(zoom_args(root_ + "/out"), {}, "y\n");
    QVERIFY2(yes.code == 0, qPrintable(yes.out + yes.err));
    QVERIFY(QFileInfo::exists(root_ + "/out/step_1.png"));
    QVERIFY(QFileInfo::exists(root_ + "/models/sd3-osediff/model_20001.pkl"));
  }

  void downloadFlagPullsThenRuns() {
    new_user();
    const Run r = coz(zoom_args(root_ + "/out") << "--download");
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(QFileInfo::exists(root_ + "/out/step_1.png"));
  }

  void gatedWithoutTokenExits6WithTheLicencePage() {
    new_user();
    const Run r = coz({"models", "pull", "sd3-medium"}, {{"HF_TOKEN", QString()}});
    QCOMPARE(r.code, 6);
    QVERIFY2(r.err.contains("coz: download failed: sd3-medium (stabilityai/stable-diffusion-3-medium-diffusers) is gated: "
                            "accept its licence at https://huggingface.co/stabilityai/stable-diffusion-3-medium-diffusers"),
             qPrintable(r.err));
    QVERIFY2(r.err.contains(root_ + "/hfhome/token"), qPrintable(r.err));
    // An unknown id is a usage error that lists the catalog.
    const Run u = coz({"models", "pull", "sd4"});
    QCOMPARE(u.code, 2);
    QVERIFY2(u.err.contains("unknown model 'sd4': the catalog has esrgan-thick"), qPrintable(u.err));
  }
};

QTEST_GUILESS_MAIN(TestCliModels)
#include "test_cli_models.moc"
