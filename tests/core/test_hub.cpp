// The model catalog and downloader against a fake Hub / npm registry / GitHub on 127.0.0.1
// (tests/common/fake_hub.py): the Hub cache layout file by file, a second pull that downloads
// nothing, resume after a dropped connection, gated and 404 messages, a bad hash, cancel, offline,
// retries, two concurrent pulls of one file, npm tarballs, GitHub files, verify and remove.
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "coz/hub.h"
#include "tar.h"
#include "fake_hub.h"
#include "test_util.h"
#include "weights/hf_cache.h"

using namespace coz;
using coz::test::FakeHub;
namespace fs = std::filesystem;

namespace {

const char* kCommit = "0123456789abcdef0123456789abcdef01234567";
const char* kGhCommit = "89abcdef0123456789abcdef0123456789abcdef";

QByteArray pattern(int n, int seed) {
  QByteArray b(n, '\0');
  uint32_t x = 2166136261u ^ static_cast<uint32_t>(seed);
  for (int i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    b[i] = static_cast<char>(x >> 24);
  }
  return b;
}
QString sha256(const QByteArray& b) { return QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex(); }
QString git_blob(const QByteArray& b) {
  return QCryptographicHash::hash("blob " + QByteArray::number(b.size()) + '\0' + b, QCryptographicHash::Sha1).toHex();
}
void write(const QString& path, const QByteArray& b) {
  QDir().mkpath(QFileInfo(path).path());
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(b);
}
QByteArray read(const fs::path& p) {
  QFile f(QString::fromStdString(p.string()));
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
std::string s(const QString& q) { return q.toStdString(); }

}  // namespace

class TestHub : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::unique_ptr<FakeHub> hub_;
  QJsonObject spec_;
  // Content, by name.
  QByteArray config_, big_, gated_, pkl_, shard_, modeljson_;
  QString tgz_;
  int run_ = 0;

  QString cdir(const QString& n) const { return tmp_.path() + "/content/" + n; }

  std::string catalog_json() const {
    auto file = [](const QString& path, const QByteArray& b, bool with_sha) {
      QJsonObject f{{"path", path}, {"size", b.size()}};
      if (with_sha) f["sha256"] = sha256(b);
      return f;
    };
    QJsonObject hf{{"type", "huggingface"}, {"repo", "coz-test/tiny"}, {"revision", "main"}};
    QJsonObject tiny{{"id", "tiny"}, {"family", "test"}, {"description", "a tiny Hub model"}, {"licence", "MIT"},
                     {"source", hf},
                     {"files", QJsonArray{file("config.json", config_, false), file("weights/model.safetensors", big_, true)}}};
    QJsonObject gated{{"id", "gated"}, {"family", "test"}, {"gated", true},
                      {"gate_url", "https://example.invalid/coz-test/gated"},
                      {"source", QJsonObject{{"type", "huggingface"}, {"repo", "coz-test/gated"}}},
                      {"files", QJsonArray{file("w.bin", gated_, true)}}};
    QJsonObject missing{{"id", "missing-file"}, {"family", "test"}, {"source", hf},
                        {"files", QJsonArray{QJsonObject{{"path", "not/there.bin"}}}}};
    QJsonObject gh{{"id", "gh"}, {"family", "test"}, {"folder", "ghfolder"},
                   {"source", QJsonObject{{"type", "github"}, {"repo", "coz-test/repo"}, {"commit", kGhCommit}}},
                   {"files", QJsonArray{QJsonObject{{"path", "ckpt/a.pkl"}, {"dest", "a.pkl"}, {"git_blob", git_blob(pkl_)}}}}};
    QFile t(tgz_);
    t.open(QIODevice::ReadOnly);
    const QByteArray tgz = t.readAll();
    QJsonObject npm{{"id", "pkg"}, {"family", "test"}, {"backbone", "pkg-backbone"},
                    {"source", QJsonObject{{"type", "npm"}, {"package", "@coz-test/pkg"}, {"version", "1.0.0"},
                                           {"tarball_size", tgz.size()}, {"tarball_sha256", sha256(tgz)}}},
                    {"files", QJsonArray{QJsonObject{{"path", "package/models/x4/model.json"}, {"dest", "x4/model.json"},
                                                     {"size", modeljson_.size()}, {"sha256", sha256(modeljson_)}},
                                         QJsonObject{{"path", "package/models/x4/group1-shard1of1.bin"},
                                                     {"dest", "x4/group1-shard1of1.bin"}, {"size", shard_.size()},
                                                     {"sha256", sha256(shard_)}}}}};
    QJsonObject bundle{{"id", "bundle"}, {"family", "bundle"}, {"prompt_mode", "test-mode"},
                       {"requires", QJsonArray{"tiny", "gh"}}, {"files", QJsonArray{}}};
    QJsonObject cat{{"format", "coz-models"}, {"format_version", 1},
                    {"models", QJsonArray{tiny, gated, missing, gh, npm, bundle}}};
    return QJsonDocument(cat).toJson().toStdString();
  }

  QJsonObject base_spec() const {
    QJsonObject files{{"config.json", QJsonObject{{"file", cdir("config.json")}, {"lfs", false}}},
                      {"weights/model.safetensors", QJsonObject{{"file", cdir("big.bin")}, {"lfs", true}}}};
    return QJsonObject{
        {"token", "hf_good"},
        {"hf", QJsonObject{{"coz-test/tiny", QJsonObject{{"commit", kCommit}, {"files", files}}},
                           {"coz-test/gated", QJsonObject{{"commit", kCommit}, {"gated", true},
                                                          {"files", QJsonObject{{"w.bin", QJsonObject{{"file", cdir("gated.bin")}, {"lfs", true}}}}}}}}},
        {"npm", QJsonObject{{"@coz-test/pkg", QJsonObject{{"1.0.0", tgz_}}}}},
        {"github", QJsonObject{{"coz-test/repo", QJsonObject{{kGhCommit, QJsonObject{{"ckpt/a.pkl", cdir("a.pkl")}}}}}}}};
  }

  // A fresh cache and models folder for each test.
  hub::HubSettings settings() {
    const QString root = tmp_.path() + "/run" + QString::number(++run_);
    hub::HubSettings st;
    st.hf_endpoint = st.npm_registry = st.github_endpoint = s(hub_->url());
    st.hf_cache = s(root + "/hf");
    st.models_dir = s(root + "/models");
    st.token_file = s(root + "/token");
    st.retry_delay_ms = 5;
    st.max_attempts = 4;
    st.stall_timeout_s = 10;
    return st;
  }
  hub::ModelManager manager(const hub::HubSettings& st) { return hub::ModelManager(hub::Catalog::parse(catalog_json(), "test catalog"), st); }

  int count(const QString& method, const QString& path_prefix) {
    int n = 0;
    for (const QJsonObject& r : hub_->requests())
      if (r["method"].toString() == method && r["path"].toString().startsWith(path_prefix)) ++n;
    return n;
  }

  template <typename F>
  QString error_of(F&& f) {
    try {
      f();
    } catch (const DownloadError& e) {
      return QString::fromStdString(e.what());
    }
    return "(no DownloadError)";
  }

 private Q_SLOTS:
  void initTestCase() {
    qputenv("no_proxy", "127.0.0.1,localhost");
    qputenv("NO_PROXY", "127.0.0.1,localhost");
    config_ = R"({"hidden_size": 8})";
    big_ = pattern(300000, 1);
    gated_ = pattern(5000, 2);
    pkl_ = pattern(7000, 3);
    shard_ = pattern(9000, 4);
    modeljson_ = R"({"format": "layers-model"})";
    write(cdir("config.json"), config_);
    write(cdir("big.bin"), big_);
    write(cdir("gated.bin"), gated_);
    write(cdir("a.pkl"), pkl_);
    write(cdir("pkg/package/models/x4/model.json"), modeljson_);
    write(cdir("pkg/package/models/x4/group1-shard1of1.bin"), shard_);
    write(cdir("pkg/package/README.md"), "not wanted");
    tgz_ = cdir("pkg-1.0.0.tgz");
    QProcess tar;
    tar.start("tar", {"czf", tgz_, "-C", cdir("pkg"), "package"});
    QVERIFY(tar.waitForFinished(30000) && tar.exitCode() == 0);
    spec_ = base_spec();
    hub_ = std::make_unique<FakeHub>(spec_);
    QVERIFY2(hub_->ok(), qPrintable(hub_->error()));
  }
  void init() {
    hub_->setSpec(spec_);
    hub_->clearRequests();
  }

  void builtinCatalog() {
    const hub::Catalog c = hub::Catalog::parse(hub::Catalog::builtin_json(), "built-in");
    for (const char* id : {"esrgan-thick", "esrgan-medium", "esrgan-slim", "esrgan-gans", "sd3-medium", "coz-lora",
                           "sd3-osediff", "ram-swin-large", "dape-lora", "dape", "qwen2.5-vl-3b"})
      QVERIFY2(c.find(id), id);
    std::vector<std::string> order;
    for (const auto* m : c.closure("sd3-osediff")) order.push_back(m->id);
    QCOMPARE(order, (std::vector<std::string>{"sd3-medium", "coz-lora", "sd3-osediff"}));
    QCOMPARE(c.for_backbone("esrgan-thick")->id, std::string("esrgan-thick"));
    QCOMPARE(c.for_backbone("sd3-osediff")->id, std::string("sd3-osediff"));
    QCOMPARE(c.for_prompt_mode("dape")->id, std::string("dape"));
    QCOMPARE(c.for_prompt_mode("vlm")->id, std::string("qwen2.5-vl-3b"));
    QVERIFY(c.at("sd3-medium").gated);
    // Every npm file is pinned by size and SHA-256; the SD3 transformer by its confirmed LFS hash.
    for (const auto& m : c.models())
      for (const auto& f : m.files)
        if (f.source.kind == hub::FileSource::Kind::Npm) QVERIFY(f.size > 0 && f.sha256.size() == 64);
    const auto& sd3 = c.at("sd3-medium").files;
    auto t = std::find_if(sd3.begin(), sd3.end(), [](const auto& f) { return f.source.path == "transformer/diffusion_pytorch_model.safetensors"; });
    QVERIFY(t != sd3.end());
    QCOMPARE(t->size, int64_t{4169981408});
    QCOMPARE(t->sha256, std::string("8b0e357dd04755fbfb067c63f4a883ac1de2942dd4a3240069874a17022e5418"));
    QCOMPARE(c.at("esrgan-thick").files.front().source.tarball_size, int64_t{110294929});
  }

  void catalogErrorsNameTheFileAndEntry() {
    auto err = [](const std::string& text) -> QString {
      try {
        hub::Catalog::parse(text, "/x/models.d/mine.json");
      } catch (const InvalidInput& e) {
        return e.what();
      }
      return "(accepted)";
    };
    const std::string head = R"({"format": "coz-models", "format_version": 1, "models": [)";
    QVERIFY(err("{").contains("/x/models.d/mine.json: not valid JSON"));
    QVERIFY(err(R"({"format": "coz-models", "format_version": 2, "models": []})").contains("format_version"));
    QCOMPARE(err(head + R"({"id": "a", "family": "f", "colour": 1, "files": []}]})"),
             QString("/x/models.d/mine.json: models[0] (a): unknown key 'colour' (see core/hub/models.json for the format)"));
    QVERIFY(err(head + R"({"id": "a", "family": "f", "source": {"type": "github", "repo": "o/r", "commit": "c"},
                         "files": [{"path": "../../etc/passwd"}]}]})").contains("models[0] (a).files[0]: 'path' must be a relative path"));
    QVERIFY(err(head + R"({"id": "a", "family": "f", "source": {"type": "npm", "package": "p", "version": "1"},
                         "files": [{"path": "package/x", "dest": "/abs"}]}]})").contains("'dest' must be a relative path"));
    QVERIFY(err(head + R"({"id": "a", "family": "f", "source": {"type": "ftp", "repo": "o/r"}, "files": [{"path": "x"}]}]})")
                .contains("'type' must be huggingface, npm or github"));
    QVERIFY(err(head + R"({"id": "a", "family": "f", "source": {"type": "huggingface", "repo": "o/r"},
                         "files": [{"path": "x", "sha256": "ABC"}]}]})").contains("'sha256' must be 64 lower-case hex digits"));
    // Cycles and unknown requirements are refused when the catalog is loaded.
    const QString dir = tmp_.path() + "/models.d";
    QDir().mkpath(dir);
    write(dir + "/50-cycle.json", QByteArray::fromStdString(head + R"({"id": "p", "family": "b", "requires": ["q"], "files": []},
      {"id": "q", "family": "b", "requires": ["p"], "files": []}]})"));
    try {
      hub::Catalog::load({s(dir)});
      QFAIL("a cycle was accepted");
    } catch (const InvalidInput& e) {
      QVERIFY2(QString(e.what()).contains("cycle"), e.what());
    }
    // A user entry replaces the built-in one with the same id and adds new ones.
    QFile::remove(dir + "/50-cycle.json");
    write(dir + "/10-mine.json", QByteArray::fromStdString(head + R"({"id": "esrgan-slim", "family": "esrgan", "description": "mine",
      "source": {"type": "npm", "package": "@me/slim", "version": "2.0.0"}, "files": [{"path": "package/x4/model.json"}]},
      {"id": "extra", "family": "test", "source": {"type": "huggingface", "repo": "me/extra"}, "files": [{"path": "a.bin"}]}]})"));
    const hub::Catalog c = hub::Catalog::load({s(dir)});
    QCOMPARE(c.at("esrgan-slim").description, std::string("mine"));
    QCOMPARE(c.at("esrgan-slim").files.front().dest, std::string("model.json"));
    QCOMPARE(c.at("extra").files.front().source.revision, std::string("main"));
    QVERIFY(c.find("esrgan-thick"));
    try {
      c.at("nope");
      QFAIL("unknown id accepted");
    } catch (const InvalidInput& e) {
      QVERIFY(QString(e.what()).startsWith("unknown model 'nope': the catalog has esrgan-thick, "));
    }
  }

  void hubPullLaysOutTheCacheLikeHuggingfaceHub() {
    const hub::HubSettings st = settings();
    auto mm = manager(st);
    QCOMPARE(mm.status("tiny").state, hub::InstallState::Missing);
    std::vector<Progress> seen;
    RunControl ctl;
    ctl.on_progress = [&](const Progress& p) { seen.push_back(p); };
    const hub::PullResult r = mm.pull("tiny", ctl);
    QCOMPARE(r.files_downloaded, 2);
    QCOMPARE(r.downloaded_bytes, int64_t{big_.size() + config_.size()});
    const fs::path repo = st.hf_cache / "models--coz-test--tiny";
    // blobs/<etag>: the SHA-256 for the LFS file, the git blob id for the other.
    QCOMPARE(read(repo / "blobs" / s(sha256(big_))), big_);
    QCOMPARE(read(repo / "blobs" / s(git_blob(config_))), config_);
    // snapshots/<commit>/<path>: relative links to the blobs.
    const fs::path snap = repo / "snapshots" / kCommit;
    QVERIFY(fs::is_symlink(snap / "config.json"));
    QCOMPARE(fs::read_symlink(snap / "config.json").string(), "../../blobs/" + s(git_blob(config_)));
    QCOMPARE(fs::read_symlink(snap / "weights/model.safetensors").string(), "../../../blobs/" + s(sha256(big_)));
    QCOMPARE(read(snap / "weights/model.safetensors"), big_);
    // refs/main holds the commit, no newline.
    QCOMPARE(read(repo / "refs" / "main"), QByteArray(kCommit));
    // Nothing else: no parts, no temporary links.
    int entries = 0;
    for (const auto& e : fs::recursive_directory_iterator(repo)) {
      ++entries;
      QVERIFY2(e.path().string().find(".incomplete") == std::string::npos && e.path().string().find(".tmp") == std::string::npos,
               e.path().c_str());
    }
    QCOMPARE(entries, 10);  // 5 folders (blobs, refs, snapshots, <commit>, weights), 2 blobs, refs/main, 2 links
    QVERIFY(fs::exists(st.hf_cache / ".locks" / "models--coz-test--tiny" / (s(sha256(big_)) + ".lock")));
    // The engine's lookup finds the snapshot, as it finds one that Python tools downloaded.
    QCOMPARE(weights::find_hf_snapshot_in(st.hf_cache, "coz-test/tiny", "main", "config.json").value(), snap);
    const hub::ModelStatus ms = mm.status("tiny");
    QCOMPARE(ms.state, hub::InstallState::Installed);
    QCOMPARE(ms.where, snap);
    // Progress: Stage::Download, file k of 2, bytes up to the size, the big file named.
    QVERIFY(!seen.empty());
    QCOMPARE(seen.back().stage, Stage::Download);
    QCOMPARE(seen.back().steps, 2);
    bool big_done = false;
    for (const auto& p : seen) big_done |= p.file == "weights/model.safetensors" && p.bytes == big_.size() && p.total_bytes == big_.size();
    QVERIFY(big_done);
    // The bearer token never reaches the CDN host.
    for (const QJsonObject& q : hub_->requests())
      if (q["path"].toString().startsWith("/cdn/")) QVERIFY(!q["auth"].toBool());
    // A second pull downloads nothing: HEADs only.
    hub_->clearRequests();
    const hub::PullResult again = mm.pull("tiny", {});
    QCOMPARE(again.files_downloaded, 0);
    QCOMPARE(again.files_present, 2);
    QCOMPARE(count("GET", "/"), 0);
    // verify reads the bytes back; a damaged blob is reported with both hashes.
    QVERIFY(mm.verify("tiny").ok());
    {
      std::fstream f(repo / "blobs" / s(sha256(big_)), std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(10);
      f.put('\x5a' ^ big_[10]);
    }
    const hub::VerifyResult v = mm.verify("tiny");
    QVERIFY(!v.ok());
    QCOMPARE(v.items.size(), size_t{2});
    QVERIFY2(QString::fromStdString(v.items[1].problem).startsWith("SHA-256 "), v.items[1].problem.c_str());
    // rm deletes the repository folder (no other snapshot uses it) and says what it freed.
    QCOMPARE(mm.remove("tiny"), int64_t{big_.size() + config_.size() + 40});
    QVERIFY(!fs::exists(repo));
    QCOMPARE(mm.status("tiny").state, hub::InstallState::Missing);
  }

  void resumesAfterADroppedConnection() {
    QJsonObject spec = spec_;
    spec["faults"] = QJsonObject{{"drop_once", QJsonObject{{sha256(big_), 100000}}}};
    hub_->setSpec(spec);
    const hub::HubSettings st = settings();
    auto mm = manager(st);
    mm.pull("tiny", {});
    QCOMPARE(read(st.hf_cache / "models--coz-test--tiny" / "blobs" / s(sha256(big_))), big_);
    QStringList ranges;
    for (const QJsonObject& q : hub_->requests())
      if (q["method"] == "GET" && q["path"].toString().startsWith("/cdn/")) ranges << q["range"].toString();
    QCOMPARE(ranges, (QStringList{"", "bytes=100000-"}));
  }

  void resumeAgainstAServerThatIgnoresRange() {
    // The retry asks for bytes=100000- and gets 200 with the whole file: it is written from byte 0,
    // not appended to the part (one retry, no third request to repair a too-long part).
    QJsonObject spec = spec_;
    spec["faults"] = QJsonObject{{"drop_once", QJsonObject{{sha256(big_), 100000}}},
                                 {"ignore_range", QJsonArray{sha256(big_)}}};
    hub_->setSpec(spec);
    const hub::HubSettings st = settings();
    std::vector<int64_t> reported;
    RunControl ctl;
    ctl.on_progress = [&](const Progress& p) {
      if (p.file == "weights/model.safetensors") reported.push_back(p.bytes);
    };
    manager(st).pull("tiny", ctl);
    QCOMPARE(read(st.hf_cache / "models--coz-test--tiny" / "blobs" / s(sha256(big_))), big_);
    QStringList got;
    for (const QJsonObject& q : hub_->requests())
      if (q["method"] == "GET" && q["path"].toString().startsWith("/cdn/"))
        got << q["range"].toString() + "->" + QString::number(q["status"].toInt());
    QCOMPARE(got, (QStringList{"->200", "bytes=100000-->200"}));
    for (int64_t b : reported) QVERIFY2(b <= big_.size(), qPrintable(QString::number(b)));  // never part + whole file
  }

  void retriesOnServerErrors() {
    QJsonObject spec = spec_;
    spec["faults"] = QJsonObject{{"status_once", QJsonObject{{sha256(big_), QJsonArray{503, 429}}}}};
    hub_->setSpec(spec);
    auto mm = manager(settings());
    mm.pull("tiny", {});
    QCOMPARE(mm.status("tiny").state, hub::InstallState::Installed);
    QCOMPARE(count("GET", "/cdn/"), 3);
  }

  void gatedReposExplainWhatToDo() {
    hub::HubSettings st = settings();
    const QString none = error_of([&] { manager(st).pull("gated", {}); });
    QVERIFY2(none.contains("gated (coz-test/gated) is gated: accept its licence at https://example.invalid/coz-test/gated"), qPrintable(none));
    QVERIFY2(none.contains("HF_TOKEN") && none.contains(QString::fromStdString(st.token_file.string())), qPrintable(none));
    QVERIFY(!fs::exists(st.hf_cache / "models--coz-test--gated" / "blobs" / s(sha256(gated_))));
    st.token = "hf_wrong";
    const QString wrong = error_of([&] { manager(st).pull("gated", {}); });
    QVERIFY2(wrong.contains("your token has no access") && wrong.contains("HTTP 403"), qPrintable(wrong));
    st.token = "hf_good";
    hub_->clearRequests();
    manager(st).pull("gated", {});
    QCOMPARE(read(st.hf_cache / "models--coz-test--gated" / "blobs" / s(sha256(gated_))), gated_);
    // The token went to the Hub and was dropped on the redirect to the CDN host.
    bool hub_auth = false;
    for (const QJsonObject& q : hub_->requests()) {
      if (q["path"].toString().startsWith("/coz-test/gated/resolve/")) hub_auth |= q["auth"].toBool();
      if (q["path"].toString().startsWith("/cdn/")) QVERIFY(!q["auth"].toBool() && q["status"].toInt() == 200);
    }
    QVERIFY(hub_auth);
  }

  void notFoundNamesTheFile() {
    const QString e = error_of([&] { manager(settings()).pull("missing-file", {}); });
    QVERIFY2(e.contains("not found (404): not/there.bin of missing-file is not on the server"), qPrintable(e));
  }

  void aBadHashDeletesTheFile() {
    QJsonObject spec = spec_;
    spec["faults"] = QJsonObject{{"corrupt", QJsonArray{sha256(big_)}}};
    hub_->setSpec(spec);
    const hub::HubSettings st = settings();
    const QString e = error_of([&] { manager(st).pull("tiny", {}); });
    QVERIFY2(e.contains("weights/model.safetensors (tiny) is damaged: SHA-256 ") && e.contains("The bad file was deleted"),
             qPrintable(e));
    const fs::path blobs = st.hf_cache / "models--coz-test--tiny" / "blobs";
    QVERIFY(!fs::exists(blobs / s(sha256(big_))));
    QVERIFY(!fs::exists(blobs / (s(sha256(big_)) + ".incomplete")));
  }

  void cancelKeepsOnlyTheIncompletePartAndResumes() {
    QJsonObject spec = spec_;
    spec["faults"] = QJsonObject{{"slow", QJsonObject{{sha256(big_), 60000}}}};
    hub_->setSpec(spec);
    const hub::HubSettings st = settings();
    auto mm = manager(st);
    std::atomic<bool> cancel{false};
    RunControl ctl;
    ctl.cancel = &cancel;
    ctl.on_progress = [&](const Progress& p) {
      if (p.file == "weights/model.safetensors" && p.bytes > 50000) cancel = true;
    };
    bool cancelled = false;
    try {
      mm.pull("tiny", ctl);
    } catch (const Cancelled&) {
      cancelled = true;
    }
    QVERIFY(cancelled);
    // The server logs the abandoned transfer when its next write fails: wait for it, so the line
    // does not land in a later test's log.
    QTRY_VERIFY_WITH_TIMEOUT(count("GET", "/cdn/") == 1, 10000);
    const fs::path repo = st.hf_cache / "models--coz-test--tiny";
    QVERIFY(!fs::exists(repo / "blobs" / s(sha256(big_))));
    QVERIFY(!fs::exists(repo / "snapshots" / kCommit / "weights"));
    const int64_t part = static_cast<int64_t>(fs::file_size(repo / "blobs" / (s(sha256(big_)) + ".incomplete")));
    QVERIFY2(part > 50000 && part < big_.size(), qPrintable(QString::number(part)));
    const hub::ModelStatus ms = mm.status("tiny");
    QCOMPARE(ms.state, hub::InstallState::Partial);
    QCOMPARE(ms.files[1].partial_bytes, part);
    // The next pull resumes from the part.
    hub_->setSpec(spec_);
    hub_->clearRequests();
    mm.pull("tiny", {});
    QCOMPARE(read(repo / "blobs" / s(sha256(big_))), big_);
    QStringList ranges;
    for (const QJsonObject& q : hub_->requests())
      if (q["method"] == "GET" && q["path"].toString().startsWith("/cdn/")) ranges << q["range"].toString();
    QCOMPARE(ranges, QStringList{"bytes=" + QString::number(part) + "-"});
  }

  void offlineSaysWhatIsMissingAndWhere() {
    hub::HubSettings st = settings();
    st.offline = true;
    const QString e = error_of([&] { manager(st).pull("tiny", {}); });
    QVERIFY2(e.startsWith("offline (HF_HUB_OFFLINE is set): tiny is missing 2 file(s), which would go to:"), qPrintable(e));
    QVERIFY2(e.contains(QString::fromStdString((st.hf_cache / "models--coz-test--tiny" / "snapshots" / "main" / "config.json").string())),
             qPrintable(e));
    QCOMPARE(count("HEAD", "/"), 0);
    // Installed models need no network.
    st.offline = false;
    manager(st).pull("tiny", {});
    st.offline = true;
    hub_->clearRequests();
    QCOMPARE(manager(st).pull("tiny", {}).files_present, 2);
    QCOMPARE(hub_->requests().size(), 0);
  }

  void twoConcurrentPullsDownloadOnce() {
    QJsonObject spec = spec_;
    spec["faults"] = QJsonObject{{"slow", QJsonObject{{sha256(big_), 400000}}}};
    hub_->setSpec(spec);
    const hub::HubSettings st = settings();
    QString e1, e2;
    std::thread a([&] { e1 = error_of([&] { manager(st).pull("tiny", {}); }); });
    std::thread b([&] { e2 = error_of([&] { manager(st).pull("tiny", {}); }); });
    a.join();
    b.join();
    QCOMPARE(e1, QString("(no DownloadError)"));
    QCOMPARE(e2, QString("(no DownloadError)"));
    QCOMPARE(count("GET", "/cdn/"), 1);  // the second waited for the lock, then found the blob
    QCOMPARE(read(st.hf_cache / "models--coz-test--tiny" / "snapshots" / kCommit / "weights/model.safetensors"), big_);
  }

  void npmTarballsUnpackTheListedFiles() {
    const hub::HubSettings st = settings();
    auto mm = manager(st);
    const hub::PullResult r = mm.pull("pkg", {});
    QCOMPARE(r.files_downloaded, 2);
    QCOMPARE(read(st.models_dir / "pkg" / "x4" / "model.json"), modeljson_);
    QCOMPARE(read(st.models_dir / "pkg" / "x4" / "group1-shard1of1.bin"), shard_);
    QVERIFY(!fs::exists(st.models_dir / "pkg" / "README.md"));
    QVERIFY(fs::is_empty(st.models_dir / ".downloads"));  // the tarball is gone once unpacked
    QCOMPARE(count("GET", "/@coz-test/pkg/-/pkg-1.0.0.tgz"), 1);
    QCOMPARE(mm.status("pkg").state, hub::InstallState::Installed);
    QVERIFY(mm.verify("pkg").ok());
  }

  void githubFilesAreCheckedByTheirGitBlobId() {
    const hub::HubSettings st = settings();
    auto mm = manager(st);
    mm.pull("gh", {});
    const fs::path p = st.models_dir / "ghfolder" / "a.pkl";
    QCOMPARE(read(p), pkl_);
    QCOMPARE(count("GET", "/coz-test/repo/raw/"), 1);
    QCOMPARE(count("GET", "/raw-cdn/"), 1);
    write(QString::fromStdString(p.string()), pattern(7000, 99));
    const hub::VerifyResult v = mm.verify("gh");
    QVERIFY(!v.ok());
    QVERIFY2(QString::fromStdString(v.items[0].problem).startsWith("git blob id "), v.items[0].problem.c_str());
    QCOMPARE(mm.remove("gh"), int64_t{7000});
    QVERIFY(!fs::exists(st.models_dir / "ghfolder"));
  }

  void bundlesPullTheirParts() {
    const hub::HubSettings st = settings();
    auto mm = manager(st);
    QCOMPARE(mm.status("bundle").state, hub::InstallState::Missing);
    mm.pull("gh", {});
    QCOMPARE(mm.status("bundle").state, hub::InstallState::Partial);
    const hub::PullResult r = mm.pull("bundle", {});
    QCOMPARE(r.files_downloaded, 2);
    QCOMPARE(r.files_present, 1);
    QCOMPARE(mm.status("bundle").state, hub::InstallState::Installed);
    QVERIFY(mm.remove("bundle") > 0);
    QCOMPARE(mm.status("tiny").state, hub::InstallState::Missing);
    QCOMPARE(mm.status("gh").state, hub::InstallState::Missing);
  }

  void hostileTarballsAreRefused() {
    auto read_all = [](const QString& path) -> QString {
      try {
        hub::TarVisitor v;
        v.want = [](const std::string&, int64_t) { return true; };
        v.data = [](const std::string&, const char*, size_t) {};
        hub::read_tgz(s(path), v);
      } catch (const Error& e) {
        return e.what();
      }
      return "(read)";
    };
    QFile t(tgz_);
    QVERIFY(t.open(QIODevice::ReadOnly));
    const QByteArray good = t.readAll();
    QCOMPARE(read_all(tgz_), QString("(read)"));
    const QString dir = tmp_.path() + "/hostile/";
    write(dir + "cut.tgz", good.left(good.size() / 2));
    QVERIFY2(read_all(dir + "cut.tgz").contains("the package tarball is damaged or cut short"), qPrintable(read_all(dir + "cut.tgz")));
    write(dir + "noise.tgz", pattern(4096, 7));  // not gzip: zlib reads it as is, and it is no tar either
    QVERIFY2(read_all(dir + "noise.tgz").contains("not a tar archive (bad header checksum)"), qPrintable(read_all(dir + "noise.tgz")));
    write(dir + "empty.tgz", QByteArray());
    QVERIFY(read_all(dir + "empty.tgz").contains("damaged or cut short"));
    // A header whose size field claims far more than the file holds.
    QByteArray h(512, '\0');
    memcpy(h.data(), "package/x", 9);
    memcpy(h.data() + 124, "77777777777", 11);
    h[156] = '0';
    memcpy(h.data() + 148, "        ", 8);
    int sum = 0;
    for (char c : h) sum += static_cast<unsigned char>(c);
    QByteArray chk = QByteArray::number(sum, 8).rightJustified(6, '0');
    memcpy(h.data() + 148, chk.constData(), 6);
    h[154] = '\0';
    write(dir + "huge.tar", h + QByteArray(1024, '\0'));
    QVERIFY2(read_all(dir + "huge.tar").contains("damaged or cut short"), qPrintable(read_all(dir + "huge.tar")));
  }

  void noSpaceNoNetworkAndRevisions() {
    // A file larger than any disk: refused before the first byte, naming the folder.
    hub::HubSettings st = settings();
    const std::string huge = R"({"format": "coz-models", "format_version": 1, "models": [{"id": "huge", "family": "t",
      "source": {"type": "huggingface", "repo": "coz-test/tiny"}, "files": [{"path": "x.bin", "size": 900000000000000}]}]})";
    QString e = error_of([&] { hub::ModelManager(hub::Catalog::parse(huge, "t"), st).pull("huge", {}); });
    QVERIFY2(e.startsWith("not enough space for huge: it needs 900 TB in " + QString::fromStdString(st.hf_cache.string())), qPrintable(e));
    QCOMPARE(hub_->requests().size(), 0);
    // Nobody listening: named URL, what to check, that a rerun resumes.
    st.hf_endpoint = "http://127.0.0.1:9";  // the discard port: closed on loopback
    st.max_attempts = 2;
    e = error_of([&] { manager(st).pull("tiny", {}); });
    QVERIFY2(e.startsWith("cannot reach http://127.0.0.1:9/coz-test/tiny/resolve/main/config.json (") &&
                 e.contains("after 2 attempts; check the network and proxy settings"),
             qPrintable(e));
    // --revision: a commit is used as it is (no refs entry for it); an unknown one is named.
    st = settings();
    hub::PullOptions po;
    po.revision = kCommit;
    manager(st).pull("tiny", {}, po);
    const fs::path repo = st.hf_cache / "models--coz-test--tiny";
    QCOMPARE(read(repo / "snapshots" / kCommit / "config.json"), config_);
    QVERIFY(!fs::exists(repo / "refs"));
    po.revision = "v9";
    e = error_of([&] { manager(settings()).pull("tiny", {}, po); });
    QVERIFY2(e.endsWith("the revision 'v9' of coz-test/tiny does not exist; check --revision"), qPrintable(e));
  }

  void tokenFileIsPrivate() {
    const fs::path f = s(tmp_.path() + "/hfhome/token");
    hub::save_token(f, "  hf_abc \n");
    QCOMPARE(read(f), QByteArray("hf_abc"));
    struct stat sb {};
    QCOMPARE(::stat(f.c_str(), &sb), 0);
    QCOMPARE(sb.st_mode & 0777, 0600u);
    try {
      hub::save_token(f, "hf a b");
      QFAIL("a token with spaces was saved");
    } catch (const InvalidInput&) {
    }
    hub::save_token(f, "");
    QVERIFY(!fs::exists(f));
    QCOMPARE(hub::human_bytes(4169981408), std::string("4.2 GB"));
    QCOMPARE(hub::human_bytes(999), std::string("999 B"));
    QCOMPARE(hub::human_bytes(117170203), std::string("117 MB"));
  }
};

QTEST_GUILESS_MAIN(TestHub)
#include "test_hub.moc"
