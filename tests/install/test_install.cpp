// The installable library: `cmake --install` into a temporary prefix, then examples/ configured and
// built as a separate CMake project against it (find_package(coz) -> coz::coz), and both programs
// run: one upscales a file (pixels equal to the engine's own), the other zooms with progress and
// cancel. pkg-config's coz.pc points into the same prefix.
#include <QProcess>
#include <QTemporaryDir>

#include "coz/engine.h"
#include "coz/imageio.h"
#include "test_util.h"

using namespace coz;

namespace {

struct Run {
  int code = -1;
  QString out, err;
};

Run run(const QString& program, const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
        int timeout_ms = 600000) {
  QProcess p;
  p.setProcessEnvironment(env);
  p.start(program, args);
  Run r;
  if (!p.waitForStarted(20000)) {
    r.err = program + " did not start";
    return r;
  }
  p.waitForFinished(timeout_ms);
  r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = QString::fromUtf8(p.readAllStandardOutput());
  r.err = QString::fromUtf8(p.readAllStandardError());
  return r;
}

}  // namespace

class TestInstall : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString prefix_, libdir_;
  QProcessEnvironment env_ = QProcessEnvironment::systemEnvironment();

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    prefix_ = dir_.filePath("prefix");
    libdir_ = prefix_ + "/" + COZ_INSTALL_LIBDIR;
    env_.insert("COZ_MODELS_DIR", dir_.filePath("models"));  // the examples use bicubic: no files
    env_.insert("LD_LIBRARY_PATH", libdir_ + ":" + env_.value("LD_LIBRARY_PATH"));
  }

  void installTreeHasTheLibraryHeadersAndPackageFiles() {
    const Run r = run(COZ_CMAKE, {"--install", COZ_BUILD_DIR, "--prefix", prefix_});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    for (const QString f : {"/include/coz/coz.h", "/include/coz/engine.h", "/include/coz/export.h", "/include/coz/imageio.h"})
      QVERIFY2(QFile::exists(prefix_ + f), qPrintable(f));
    for (const QString f : {"/libcoz.so", "/libcoz.so.0", "/cmake/coz/cozConfig.cmake", "/cmake/coz/cozConfigVersion.cmake",
                            "/cmake/coz/cozTargets.cmake", "/pkgconfig/coz.pc"})
      QVERIFY2(QFile::exists(libdir_ + f), qPrintable(libdir_ + f));
    QCOMPARE(QFileInfo(libdir_ + "/libcoz.so.0").symLinkTarget(), QFileInfo(libdir_ + "/libcoz.so." COZ_VERSION).absoluteFilePath());
    // Internal headers stay inside: only include/coz is installed.
    QVERIFY(!QFile::exists(prefix_ + "/include/coz/json_file.h"));
  }

  void examplesBuildAgainstTheInstalledPackage() {
    const QString build = dir_.filePath("examples-build");
    QStringList cfg = {"-S", QString(COZ_SOURCE_DIR) + "/examples", "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                       "-DCMAKE_PREFIX_PATH=" + prefix_};
    if (QString(COZ_TORCH_DIR).size()) cfg << "-DTorch_DIR=" COZ_TORCH_DIR;
    Run r = run(COZ_CMAKE, cfg);
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    r = run(COZ_CMAKE, {"--build", build, "-j", "2"});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));

    // upscale_file: the same pixels as this engine's own bicubic upscale.
    Image in;
    in.rgb = test::test_pattern(10, 8);
    const QString src = dir_.filePath("in.png"), dst = dir_.filePath("out.png");
    io::write_image(src.toStdString(), in);
    r = run(build + "/upscale_file", {src, dst, "2.5", "bicubic"}, env_);
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    QCOMPARE(r.out.trimmed(), QString("10x8 -> 25x20 with bicubic"));
    Engine engine;
    UpscaleRequest u;
    u.image = io::read_image(src.toStdString());
    u.scale = 2.5;
    u.model = "bicubic";
    const Image want = engine.upscale(u, {});
    const Image got = io::read_image(dst.toStdString());
    QCOMPARE(got.width(), 25);
    QVERIFY(test::max_abs(got.rgb, quantize8(want.rgb)) < 1e-6);
    r = run(build + "/upscale_file", {dir_.filePath("missing.png"), dst, "2"}, env_);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("missing.png") && r.err.contains("(invalid input)"), qPrintable(r.err));

    // zoom_progress: progress and steps on stdout, the files written; cancel leaves nothing.
    Image big;
    big.rgb = test::test_pattern(96, 80);
    const QString zsrc = dir_.filePath("zoom.png");
    io::write_image(zsrc.toStdString(), big);
    const QString out = dir_.filePath("zoom-out");
    r = run(build + "/zoom_progress", {zsrc, out, "2", "bicubic"}, env_);
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains("progress zoom step 2/2") && r.out.contains("step 2/2 prompt ''"), qPrintable(r.out));
    for (const char* f : {"/step_0.png", "/step_2.png", "/strip.png", "/steps.json"}) QVERIFY2(QFile::exists(out + f), f);
    const QString cancelled = dir_.filePath("zoom-cancelled");
    r = run(build + "/zoom_progress", {zsrc, cancelled, "3", "bicubic", "1"}, env_);
    QCOMPARE(r.code, 130);
    QVERIFY2(r.out.contains("step 1/3") && !r.out.contains("step 2/3") && r.out.contains("cancelled"), qPrintable(r.out));
    QVERIFY(!QFileInfo::exists(cancelled));
  }

  void pkgConfigPointsIntoThePrefix() {
    QProcessEnvironment env = env_;
    env.insert("PKG_CONFIG_PATH", libdir_ + "/pkgconfig");
    const Run r = run("pkg-config", {"--cflags", "--libs", "coz"}, env);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("-I" + prefix_ + "/include") && r.out.contains("-L" + libdir_) && r.out.contains("-lcoz"),
             qPrintable(r.out));
    const Run v = run("pkg-config", {"--modversion", "coz"}, env);
    QCOMPARE(v.out.trimmed(), QString(COZ_VERSION));
  }
};

QTEST_GUILESS_MAIN(TestInstall)
#include "test_install.moc"
