#include "settings_panel.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace coz::ui {
namespace {
void addItem(QComboBox* box, const QString& text, const QString& data, const QString& tip = {}) {
  box->addItem(text, data);
  if (!tip.isEmpty()) box->setItemData(box->count() - 1, tip, Qt::ToolTipRole);
}
void disableItem(QComboBox* box, int row, const QString& why) {
  if (auto* m = qobject_cast<QStandardItemModel*>(box->model())) m->item(row)->setEnabled(false);
  box->setItemData(row, why, Qt::ToolTipRole);
}
void select(QComboBox* box, const QString& data) {
  const int i = box->findData(data);
  if (i >= 0 && (box->model()->flags(box->model()->index(i, 0)) & Qt::ItemIsEnabled)) box->setCurrentIndex(i);
}
}  // namespace

SettingsPanel::SettingsPanel(Settings& settings, const QList<ModelEntry>& models, const QStringList& devices,
                             QWidget* parent)
    : QWidget(parent), settings_(settings) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(10, 10, 10, 10);

  auto* modeRow = new QHBoxLayout;
  zoomMode_ = new QRadioButton(tr("&Zoom into a point"));
  upscaleMode_ = new QRadioButton(tr("&Upscale whole image"));
  auto* group = new QButtonGroup(this);
  group->addButton(zoomMode_);
  group->addButton(upscaleMode_);
  modeRow->addWidget(zoomMode_);
  modeRow->addWidget(upscaleMode_);
  modeRow->addStretch();
  outer->addLayout(modeRow);

  form_ = new QFormLayout;
  form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  steps_ = new QSpinBox;
  steps_->setRange(1, 8);
  stepsInfo_ = new QLabel;
  auto* stepsRow = new QHBoxLayout;
  stepsRow->addWidget(steps_);
  stepsRow->addWidget(stepsInfo_, 1);
  form_->addRow(tr("Zoom steps:"), stepsRow);

  scale_ = new QDoubleSpinBox;
  scale_->setRange(1.01, 64.0);
  scale_->setDecimals(2);
  scale_->setSingleStep(0.5);
  scale_->setSuffix(QStringLiteral("×"));
  form_->addRow(tr("Scale:"), scale_);

  model_ = new QComboBox;
  setModels(models);
  form_->addRow(tr("Backbone:"), model_);

  promptMode_ = new QComboBox;
  addItem(promptMode_, tr("None"), "null", tr("No prompt"));
  addItem(promptMode_, tr("Custom text"), "custom", tr("Your own text for every step"));
  addItem(promptMode_, tr("DAPE tags"), "dape");
  disableItem(promptMode_, 2, tr("Needs the RAM Swin-L + DAPE tagger, which this build does not include yet"));
  addItem(promptMode_, tr("VLM description"), "vlm");
  disableItem(promptMode_, 3, tr("Needs the Qwen2.5-VL model, which this build does not include yet"));
  form_->addRow(tr("Prompt:"), promptMode_);
  prompt_ = new QLineEdit;
  prompt_->setPlaceholderText(tr("e.g. sharp fur, detailed"));
  prompt_->setClearButtonEnabled(true);
  form_->addRow(tr("Prompt text:"), prompt_);

  // Offered when the chosen backbone or prompt mode needs a model that is not downloaded yet.
  auto* offer = new QFrame;
  offer->setObjectName(QStringLiteral("downloadOffer"));
  offer->setFrameShape(QFrame::StyledPanel);
  auto* offerRow = new QHBoxLayout(offer);
  offerRow->setContentsMargins(8, 4, 4, 4);
  offerLabel_ = new QLabel;
  offerLabel_->setWordWrap(true);
  offerButton_ = new QPushButton(tr("Download…"));
  offerButton_->setObjectName(QStringLiteral("downloadOfferButton"));
  offerButton_->setToolTip(tr("Open the Models dialog at this model"));
  offerRow->addWidget(offerLabel_, 1);
  offerRow->addWidget(offerButton_);
  form_->addRow(offer);

  recursion_ = new QComboBox;
  addItem(recursion_, tr("Recursive"), "recursive", tr("Each step super-resolves the centre of the previous output"));
  addItem(recursion_, tr("Recursive, multi-scale prompt"), "recursive-multiscale", tr("As recursive; VLM prompts also see the previous step"));
  addItem(recursion_, tr("One step"), "onestep", tr("Every step crops the first image and upscales it at once"));
  addItem(recursion_, tr("Bicubic (baseline)"), "bicubic", tr("No model: Pillow bicubic"));
  addItem(recursion_, tr("Nearest (baseline)"), "nearest", tr("No model: nearest neighbour"));
  form_->addRow(tr("Recursion:"), recursion_);

  colorFix_ = new QComboBox;
  addItem(colorFix_, tr("None"), "none");
  addItem(colorFix_, tr("Wavelet"), "wavelet", tr("Keep the input's low frequencies (colours), the output's detail"));
  addItem(colorFix_, tr("AdaIN"), "adain", tr("Match each channel's mean and spread to the input"));
  form_->addRow(tr("Colour fix:"), colorFix_);

  device_ = new QComboBox;
  for (const auto& d : devices) addItem(device_, d == "cpu" ? tr("CPU") : d.toUpper(), d);
  form_->addRow(tr("Device:"), device_);
  outer->addLayout(form_);

  auto* adv = new QGroupBox(tr("Advanced"));
  adv->setCheckable(false);
  advForm_ = new QFormLayout(adv);
  processSize_ = new QSpinBox;
  processSize_->setRange(64, 2048);
  processSize_->setSingleStep(64);
  processSize_->setSuffix(tr(" px"));
  advForm_->addRow(tr("Process size:"), processSize_);
  tile_ = new QSpinBox;
  tile_->setRange(0, 1024);
  tile_->setSingleStep(32);
  tile_->setSpecialValueText(tr("off"));
  tile_->setSuffix(tr(" px"));
  advForm_->addRow(tr("Tile size:"), tile_);
  precision_ = new QComboBox;
  addItem(precision_, tr("Automatic"), "auto", tr("bf16 where the hardware computes it natively, else fp32"));
  addItem(precision_, QStringLiteral("fp32"), "fp32");
  addItem(precision_, QStringLiteral("bf16"), "bf16");
  addItem(precision_, QStringLiteral("fp16"), "fp16");
  advForm_->addRow(tr("Precision:"), precision_);
  seed_ = new QSpinBox;
  seed_->setRange(0, 2147483647);
  advForm_->addRow(tr("Seed:"), seed_);
  outer->addWidget(adv);

  summary_ = new QLabel;
  summary_->setWordWrap(true);
  summary_->setTextFormat(Qt::PlainText);
  summary_->setMinimumHeight(48);
  summary_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  outer->addWidget(summary_);
  outer->addStretch();

  auto* buttons = new QHBoxLayout;
  run_ = new QPushButton(tr("&Run"));
  run_->setDefault(true);
  run_->setMinimumHeight(34);
  cancel_ = new QPushButton(tr("Cancel"));
  cancel_->setEnabled(false);
  cancel_->setMinimumHeight(34);
  buttons->addWidget(run_, 2);
  buttons->addWidget(cancel_, 1);
  outer->addLayout(buttons);

  offer_ = offer;  // from here on updateOffer() may run
  load();
  updateVisibility();
  auto changed = [this] {
    if (loading_) return;
    save();
    updateVisibility();
    Q_EMIT specChanged();
  };
  for (auto* b : {zoomMode_, upscaleMode_}) connect(b, &QRadioButton::toggled, this, changed);
  for (auto* s : {steps_, processSize_, tile_, seed_}) connect(s, qOverload<int>(&QSpinBox::valueChanged), this, changed);
  connect(scale_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, changed);
  for (auto* c : {model_, promptMode_, recursion_, colorFix_, device_, precision_})
    connect(c, qOverload<int>(&QComboBox::currentIndexChanged), this, changed);
  connect(prompt_, &QLineEdit::textChanged, this, changed);
  connect(offerButton_, &QPushButton::clicked, this, [this] {
    if (!offered_.isEmpty()) Q_EMIT downloadRequested(offered_);
  });
  connect(run_, &QPushButton::clicked, this, &SettingsPanel::runRequested);
  connect(cancel_, &QPushButton::clicked, this, &SettingsPanel::cancelRequested);
}

void SettingsPanel::load() {
  loading_ = true;
  using K = Settings::Key;
  (settings_.value(K::Mode).toString() == "upscale" ? upscaleMode_ : zoomMode_)->setChecked(true);
  steps_->setValue(settings_.value(K::Steps).toInt());
  scale_->setValue(settings_.value(K::Scale).toDouble());
  processSize_->setValue(settings_.value(K::ProcessSize).toInt());
  tile_->setValue(settings_.value(K::Tile).toInt());
  seed_->setValue(settings_.value(K::Seed).toInt());
  select(model_, settings_.value(K::Model).toString());
  if (!(model_->model()->flags(model_->model()->index(model_->currentIndex(), 0)) & Qt::ItemIsEnabled))
    select(model_, "bicubic");
  select(promptMode_, settings_.value(K::PromptMode).toString());
  select(recursion_, settings_.value(K::Recursion).toString());
  select(colorFix_, settings_.value(K::ColorFix).toString());
  select(device_, settings_.value(K::Device).toString());
  select(precision_, settings_.value(K::Precision).toString());
  prompt_->setText(settings_.value(K::Prompt).toString());
  loading_ = false;
}

void SettingsPanel::save() {
  using K = Settings::Key;
  settings_.setValue(K::Mode, upscaleMode_->isChecked() ? "upscale" : "zoom");
  settings_.setValue(K::Steps, steps_->value());
  settings_.setValue(K::Scale, scale_->value());
  settings_.setValue(K::ProcessSize, processSize_->value());
  settings_.setValue(K::Tile, tile_->value());
  settings_.setValue(K::Seed, seed_->value());
  settings_.setValue(K::Model, model_->currentData().toString());
  settings_.setValue(K::PromptMode, promptMode_->currentData().toString());
  settings_.setValue(K::Recursion, recursion_->currentData().toString());
  settings_.setValue(K::ColorFix, colorFix_->currentData().toString());
  settings_.setValue(K::Device, device_->currentData().toString());
  settings_.setValue(K::Precision, precision_->currentData().toString());
  settings_.setValue(K::Prompt, prompt_->text());
}

bool SettingsPanel::downloadable(const QString& backbone) const {
  return std::any_of(rows_.cbegin(), rows_.cend(), [&](const ModelRow& r) { return r.backbone == backbone; });
}

void SettingsPanel::setModelRows(const QList<ModelRow>& rows) {
  rows_ = rows;
  setModels(models_);
  setPromptSources(sources_);
}

void SettingsPanel::setModels(const QList<ModelEntry>& models) {
  models_ = models;
  // The saved choice, not the shown one: a backbone that was unavailable comes back once it is there.
  const QString current = settings_.value(Settings::Key::Model).toString();
  const QSignalBlocker block(model_);
  model_->clear();
  for (const auto& m : models) {
    addItem(model_, m.installed ? m.id : tr("%1 (not installed)").arg(m.id), m.id, m.description);
    if (m.installed) continue;
    if (downloadable(m.id))
      model_->setItemData(model_->count() - 1, tr("Not downloaded yet: choose it to download it. %1").arg(m.description),
                          Qt::ToolTipRole);
    else
      disableItem(model_, model_->count() - 1, tr("Not installed. %1").arg(m.installHint));
  }
  select(model_, current);
  if (!(model_->model()->flags(model_->model()->index(model_->currentIndex(), 0)) & Qt::ItemIsEnabled)) select(model_, "bicubic");
  updateOffer();
}

void SettingsPanel::setPromptSources(const QList<ModelEntry>& sources) {
  sources_ = sources;
  const QSignalBlocker block(promptMode_);
  for (const QString mode : {QStringLiteral("dape"), QStringLiteral("vlm")}) {
    const int row = promptMode_->findData(mode);
    auto* m = qobject_cast<QStandardItemModel*>(promptMode_->model());
    if (row < 0 || !m) continue;
    const bool offer = std::any_of(rows_.cbegin(), rows_.cend(), [&](const ModelRow& r) {
      return r.promptMode == mode && r.state != ModelRow::State::Installed;
    });
    for (const ModelEntry& s : sources) {
      if (s.id != mode) continue;
      m->item(row)->setEnabled(s.installed || offer);
      promptMode_->setItemData(row, s.installed ? s.description
                                    : offer     ? tr("Not downloaded yet: choose it to download it. %1").arg(s.description)
                                                : tr("Not installed. %1").arg(s.installHint),
                               Qt::ToolTipRole);
    }
  }
  select(promptMode_, settings_.value(Settings::Key::PromptMode).toString());
  if (!(promptMode_->model()->flags(promptMode_->model()->index(promptMode_->currentIndex(), 0)) & Qt::ItemIsEnabled))
    select(promptMode_, "null");
  updateOffer();
}

QString SettingsPanel::missingModel(QString* what) const {
  auto missing = [](const ModelRow& r) { return r.state != ModelRow::State::Installed; };
  const QString backbone = model_->currentData().toString();
  for (const ModelEntry& m : models_) {
    if (m.id != backbone || m.installed) continue;
    for (const ModelRow& r : rows_)
      if (r.backbone == backbone && missing(r)) {
        *what = r.id == backbone ? tr("%1 is not downloaded yet.").arg(r.id)
                                 : tr("%1 needs %2, which is not downloaded yet.").arg(backbone, r.id);
        return r.id;
      }
  }
  if (!zoomMode_->isChecked()) return {};
  const QString mode = promptMode_->currentData().toString();
  for (const ModelEntry& s : sources_) {
    if (s.id != mode || s.installed) continue;
    for (const ModelRow& r : rows_)
      if (r.promptMode == mode && missing(r)) {
        *what = tr("%1 needs %2, which is not downloaded yet.").arg(promptMode_->currentText(), r.id);
        return r.id;
      }
  }
  return {};
}

void SettingsPanel::updateOffer() {
  if (!offer_) return;  // still being built
  QString what;
  offered_ = missingModel(&what);
  offerLabel_->setText(what);
  form_->setRowVisible(offer_, !offered_.isEmpty());
  run_->setEnabled(canRun_ && !cancel_->isEnabled() && offered_.isEmpty());
  run_->setToolTip(offered_.isEmpty() ? QString() : tr("Download the missing model first"));
}

void SettingsPanel::updateVisibility() {
  const bool zoom = zoomMode_->isChecked();
  form_->setRowVisible(0, zoom);  // the steps row
  form_->setRowVisible(scale_, !zoom);
  form_->setRowVisible(promptMode_, zoom);
  form_->setRowVisible(prompt_, zoom && promptMode_->currentData().toString() != "null");
  form_->setRowVisible(recursion_, zoom);
  advForm_->setRowVisible(processSize_, zoom);
  updateOffer();
  const double mag = std::pow(4.0, steps_->value());
  stepsInfo_->setText(tr("total %1×").arg(QLocale().toString(mag, 'f', 0)));
}

void SettingsPanel::fillSpec(JobSpec& s) const {
  s.mode = upscaleMode_->isChecked() ? JobSpec::Mode::Upscale : JobSpec::Mode::Zoom;
  s.steps = steps_->value();
  s.scale = scale_->value();
  s.processSize = processSize_->value();
  s.tile = tile_->value();
  s.seed = seed_->value();
  s.model = model_->currentData().toString();
  s.promptMode = promptMode_->currentData().toString();
  s.prompt = s.promptMode == "null" ? QString() : prompt_->text();
  s.recursion = recursion_->currentData().toString();
  s.colorFix = colorFix_->currentData().toString();
  s.device = device_->currentData().toString();
  s.precision = precision_->currentData().toString();
}

QStringList SettingsPanel::applySpec(const JobSpec& s) {
  QStringList skipped;
  auto choose = [&](QComboBox* box, const QString& value, const QString& what) {
    const int i = box->findData(value);
    if (i < 0) skipped << QStringLiteral("%1 %2").arg(what, value);
    else box->setCurrentIndex(i);
  };
  (s.mode == JobSpec::Mode::Upscale ? upscaleMode_ : zoomMode_)->setChecked(true);
  steps_->setValue(s.steps);
  scale_->setValue(s.scale);
  processSize_->setValue(s.processSize);
  tile_->setValue(s.tile);
  seed_->setValue(static_cast<int>(std::clamp<qint64>(s.seed, seed_->minimum(), seed_->maximum())));
  choose(model_, s.model, tr("model"));
  choose(promptMode_, s.promptMode, tr("prompt mode"));
  prompt_->setText(s.prompt);
  choose(recursion_, s.recursion, tr("recursion"));
  choose(colorFix_, s.colorFix, tr("colour fix"));
  choose(device_, s.device, tr("device"));
  choose(precision_, s.precision, tr("precision"));
  updateVisibility();
  Q_EMIT specChanged();
  return skipped;
}

void SettingsPanel::setSummary(const QString& text, bool error) {
  summary_->setText(text);
  QPalette p = summary_->palette();
  p.setColor(QPalette::WindowText, error ? QColor(200, 40, 40) : palette().color(QPalette::WindowText));
  summary_->setPalette(p);
}

void SettingsPanel::setRunning(bool running) {
  run_->setEnabled(!running && offered_.isEmpty());
  cancel_->setEnabled(running);
  for (auto* w : findChildren<QWidget*>())
    if (w != run_ && w != cancel_ && w != summary_ && (qobject_cast<QSpinBox*>(w) || qobject_cast<QComboBox*>(w) ||
                                                      qobject_cast<QRadioButton*>(w) || qobject_cast<QLineEdit*>(w) ||
                                                      qobject_cast<QDoubleSpinBox*>(w)))
      w->setEnabled(!running);
}

void SettingsPanel::setCanRun(bool can) {
  canRun_ = can;
  run_->setEnabled(can && !cancel_->isEnabled() && offered_.isEmpty());
}

}  // namespace coz::ui
