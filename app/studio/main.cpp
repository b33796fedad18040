// coz-studio: the desktop application.
//   coz-studio [IMAGE] [--settings FILE.ini] [--steps N] [--model ID] [--process-size N]
//              [--autorun] [--compare] [--screenshot FILE.png]
#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

#include "coz/device.h"
#include "coz/version.h"
#include "engine_adapter.h"
#include "model_store_adapter.h"
#include "main_window.h"
#include "settings.h"
#include "settings_panel.h"

#include <QAction>
#include <QComboBox>
#include <QSpinBox>

#include "step_strip.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("CoZ Studio"));
  QApplication::setOrganizationName(QStringLiteral("CoZ Studio"));
  QApplication::setApplicationVersion(QString::fromLatin1(coz::version()));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/coz-studio.svg")));
  QApplication::setDesktopFileName(QStringLiteral("io.github.cozstudio.CoZStudio"));  // packaging/*.desktop

  QCommandLineParser cli;
  cli.setApplicationDescription(QStringLiteral("Chain-of-Zoom extreme super-resolution"));
  cli.addHelpOption();
  cli.addVersionOption();
  cli.addPositionalArgument(QStringLiteral("image"), QStringLiteral("An image to open"));
  const QCommandLineOption settingsOpt("settings", "Use this INI file for settings.", "file");
  const QCommandLineOption stepsOpt("steps", "Zoom steps for this session.", "n");
  const QCommandLineOption modelOpt("model", "Backbone for this session.", "id");
  const QCommandLineOption sizeOpt("process-size", "Process size for this session.", "px");
  const QCommandLineOption centerOpt("center", "Zoom point in image pixels.", "x,y");
  const QCommandLineOption autorunOpt("autorun", "Run the job right after opening the image.");
  const QCommandLineOption compareOpt("compare", "After the run, show the last step compared with its input.");
  const QCommandLineOption shotOpt("screenshot", "After the run, save a screenshot of the window and quit.", "file");
  const QCommandLineOption flightOpt("flight", "After the run, fly to these magnifications (comma-separated), a screenshot "
                                     "FILE-xM.png of each.", "list");
  const QCommandLineOption rerunOpt("rerun", "After the run, move step K's zoom point to X,Y (fractions) and re-run from "
                                    "there; the screenshot shows both versions.", "K=X,Y");
  cli.addOptions({settingsOpt, stepsOpt, modelOpt, sizeOpt, centerOpt, autorunOpt, compareOpt, shotOpt, flightOpt, rerunOpt});
  cli.process(app);

  coz::set_threads(0);
  coz::ui::Settings settings(cli.value(settingsOpt));

  // Translator: the user's choice, else the first system UI language we ship.
  QTranslator translator, qtTranslator;
  QStringList langs;
  const QString chosen = settings.value(coz::ui::Settings::Key::Language).toString();
  if (!chosen.isEmpty()) langs << chosen;
  else langs = QLocale::system().uiLanguages();
  for (const QString& l : langs) {
    const QString code = l.left(2);
    if (code == "en") break;
    if (translator.load(QStringLiteral(":/i18n/coz_%1.qm").arg(code))) {
      QApplication::installTranslator(&translator);
      if (qtTranslator.load(QStringLiteral("qtbase_%1").arg(code), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
      break;
    }
  }

  coz::studio::CozEngine engine;
  coz::studio::CozModelStore store;
  coz::ui::MainWindow window(engine, settings, &store);
  if (cli.isSet(stepsOpt)) window.panel()->stepsBox()->setValue(cli.value(stepsOpt).toInt());
  if (cli.isSet(sizeOpt)) window.panel()->processSizeBox()->setValue(cli.value(sizeOpt).toInt());
  if (cli.isSet(modelOpt)) {
    auto* box = window.panel()->modelBox();
    const int i = box->findData(cli.value(modelOpt));
    if (i >= 0) box->setCurrentIndex(i);
  }
  window.show();
  if (!cli.positionalArguments().isEmpty() && window.openImage(cli.positionalArguments().first()) && cli.isSet(centerOpt)) {
    const QStringList xy = cli.value(centerOpt).split(',');
    if (xy.size() == 2) window.setZoomPoint(QPointF(xy[0].toDouble(), xy[1].toDouble()));
  }

  const QString shot = cli.value(shotOpt);
  int finishedJobs = 0;
  QObject::connect(&window, &coz::ui::MainWindow::jobFinished, &window, [&](bool, bool) {
    ++finishedJobs;
    if (cli.isSet(rerunOpt) && finishedJobs == 1) {  // the first run done: steer it
      const QString v = cli.value(rerunOpt);
      const int k = v.section('=', 0, 0).toInt();
      const QStringList xy = v.section('=', 1).split(',');
      coz::ui::StepChange c;
      c.step = k;
      if (xy.size() == 2) c.point = QPointF(xy[0].toDouble(), xy[1].toDouble());
      QMetaObject::invokeMethod(&window, [&window, k, c] { window.rerun(k, {c}); }, Qt::QueuedConnection);
      return;
    }
    if (cli.isSet(flightOpt)) {
      QMetaObject::invokeMethod(&window, [&] {
        window.setFlight(true);
        for (const QString& m : cli.value(flightOpt).split(',')) {
          window.setFlightMagnification(m.toDouble());
          QApplication::processEvents();
          QString file = shot;
          file.insert(file.lastIndexOf('.'), QStringLiteral("-x") + m);
          window.grab().save(file);
        }
        QApplication::quit();
      }, Qt::QueuedConnection);
      return;
    }
    if (cli.isSet(compareOpt)) QMetaObject::invokeMethod(&window, [&] {
      window.strip()->setCurrentRow(window.strip()->count() - 1);
      for (QAction* a : window.findChildren<QAction*>())
        if (a->shortcut() == QKeySequence(QStringLiteral("C"))) a->trigger();
    }, Qt::QueuedConnection);
    if (!shot.isEmpty())
      QTimer::singleShot(600, &window, [&] {
        window.grab().save(shot);
        QApplication::quit();
      });
  });
  if (cli.isSet(autorunOpt)) QTimer::singleShot(300, &window, [&] { window.run(); });
  else if (!shot.isEmpty())
    QTimer::singleShot(800, &window, [&] {
      window.grab().save(shot);
      QApplication::quit();
    });
  return app.exec();
}
