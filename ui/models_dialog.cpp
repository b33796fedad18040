#include "models_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QStyle>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace coz::ui {
namespace {
QString link(const QString& url, const QString& text) {
  return QStringLiteral("<a href=\"%1\">%2</a>").arg(url.toHtmlEscaped(), text.toHtmlEscaped());
}
QLabel* richLabel(const QString& html) {
  auto* l = new QLabel(html);
  l->setTextFormat(Qt::RichText);
  l->setOpenExternalLinks(true);
  l->setTextInteractionFlags(Qt::TextBrowserInteraction);
  return l;
}
void setErrorColour(QLabel* l, bool error) {
  QPalette p;  // nothing set: the label inherits its colours
  if (error) p.setColor(QPalette::WindowText, QColor(190, 30, 30));
  l->setPalette(p);
}
}  // namespace

ModelsDialog::ModelsDialog(ModelStore& store, Settings& settings, QWidget* parent)
    : QDialog(parent), store_(store), settings_(settings) {
  setObjectName(QStringLiteral("modelsDialog"));
  setWindowTitle(tr("Models"));
  auto* outer = new QVBoxLayout(this);
  tabs_ = new QTabWidget;
  tabs_->addTab(buildModelsTab(), tr("&Models"));
  tabs_->addTab(buildFilesTab(), tr("Model &files (advanced)"));
  outer->addWidget(tabs_);
  auto* box = new QDialogButtonBox(QDialogButtonBox::Close);
  connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);  // hides it; a download goes on
  outer->addWidget(box);

  connect(&store_, &ModelStore::progress, this, &ModelsDialog::onProgress);
  connect(&store_, &ModelStore::finished, this, &ModelsDialog::onFinished);
  connect(&store_, &ModelStore::modelsChanged, this, &ModelsDialog::refresh);
  refresh();
  resize(1080, 620);
}

QWidget* ModelsDialog::buildModelsTab() {
  auto* page = new QWidget;
  auto* v = new QVBoxLayout(page);
  auto* intro = new QLabel(tr("Models are downloaded when you need them. A download that stops resumes where it stopped; "
                              "each file is checked before it is used."));
  intro->setWordWrap(true);
  v->addWidget(intro);

  table_ = new QTableWidget(0, ColumnCount);
  table_->setObjectName(QStringLiteral("modelsTable"));
  table_->setHorizontalHeaderLabels({tr("Model"), tr("State"), tr("Size"), tr("Licence"), tr("Location"), QString()});
  table_->verticalHeader()->hide();
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setShowGrid(false);
  table_->setWordWrap(false);
  table_->setTextElideMode(Qt::ElideMiddle);  // paths keep their start and their end
  {  // a light selection, so that the links in a selected row stay readable
    QPalette pal = table_->palette();
    const QColor h = pal.color(QPalette::Highlight), b = pal.color(QPalette::Base);
    const QColor light((3 * b.red() + h.red()) / 4, (3 * b.green() + h.green()) / 4, (3 * b.blue() + h.blue()) / 4);
    for (auto group : {QPalette::Active, QPalette::Inactive}) {
      pal.setColor(group, QPalette::Highlight, light);
      pal.setColor(group, QPalette::HighlightedText, pal.color(group, QPalette::Text));
    }
    table_->setPalette(pal);
  }
  auto* header = table_->horizontalHeader();
  header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  // Widths come from fitColumns(): ResizeToContents would also measure the notes that span the row.
  header->setSectionResizeMode(QHeaderView::Interactive);
  header->setSectionResizeMode(ColWhere, QHeaderView::Stretch);
  table_->viewport()->installEventFilter(this);  // the notes wrap to the table's width
  v->addWidget(table_, 1);

  progress_ = new QProgressBar;
  progress_->setObjectName(QStringLiteral("downloadProgress"));
  progress_->setRange(0, 1000);
  progress_->setVisible(false);
  v->addWidget(progress_);
  status_ = new QLabel;
  status_->setObjectName(QStringLiteral("downloadStatus"));
  status_->setTextFormat(Qt::PlainText);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
  v->addWidget(status_);

  auto* tokenBox = new QGroupBox(tr("Hugging Face token"));
  auto* tv = new QVBoxLayout(tokenBox);
  auto* row = new QHBoxLayout;
  token_ = new QLineEdit(store_.token());
  token_->setObjectName(QStringLiteral("tokenEdit"));
  token_->setEchoMode(QLineEdit::Password);
  token_->setPlaceholderText(QStringLiteral("hf_…"));
  showToken_ = new QToolButton;
  showToken_->setObjectName(QStringLiteral("tokenShow"));
  showToken_->setText(tr("Show"));
  showToken_->setCheckable(true);
  saveToken_ = new QPushButton(tr("Save Token"));
  saveToken_->setObjectName(QStringLiteral("tokenSave"));
  saveToken_->setAutoDefault(false);
  row->addWidget(token_, 1);
  row->addWidget(showToken_);
  row->addWidget(saveToken_);
  tv->addLayout(row);
  tokenFile_ = richLabel(tr("Gated models need it: create a read token at %1. It is saved in %2.")
                             .arg(link(QStringLiteral("https://huggingface.co/settings/tokens"), QStringLiteral("huggingface.co/settings/tokens")),
                                  store_.tokenFile().toHtmlEscaped()));
  tokenFile_->setObjectName(QStringLiteral("tokenFile"));
  tokenFile_->setWordWrap(true);
  tv->addWidget(tokenFile_);
  tokenStatus_ = new QLabel;
  tokenStatus_->setObjectName(QStringLiteral("tokenStatus"));
  tokenStatus_->setTextFormat(Qt::PlainText);
  tokenStatus_->setWordWrap(true);
  tokenStatus_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
  tokenStatus_->setVisible(false);
  tv->addWidget(tokenStatus_);
  v->addWidget(tokenBox);

  connect(showToken_, &QToolButton::toggled, this, [this](bool on) {
    token_->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
    showToken_->setText(on ? tr("Hide") : tr("Show"));
  });
  connect(saveToken_, &QPushButton::clicked, this, &ModelsDialog::saveToken);
  connect(token_, &QLineEdit::returnPressed, this, &ModelsDialog::saveToken);
  return page;
}

QWidget* ModelsDialog::buildFilesTab() {
  auto* page = new QWidget;
  auto* v = new QVBoxLayout(page);
  auto* intro = new QLabel(tr("Where the SD3-OSEDiff backbone finds its files when you keep them somewhere else. "
                              "Leave empty to use the downloaded models."));
  intro->setObjectName(QStringLiteral("modelFilesIntro"));
  intro->setWordWrap(true);
  v->addWidget(intro);
  auto* form = new QFormLayout;
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  auto addPath = [&](QLineEdit*& edit, const char* name, const QString& label, const QString& placeholder, const QString& tip,
                     bool folder) {
    edit = new QLineEdit;
    edit->setObjectName(QLatin1String(name));
    edit->setPlaceholderText(placeholder);
    edit->setToolTip(tip);
    edit->setClearButtonEnabled(true);
    auto* browse = new QToolButton;
    browse->setObjectName(QLatin1String(name) + QStringLiteral("Browse"));
    browse->setText(tr("Browse…"));
    auto* row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browse);
    form->addRow(label, row);
    connect(edit, &QLineEdit::editingFinished, this, &ModelsDialog::saveSd3Files);
    connect(browse, &QToolButton::clicked, this, [this, edit, folder] {
      const QString start = edit->text().isEmpty() ? QString() : QFileInfo(edit->text()).absolutePath();
      const QString f = folder ? QFileDialog::getExistingDirectory(this, tr("SD3 folder"), edit->text())
                               : QFileDialog::getOpenFileName(this, tr("CoZ LoRA file"), start, tr("Checkpoints (*.pkl *.pt *.pth *.safetensors);;All files (*)"));
      if (f.isEmpty()) return;
      edit->setText(f);
      saveSd3Files();
    });
  };
  addPath(sd3Folder_, "sd3Folder", tr("SD3 folder:"), tr("from the Hugging Face cache"),
          tr("The stabilityai/stable-diffusion-3-medium-diffusers folder (holds model_index.json)"), true);
  addPath(sd3Lora_, "sd3Lora", tr("CoZ LoRA:"), QStringLiteral("…/sd3-osediff/model_20001.pkl"),
          tr("CoZ's transformer LoRA (ckpt/SR_LoRA/model_20001.pkl)"), false);
  addPath(sd3VaeLora_, "sd3VaeLora", tr("CoZ VAE LoRA:"), QStringLiteral("…/sd3-osediff/vae_encoder_20001.pt"),
          tr("CoZ's VAE-encoder LoRA (ckpt/SR_VAE/vae_encoder_20001.pt)"), false);
  sd3NoT5_ = new QCheckBox(tr("Run SD3 without T5 (saves about 9 GB)"));
  sd3NoT5_->setObjectName(QStringLiteral("sd3NoT5"));
  form->addRow(QString(), sd3NoT5_);
  v->addLayout(form);
  v->addStretch();

  const Sd3Files f = sd3FilesFrom(settings_);
  sd3Folder_->setText(f.folder);
  sd3Lora_->setText(f.lora);
  sd3VaeLora_->setText(f.vaeLora);
  sd3NoT5_->setChecked(f.noT5);
  connect(sd3NoT5_, &QCheckBox::toggled, this, &ModelsDialog::saveSd3Files);
  return page;
}

Sd3Files ModelsDialog::sd3FilesFrom(const Settings& s) {
  using K = Settings::Key;
  return {s.value(K::Sd3Folder).toString(), s.value(K::Sd3Lora).toString(), s.value(K::Sd3VaeLora).toString(),
          s.value(K::Sd3NoT5).toBool()};
}

Sd3Files ModelsDialog::sd3Files() const {
  return {sd3Folder_->text().trimmed(), sd3Lora_->text().trimmed(), sd3VaeLora_->text().trimmed(), sd3NoT5_->isChecked()};
}

void ModelsDialog::saveSd3Files() {
  using K = Settings::Key;
  const Sd3Files before = sd3FilesFrom(settings_), now = sd3Files();
  if (before.folder == now.folder && before.lora == now.lora && before.vaeLora == now.vaeLora && before.noT5 == now.noT5) return;
  settings_.setValue(K::Sd3Folder, now.folder);
  settings_.setValue(K::Sd3Lora, now.lora);
  settings_.setValue(K::Sd3VaeLora, now.vaeLora);
  settings_.setValue(K::Sd3NoT5, now.noT5);
  Q_EMIT sd3FilesChanged();
}

QString ModelsDialog::formatBytes(qint64 bytes) {
  if (bytes < 1000) return QStringLiteral("%1 B").arg(std::max<qint64>(bytes, 0));
  static const char* const units[] = {"kB", "MB", "GB", "TB", "PB"};
  double v = double(bytes) / 1000;
  int u = 0;
  while (v >= 999.5 && u < 4) {
    v /= 1000;
    ++u;
  }
  return QStringLiteral("%1 %2").arg(QLocale().toString(v, 'f', v < 9.95 ? 1 : 0), QLatin1String(units[u]));
}

QString ModelsDialog::formatDuration(double seconds) {
  const qint64 t = std::max<qint64>(0, qRound64(seconds));
  if (t < 60) return tr("%1 s").arg(t);
  if (t < 600) return t % 60 ? tr("%1 min %2 s").arg(t / 60).arg(t % 60) : tr("%1 min").arg(t / 60);
  if (t < 3600) return tr("%1 min").arg((t + 30) / 60);
  return tr("%1 h %2 min").arg(t / 3600).arg((t % 3600) / 60);
}

QString ModelsDialog::stateText(const ModelRow& r) const {
  if (r.id == downloading_) return tr("Downloading…");
  switch (r.state) {
    case ModelRow::State::Installed: return tr("Installed");
    case ModelRow::State::Partial:
      return r.size > 0 ? tr("Partial (%1 of %2)").arg(formatBytes(r.presentBytes), formatBytes(r.size)) : tr("Partial");
    case ModelRow::State::Missing: break;
  }
  return tr("Missing");
}

void ModelsDialog::fitColumns() {
  QHeaderView* header = table_->horizontalHeader();
  const int pad = 2 * style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, table_) + 12;
  for (int c : {ColModel, ColState, ColSize, ColLicence, ColAction}) {
    int w = header->sectionSizeHint(c);
    if (c == ColState) w = std::max(w, fontMetrics().horizontalAdvance(tr("Downloading…")) + pad);
    for (const int r : std::as_const(rows_)) {
      if (QWidget* cell = table_->cellWidget(r, c)) w = std::max(w, cell->sizeHint().width());
      if (QTableWidgetItem* item = table_->item(r, c))
        w = std::max(w, QFontMetrics(item->font()).horizontalAdvance(item->text()) + pad);
    }
    header->resizeSection(c, w);
  }
}

void ModelsDialog::fitNotes() {
  const int width = table_->viewport()->width();
  for (int r = 0; r < table_->rowCount(); ++r)
    if (table_->columnSpan(r, 0) == ColumnCount)
      if (auto* note = qobject_cast<QLabel*>(table_->cellWidget(r, 0)))
        table_->setRowHeight(r, std::max(note->heightForWidth(width), fontMetrics().height() + 6));
}

bool ModelsDialog::eventFilter(QObject* watched, QEvent* event) {
  if (watched == table_->viewport() && event->type() == QEvent::Resize) fitNotes();
  return QDialog::eventFilter(watched, event);
}

int ModelsDialog::rowOf(const QString& id) const { return rows_.value(id, -1); }
QPushButton* ModelsDialog::buttonFor(const QString& id) const { return buttons_.value(id); }

void ModelsDialog::refresh() {
  QString selected;
  if (auto* item = table_->item(table_->currentRow(), ColModel)) selected = item->data(Qt::UserRole).toString();
  const QList<ModelRow> models = store_.models();
  table_->setRowCount(0);  // deletes the old cell widgets
  rows_.clear();
  buttons_.clear();
  states_.clear();
  const QStringList actions = {tr("Download"), tr("Resume"), tr("Cancel"), tr("Installed")};
  for (const ModelRow& m : models) {
    const int r = table_->rowCount();
    table_->insertRow(r);
    rows_.insert(m.id, r);
    states_.insert(m.id, m.state);

    auto* name = new QTableWidgetItem(m.id);
    name->setData(Qt::UserRole, m.id);
    QString tip = m.description;
    if (!m.requirements.isEmpty()) tip += QLatin1Char('\n') + tr("Downloads with it: %1").arg(m.requirements.join(QStringLiteral(", ")));
    name->setToolTip(tip);
    QFont bold = name->font();
    bold.setBold(true);
    name->setFont(bold);
    table_->setItem(r, ColModel, name);
    auto* state = new QTableWidgetItem(stateText(m));
    state->setToolTip(m.state == ModelRow::State::Partial ? tr("Part of it is downloaded; Resume fetches the rest") : QString());
    table_->setItem(r, ColState, state);
    auto* size = new QTableWidgetItem(m.size > 0 ? formatBytes(m.size) : tr("unknown"));
    size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    table_->setItem(r, ColSize, size);

    auto* licence = new QTableWidgetItem;  // the text is the label's (a link)
    licence->setData(Qt::UserRole, m.licence);
    table_->setItem(r, ColLicence, licence);
    const QString shown = fontMetrics().elidedText(m.licence, Qt::ElideRight, 200);
    auto* licenceLabel = richLabel(m.licenceUrl.isEmpty() ? shown.toHtmlEscaped() : link(m.licenceUrl, shown));
    licenceLabel->setContentsMargins(4, 0, 4, 0);
    licenceLabel->setToolTip(m.licenceUrl.isEmpty() ? m.licence : m.licence + QLatin1Char('\n') + m.licenceUrl);
    table_->setCellWidget(r, ColLicence, licenceLabel);

    auto* where = new QTableWidgetItem(m.where);
    where->setToolTip(m.where);
    table_->setItem(r, ColWhere, where);

    auto* button = new QPushButton;
    button->setObjectName(QStringLiteral("download-") + m.id);
    button->setAutoDefault(false);
    int w = 0;
    for (const QString& a : actions) w = std::max(w, button->fontMetrics().horizontalAdvance(a));
    button->setMinimumWidth(w + 28);  // the same width whatever it says
    const QString id = m.id;
    connect(button, &QPushButton::clicked, this, [this, id] {
      if (id != downloading_) {
        startDownload(id);
        return;
      }
      cancelling_ = true;
      setStatus(tr("Cancelling %1…").arg(id), false);
      updateButtons();
      store_.cancel();
    });
    auto* cell = new QWidget;  // keeps the button off the row's edges
    auto* cl = new QHBoxLayout(cell);
    cl->setContentsMargins(4, 2, 4, 2);
    cl->addWidget(button);
    table_->setCellWidget(r, ColAction, cell);
    buttons_.insert(m.id, button);

    if (m.gated && m.state != ModelRow::State::Installed) {  // a note row under it, across the columns
      table_->insertRow(r + 1);
      auto* placeholder = new QTableWidgetItem;
      placeholder->setFlags(Qt::NoItemFlags);
      table_->setItem(r + 1, 0, placeholder);
      table_->setSpan(r + 1, 0, 1, ColumnCount);
      auto* note = richLabel(tr("Gated: needs a Hugging Face token and the licence accepted at %1")
                                 .arg(link(m.gateUrl, QString(m.gateUrl).remove(QRegularExpression(QStringLiteral("^https?://"))))));
      note->setObjectName(QStringLiteral("gate-") + m.id);
      note->setWordWrap(true);
      note->setContentsMargins(18, 0, 6, 4);
      table_->setCellWidget(r + 1, 0, note);
    }
  }
  fitColumns();
  for (const int r : std::as_const(rows_)) {
    int h = fontMetrics().height() + 18;
    for (int c = 0; c < ColumnCount; ++c)
      if (QWidget* w = table_->cellWidget(r, c)) h = std::max(h, w->sizeHint().height());
    table_->setRowHeight(r, h);
  }
  fitNotes();
  if (const int r = rowOf(selected); r >= 0) table_->selectRow(r);
  updateButtons();
}

void ModelsDialog::updateButtons() {
  const bool busy = !downloading_.isEmpty() || store_.busy();
  for (auto it = buttons_.cbegin(); it != buttons_.cend(); ++it) {
    QPushButton* b = it.value();
    const ModelRow::State state = states_.value(it.key());
    if (it.key() == downloading_) {
      b->setText(tr("Cancel"));
      b->setEnabled(!cancelling_);
      b->setToolTip(tr("Stop the download; it resumes where it stopped next time"));
    } else if (state == ModelRow::State::Installed) {
      b->setText(tr("Installed"));
      b->setEnabled(false);
      b->setToolTip(QString());
    } else {
      b->setText(state == ModelRow::State::Partial ? tr("Resume") : tr("Download"));
      b->setEnabled(!busy);
      b->setToolTip(busy ? tr("One download at a time: wait for the current one or cancel it") : QString());
    }
  }
}

void ModelsDialog::startDownload(const QString& id) {
  if (!downloading_.isEmpty() || store_.busy()) return;
  downloading_ = id;
  cancelling_ = false;
  progress_->setRange(0, 0);  // busy until the first progress report
  progress_->setVisible(true);
  setStatus(tr("Starting the download of %1…").arg(id), false);
  if (auto* item = table_->item(rowOf(id), ColState)) {
    item->setText(tr("Downloading…"));
    table_->scrollToItem(item);  // the row being downloaded stays in view
  }
  updateButtons();
  store_.download(id);  // may report finished() before it returns: nothing after this
}

void ModelsDialog::onProgress(const DownloadProgress& p) {
  if (p.id != downloading_) {  // a download started elsewhere (e.g. before this dialog existed)
    downloading_ = p.id;
    if (auto* item = table_->item(rowOf(p.id), ColState)) item->setText(tr("Downloading…"));
    updateButtons();
  }
  progress_->setVisible(true);
  if (p.totalBytes > 0) {
    progress_->setRange(0, 1000);
    progress_->setValue(static_cast<int>(std::clamp(1000.0 * double(p.bytes) / double(p.totalBytes), 0.0, 1000.0)));
  } else {
    progress_->setRange(0, 0);
  }
  QStringList parts;
  parts << (p.totalBytes > 0 ? tr("%1 of %2").arg(formatBytes(p.bytes), formatBytes(p.totalBytes)) : formatBytes(p.bytes));
  if (p.bytesPerSecond > 0) parts << tr("%1/s").arg(formatBytes(static_cast<qint64>(p.bytesPerSecond)));
  if (p.etaSeconds >= 0) parts << tr("%1 left").arg(formatDuration(p.etaSeconds));
  const QString head = p.fileCount > 0 ? tr("%1: file %2 of %3, %4").arg(p.id, QString::number(p.fileIndex),
                                                                          QString::number(p.fileCount), p.file)
                                       : p.id;
  if (!cancelling_) setStatus(head + QLatin1Char('\n') + parts.join(QStringLiteral(" · ")), false);
}

void ModelsDialog::onFinished(const QString& id, bool ok, bool cancelled, const QString& error) {
  downloading_.clear();
  cancelling_ = false;
  progress_->setVisible(false);
  if (ok) setStatus(tr("%1 is installed.").arg(id), false);
  else if (cancelled) setStatus(tr("Cancelled — the download resumes where it stopped next time."), false);
  else setStatus(tr("The download of %1 failed: %2").arg(id, error), true);
  refresh();
}

void ModelsDialog::setStatus(const QString& text, bool error) {
  status_->setText(text);
  setErrorColour(status_, error);
}

void ModelsDialog::saveToken() {
  QString error;
  const QString token = token_->text().trimmed();
  const bool ok = store_.setToken(token, &error);
  tokenStatus_->setText(!ok ? tr("The token was not saved: %1").arg(error)
                            : token.isEmpty() ? tr("The token is deleted.") : tr("Token saved."));
  setErrorColour(tokenStatus_, !ok);
  tokenStatus_->setVisible(true);
}

void ModelsDialog::focusModel(const QString& id) {
  tabs_->setCurrentIndex(0);
  const int r = rowOf(id);
  if (r < 0) return;
  table_->selectRow(r);
  table_->scrollToItem(table_->item(r, ColModel), QAbstractItemView::PositionAtCenter);
  table_->setFocus();
}

}  // namespace coz::ui
