// Hostile inputs against the real `coz` executable: crafted model files and images made at test
// time by tools/hostile/make_hostile.py (each case names the check it attacks). Every case must end
// with its exit code (3 bad image, 4 bad model file, 0 strange but valid), a message naming the file,
// no crash, nothing left in the output folder, and no code run from a pickle. Also: a zoom that
// fails leaves no output folder behind (test_cli covers cancelling).
#include <QProcess>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include "test_util.h"

namespace {
struct Run {
  bool crashed = false;
  int code = -1;
  QString out, err;
};
Run coz_run(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
  QProcess p;
  p.setProcessEnvironment(env);
  p.start(COZ_CLI, args);
  p.waitForFinished(120000);
  return {p.exitStatus() != QProcess::NormalExit, p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}
QString golden(const char* name) { return QString::fromStdString((coz::test::data_dir() / "goldens/pil" / name).string()); }
QStringList entries(const QString& dir) {
  return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}
}  // namespace

class TestHostile : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString files_, out_, marker_;

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    files_ = dir_.path() + "/files";
    out_ = dir_.path() + "/out";
    marker_ = dir_.path() + "/CODE_RAN";
    QDir().mkpath(out_);
    QProcess gen;
    gen.start("python3", {QString(COZ_TEST_DATA) + "/../../tools/hostile/make_hostile.py", files_, marker_});
    QVERIFY(gen.waitForFinished(60000));
    QVERIFY2(gen.exitCode() == 0, gen.readAllStandardError().constData());
  }

  void everyCraftedFileIsRefusedCleanly() {
    std::ifstream f((files_ + "/manifest.json").toStdString());
    const auto cases = nlohmann::json::parse(f);
    QVERIFY(cases.size() >= 40);
    int models = 0, images = 0;
    for (const auto& c : cases) {
      const QString file = files_ + "/" + QString::fromStdString(c["file"].get<std::string>());
      const QString cmd = QString::fromStdString(c["command"].get<std::string>());
      const int want = c["exit"].get<int>();
      const QString what = QString::fromStdString(c["what"].get<std::string>());
      Run r = cmd == "inspect"
                  ? coz_run({"inspect", file})
                  : coz_run({"upscale", file, "-o", out_ + "/up.png", "--scale", "2", "--model", "bicubic", "--quiet"});
      const QString all = r.out + r.err;
      const QString why = what + " (" + file + "): exit " + QString::number(r.code) + "\n" + all;
      QVERIFY2(!r.crashed, qPrintable("crashed on " + why));
      QVERIFY2(r.code == want, qPrintable("wanted exit " + QString::number(want) + " for " + why));
      QVERIFY2(all.contains(QString::fromStdString(c["message"].get<std::string>())), qPrintable("message for " + why));
      if (want != 0) {
        QVERIFY2(r.err.contains(file), qPrintable("the message does not name the file: " + why));
        QVERIFY2(!r.err.contains("coz: error:"), qPrintable("an unclassified error: " + why));
      }
      QVERIFY2(entries(out_).isEmpty(), qPrintable("left files behind: " + entries(out_).join(", ") + " after " + why));
      QVERIFY2(!QFile::exists(marker_), qPrintable("code ran from " + why));
      (cmd == "inspect" ? models : images) += 1;
    }
    QVERIFY(models >= 30);
    QVERIFY(images >= 6);
  }

  void validFilesStillInspect() {
    // The same reader lists a real checkpoint of each kind, with shapes.
    const auto sd3 = coz::test::data_dir() / "goldens/sd3";
    Run st = coz_run({"inspect", QString::fromStdString((sd3 / "pipeline/vae/diffusion_pytorch_model.safetensors").string()), "--json"});
    QVERIFY2(st.code == 0, qPrintable(st.err));
    const auto j = nlohmann::json::parse(st.out.toStdString());
    QCOMPARE(j["format"].get<std::string>(), std::string("safetensors"));
    bool found = false;
    for (const auto& t : j["tensors"])
      if (t["name"] == "encoder.conv_in.weight") {
        found = true;
        QCOMPARE(t["shape"].get<std::vector<int64_t>>(), (std::vector<int64_t>{16, 3, 3, 3}));
        QCOMPARE(t["dtype"].get<std::string>(), std::string("float32"));
      }
    QVERIFY(found);
    Run pk = coz_run({"inspect", QString::fromStdString((sd3 / "lora/model_tiny.pkl").string())});
    QVERIFY2(pk.code == 0, qPrintable(pk.err));
    QVERIFY2(pk.out.contains("torch zip, 10 tensors"), qPrintable(pk.out));
    Run idx = coz_run({"inspect", QString::fromStdString((sd3 / "pipeline/text_encoder_3").string())});
    QVERIFY2(idx.code == 0 && idx.out.contains("safetensors index"), qPrintable(idx.out + idx.err));
    Run tf = coz_run({"inspect", QString::fromStdString((coz::test::data_dir() / "goldens/tfjs/tiny/model.json").string())});
    QVERIFY2(tf.code == 0 && tf.out.contains("tfjs layers-model, 2 tensors, 336 values"), qPrintable(tf.out + tf.err));
  }

  void failedZoomLeavesNoFolder() {
    // A hostile image: nothing may be created, not even the (nested) output folder.
    const QString target = out_ + "/new/deeper";
    Run r = coz_run({"zoom", files_ + "/img_huge_png.png", "-o", target, "--model", "bicubic", "--quiet"});
    QCOMPARE(r.code, 3);
    QVERIFY2(entries(out_).isEmpty(), qPrintable(entries(out_).join(",")));
    // A broken model: the folder was not there before the run and is not there after it. Every
    // scale has its (broken) model.json, so the model counts as installed and is really loaded.
    QTemporaryDir models;
    for (const char* scale : {"x2", "x3", "x4", "x8"}) {
      QDir().mkpath(models.path() + "/esrgan-slim/" + scale);
      QFile bad(models.path() + "/esrgan-slim/" + scale + "/model.json");
      QVERIFY(bad.open(QIODevice::WriteOnly));
      bad.write("{\"modelTopology\": {\"model_config\": {\"config\": {\"layers\": 7}}}, \"weightsManifest\": []}");
    }
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert("COZ_MODELS_DIR", models.path());
    Run m = coz_run({"zoom", golden("resize_src.png"), "-o", target, "--model", "esrgan-slim", "--steps", "1",
                     "--process-size", "32", "--quiet"}, env);
    QVERIFY2(m.code == 4, qPrintable(m.err));
    QVERIFY2(m.err.contains("model.json"), qPrintable(m.err));
    QVERIFY2(entries(out_).isEmpty(), qPrintable(entries(out_).join(",")));
    // An existing folder is kept, and its files are not touched.
    QDir().mkpath(out_ + "/kept");
    QFile keep(out_ + "/kept/notes.txt");
    QVERIFY(keep.open(QIODevice::WriteOnly));
    keep.write("mine");
    keep.close();
    Run k = coz_run({"zoom", golden("resize_src.png"), "-o", out_ + "/kept", "--model", "esrgan-slim", "--steps", "1",
                     "--process-size", "32", "--quiet"}, env);
    QCOMPARE(k.code, 4);
    QCOMPARE(entries(out_ + "/kept"), QStringList{"notes.txt"});
    QDir(out_ + "/kept").removeRecursively();
  }
};

QTEST_GUILESS_MAIN(TestHostile)
#include "test_hostile.moc"
