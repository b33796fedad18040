#include "settings_panel.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>

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
  modelFiles_ = new QToolButton;
  modelFiles_->setText(tr("Files…"));
  modelFiles_->setCheckable(true);
  modelFiles_->setToolTip(tr("Show where the SD3-OSEDiff backbone finds its files, to set it up"));
  auto* modelRow = new QHBoxLayout;
  modelRow->addWidget(model_, 1);
  modelRow->addWidget(modelFiles_);
  form_->addRow(tr("Backbone:"), modelRow);

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

  // Files of the sd3-osediff backbone; empty fields use the defaults.
  sd3Group_ = new QGroupBox(tr("SD3-OSEDiff files"));
  auto* sd3Form = new QFormLayout(sd3Group_);
  sd3Folder_ = new QLineEdit;
  sd3Folder_->setPlaceholderText(tr("from the Hugging Face cache"));
  sd3Folder_->setToolTip(tr("The stabilityai/stable-diffusion-3-medium-diffusers folder (holds model_index.json)"));
  sd3Form->addRow(tr("SD3 folder:"), sd3Folder_);
  sd3Lora_ = new QLineEdit;
  sd3Lora_->setPlaceholderText(QStringLiteral("…/sd3-osediff/model_20001.pkl"));
  sd3Lora_->setToolTip(tr("CoZ's transformer LoRA (ckpt/SR_LoRA/model_20001.pkl)"));
  sd3Form->addRow(tr("CoZ LoRA:"), sd3Lora_);
  sd3VaeLora_ = new QLineEdit;
  sd3VaeLora_->setPlaceholderText(QStringLiteral("…/sd3-osediff/vae_encoder_20001.pt"));
  sd3VaeLora_->setToolTip(tr("CoZ's VAE-encoder LoRA (ckpt/SR_VAE/vae_encoder_20001.pt)"));
  sd3Form->addRow(tr("CoZ VAE LoRA:"), sd3VaeLora_);
  sd3NoT5_ = new QCheckBox(tr("Run SD3 without T5 (saves about 9 GB)"));
  sd3Form->addRow(QString(), sd3NoT5_);
  outer->addWidget(sd3Group_);

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
  connect(modelFiles_, &QToolButton::toggled, this, [this] { updateVisibility(); });
  auto sd3Changed = [this] {
    if (loading_) return;
    save();
    Q_EMIT sd3FilesChanged();
  };
  for (auto* e : {sd3Folder_, sd3Lora_, sd3VaeLora_}) connect(e, &QLineEdit::editingFinished, this, sd3Changed);
  connect(sd3NoT5_, &QCheckBox::toggled, this, sd3Changed);
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
  sd3Folder_->setText(settings_.value(K::Sd3Folder).toString());
  sd3Lora_->setText(settings_.value(K::Sd3Lora).toString());
  sd3VaeLora_->setText(settings_.value(K::Sd3VaeLora).toString());
  sd3NoT5_->setChecked(settings_.value(K::Sd3NoT5).toBool());
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
  settings_.setValue(K::Sd3Folder, sd3Folder_->text().trimmed());
  settings_.setValue(K::Sd3Lora, sd3Lora_->text().trimmed());
  settings_.setValue(K::Sd3VaeLora, sd3VaeLora_->text().trimmed());
  settings_.setValue(K::Sd3NoT5, sd3NoT5_->isChecked());
}

Sd3Files SettingsPanel::sd3Files() const {
  return {sd3Folder_->text().trimmed(), sd3Lora_->text().trimmed(), sd3VaeLora_->text().trimmed(), sd3NoT5_->isChecked()};
}

void SettingsPanel::setModels(const QList<ModelEntry>& models) {
  const QString current = model_->count() ? model_->currentData().toString() : settings_.value(Settings::Key::Model).toString();
  const QSignalBlocker block(model_);
  model_->clear();
  for (const auto& m : models) {
    addItem(model_, m.installed ? m.id : tr("%1 (not installed)").arg(m.id), m.id, m.description);
    if (!m.installed) disableItem(model_, model_->count() - 1, tr("Not installed. %1").arg(m.installHint));
  }
  select(model_, current);
  if (!(model_->model()->flags(model_->model()->index(model_->currentIndex(), 0)) & Qt::ItemIsEnabled)) select(model_, "bicubic");
}

void SettingsPanel::setPromptSources(const QList<ModelEntry>& sources) {
  const QSignalBlocker block(promptMode_);
  for (const QString mode : {QStringLiteral("dape"), QStringLiteral("vlm")}) {
    const int row = promptMode_->findData(mode);
    auto* m = qobject_cast<QStandardItemModel*>(promptMode_->model());
    if (row < 0 || !m) continue;
    for (const ModelEntry& s : sources) {
      if (s.id != mode) continue;
      m->item(row)->setEnabled(s.installed);
      promptMode_->setItemData(row, s.installed ? s.description : tr("Not installed. %1").arg(s.installHint),
                               Qt::ToolTipRole);
    }
  }
  select(promptMode_, settings_.value(Settings::Key::PromptMode).toString());
  if (!(promptMode_->model()->flags(promptMode_->model()->index(promptMode_->currentIndex(), 0)) & Qt::ItemIsEnabled))
    select(promptMode_, "null");
}

void SettingsPanel::updateVisibility() {
  const bool zoom = zoomMode_->isChecked();
  form_->setRowVisible(0, zoom);  // the steps row
  form_->setRowVisible(scale_, !zoom);
  form_->setRowVisible(promptMode_, zoom);
  form_->setRowVisible(prompt_, zoom && promptMode_->currentData().toString() != "null");
  form_->setRowVisible(recursion_, zoom);
  advForm_->setRowVisible(processSize_, zoom);
  // Only the chosen backbone's options: the SD3 files while sd3-osediff is chosen, or on request.
  const bool sd3 = model_->currentData().toString() == QLatin1String("sd3-osediff");
  sd3Group_->setVisible(sd3 || modelFiles_->isChecked());
  modelFiles_->setVisible(!sd3);
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

void SettingsPanel::setSummary(const QString& text, bool error) {
  summary_->setText(text);
  QPalette p = summary_->palette();
  p.setColor(QPalette::WindowText, error ? QColor(200, 40, 40) : palette().color(QPalette::WindowText));
  summary_->setPalette(p);
}

void SettingsPanel::setRunning(bool running) {
  run_->setEnabled(!running);
  cancel_->setEnabled(running);
  for (auto* w : findChildren<QWidget*>())
    if (w != run_ && w != cancel_ && w != summary_ && (qobject_cast<QSpinBox*>(w) || qobject_cast<QComboBox*>(w) ||
                                                      qobject_cast<QRadioButton*>(w) || qobject_cast<QLineEdit*>(w) ||
                                                      qobject_cast<QDoubleSpinBox*>(w)))
      w->setEnabled(!running);
}

void SettingsPanel::setCanRun(bool can) { run_->setEnabled(can && !cancel_->isEnabled()); }

}  // namespace coz::ui
