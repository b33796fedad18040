// `coz batch` over real folders, as a user runs it: structure kept, a corrupt file listed while the
// rest is done, a rerun that does only what is left (also after Ctrl+C), and shards that split the
// sorted list into disjoint parts covering every file.
#include <QProcess>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <csignal>
#include <fstream>
#include <map>
#include <set>

#include "coz/imageio.h"
#include "test_util.h"

using namespace coz;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {
void image(const fs::path& p, int w, int h) {
  fs::create_directories(p.parent_path());
  Image img;
  img.rgb = test::test_pattern(w, h);
  io::write_image(p.string(), img);
}
std::vector<json> manifest(const fs::path& f) {
  std::vector<json> lines;
  std::ifstream in(f);
  for (std::string l; std::getline(in, l);) lines.push_back(json::parse(l));
  return lines;
}
struct Run {
  int code = -1;
  std::string out, err;
};
Run run_coz(const QStringList& args) {
  QProcess p;
  p.start(COZ_CLI, args);
  p.waitForFinished(300000);
  return {p.exitCode(), p.readAllStandardOutput().toStdString(), p.readAllStandardError().toStdString()};
}
QString q(const fs::path& p) { return QString::fromStdString(p.string()); }
}  // namespace

class TestBatch : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void treeWithACorruptFile() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString(), in = root / "in", out = root / "out";
    image(in / "a.png", 40, 30);
    image(in / "sub" / "b.jpg", 24, 20);
    image(in / "sub" / "deep" / "c.png", 16, 16);
    fs::create_directories(in / ".hidden");
    image(in / ".hidden" / "x.png", 8, 8);
    std::ofstream(in / "sub" / "bad.png") << "not a png at all";
    std::ofstream(in / "notes.txt") << "skip me";
    const QStringList args{"batch", q(in), "-o", q(out), "--recursive", "--keep-structure", "--scale", "2", "--model",
                           "bicubic", "--quiet"};
    const Run r = run_coz(args);
    QCOMPARE(r.code, 7);  // some files failed
    QCOMPARE(io::read_image((out / "a.png").string()).width(), 80);
    QCOMPARE(io::read_image((out / "sub" / "b.jpg").string()).height(), 40);
    QCOMPARE(io::read_image((out / "sub" / "deep" / "c.png").string()).width(), 32);
    QVERIFY(!fs::exists(out / "sub" / "bad.png"));
    QVERIFY(!fs::exists(out / ".hidden"));
    const auto m = manifest(out / "batch.jsonl");
    QCOMPARE(m.size(), size_t{4});
    std::map<std::string, json> by_out;
    for (const auto& l : m) by_out[l["output"]] = l;
    QCOMPARE(by_out["a.png"]["status"].get<std::string>(), std::string("ok"));
    QCOMPARE(by_out["sub/deep/c.png"]["status"].get<std::string>(), std::string("ok"));
    const json bad = by_out["sub/bad.png"];
    QCOMPARE(bad["status"].get<std::string>(), std::string("failed"));
    QCOMPARE(bad["exit_code"].get<int>(), 3);
    QVERIFY2(bad["error"].get<std::string>().find("bad.png") != std::string::npos, bad.dump().c_str());

    // A rerun does only what is left: the failed file again, nothing else.
    const auto t_a = fs::last_write_time(out / "a.png");
    const Run again = run_coz(args);
    QCOMPARE(again.code, 7);
    QCOMPARE(manifest(out / "batch.jsonl").size(), size_t{5});
    QCOMPARE(manifest(out / "batch.jsonl").back()["output"].get<std::string>(), std::string("sub/bad.png"));
    QVERIFY(fs::last_write_time(out / "a.png") == t_a);

    // Flat output: two files with one name are refused before anything runs.
    image(in / "sub" / "a.png", 8, 8);
    const Run flat = run_coz({"batch", q(in), "-o", q(root / "flat"), "--recursive", "--scale", "2", "--model", "bicubic"});
    QCOMPARE(flat.code, 2);
    QVERIFY2(flat.err.find("a.png") != std::string::npos && flat.err.find("--keep-structure") != std::string::npos,
             flat.err.c_str());
    QVERIFY(!fs::exists(root / "flat" / "a.png"));
  }

  void zoomEachImage() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString(), out = root / "out";
    image(root / "in" / "p.png", 64, 48);
    image(root / "in" / "q.png", 48, 64);
    const Run r = run_coz({"batch", q(root / "in"), "-o", q(out), "--steps", "1", "--process-size", "32", "--model", "bicubic",
                       "--json"});
    QVERIFY2(r.code == 0, r.err.c_str());
    for (const char* n : {"p", "q"}) {
      QVERIFY(fs::exists(out / n / "steps.json"));
      QCOMPARE(io::read_image((out / n / "step_1.png").string()).width(), 32);
    }
    QVERIFY(r.out.find("\"event\":\"done\"") != std::string::npos);
  }

  void resumeAfterCtrlC() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString(), in = root / "in", out = root / "out";
    for (int i = 0; i < 6; ++i) image(in / ("f" + std::to_string(i) + ".png"), 600, 600);
    const QStringList args{"batch", q(in), "-o", q(out), "--scale", "3", "--model", "bicubic", "--json"};
    QProcess p;
    p.start(COZ_CLI, args);
    QVERIFY(p.waitForStarted());
    // Ctrl+C once the first file is reported.
    std::string seen;
    while (seen.find("\"event\":\"file\"") == std::string::npos && p.state() != QProcess::NotRunning) {
      p.waitForReadyRead(1000);
      seen += p.readAllStandardOutput().toStdString();
    }
    ::kill(static_cast<pid_t>(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(300000));
    const auto first = manifest(out / "batch.jsonl");
    QVERIFY(!first.empty());
    qInfo("Ctrl+C: exit %d after %zu of 6 files", p.exitCode(), first.size());
    if (p.exitCode() == 130) QVERIFY(first.size() < 6);  // else it had finished before the signal came
    const Run rest = run_coz(args);
    QVERIFY2(rest.code == 0, rest.err.c_str());
    const auto all = manifest(out / "batch.jsonl");
    QCOMPARE(all.size(), size_t{6});  // every file once: nothing done twice
    std::set<std::string> outs;
    for (const auto& l : all) {
      QCOMPARE(l["status"].get<std::string>(), std::string("ok"));
      outs.insert(l["output"].get<std::string>());
    }
    QCOMPARE(outs.size(), size_t{6});
    for (int i = 0; i < 6; ++i) QCOMPARE(io::read_image((out / ("f" + std::to_string(i) + ".png")).string()).width(), 1800);
    // No temporary file is left behind.
    for (const auto& e : fs::directory_iterator(out))
      QVERIFY2(e.path().extension() == ".png" || e.path().filename() == "batch.jsonl", e.path().c_str());
  }

  void shardsAreDisjointAndCoverAll() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString(), in = root / "in", out = root / "out";
    for (int i = 0; i < 7; ++i) image(in / ("s" + std::to_string(i) + ".png"), 12, 12);
    std::vector<std::set<std::string>> parts;
    for (int s = 0; s < 3; ++s) {
      const Run r = run_coz({"batch", q(in), "-o", q(out), "--scale", "2", "--model", "bicubic", "--quiet", "--shard",
                         QString("%1/3").arg(s)});
      QVERIFY2(r.code == 0, r.err.c_str());
      std::set<std::string> mine;
      for (const auto& l : manifest(out / ("batch-" + std::to_string(s) + "-of-3.jsonl"))) mine.insert(l["output"].get<std::string>());
      parts.push_back(mine);
    }
    std::set<std::string> all;
    size_t total = 0;
    for (const auto& p : parts) {
      QVERIFY(p.size() == 2 || p.size() == 3);
      total += p.size();
      all.insert(p.begin(), p.end());
    }
    QCOMPARE(total, size_t{7});
    QCOMPARE(all.size(), size_t{7});  // disjoint and covering
    QCOMPARE(run_coz({"batch", q(in), "-o", q(out), "--scale", "2", "--shard", "3/3"}).code, 2);
    QCOMPARE(run_coz({"batch", q(in), "-o", q(out), "--scale", "2", "--shard", "x"}).code, 2);
  }
};

QTEST_GUILESS_MAIN(TestBatch)
#include "test_batch.moc"
