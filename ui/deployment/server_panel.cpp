// SPDX-License-Identifier: GPL-3.0-or-later
#include "deployment/server_panel.h"
#include "error_text.h"

#include "deployment/predictor_loading.h"
#include "qt_config.h"
#include "runtime/runtime.h"
#include "studio.h"

#include "model/predictor.h"
#include "serve/prediction_server.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QFontMetrics>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QTextDocument>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QUrl>

namespace fika::ui {

ServerPanel::ServerPanel(Studio* studio, QWidget* parent) : QWidget(parent), m_studio(studio)
{
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_experiment = new QComboBox(this);
    m_checkpoint = new QComboBox(this);
    m_port = new QSpinBox(this);
    m_port->setRange(0, 65535);
    m_port->setValue(8765);
    m_port->setSpecialValueText(tr("any free port"));
    m_enable = new QCheckBox(tr("&Enabled: serve on 127.0.0.1"), this);
    m_enable->setToolTip(tr("Starts or stops the local HTTP API"));
    m_state = new QLabel(tr("Stopped"), this);
    form->addRow(tr("E&xperiment:"), m_experiment);
    form->addRow(tr("&Checkpoint:"), m_checkpoint);
    form->addRow(tr("&Port:"), m_port);
    // Created after the experiment and checkpoint lists, which tests find by their order.
    m_precision = new QComboBox(this);
    m_precision->setObjectName(QStringLiteral("deploymentPrecision"));
    m_precision->addItem(tr("fp32 (exact)"), QStringLiteral("fp32"));
    m_precision->addItem(tr("bf16 (about 2× faster)"), QStringLiteral("bf16"));
    m_precision->setToolTip(tr("bf16 answers about twice as fast on CPUs with bf16 units; probabilities differ in the "
                               "third decimal, so a text right at the decision boundary can rarely change class."));
    // What bf16 trades, in one line; the measured figures: 1.8-1.9x fp32's rate for BERT-mini and
    // BERT-base on idle cores (about 3x on busy ones), the same labels on 3,000 IMDB reviews,
    // probabilities within 0.0032.
    m_precisionNote = new QLabel(this);
    m_precisionNote->setObjectName(QStringLiteral("precisionNote"));
    m_precisionNote->setWordWrap(true);
    m_precisionNote->setText(core::cpuHasBf16Units()
                                 ? tr("bf16: about 2× faster here; probabilities differ in the third decimal.")
                                 : tr("bf16 needs a CPU with bf16 units (AVX512-BF16), which this one lacks: it would "
                                      "be slower than fp32 here."));
    auto* precisionColumn = new QVBoxLayout;
    precisionColumn->addWidget(m_precision);
    precisionColumn->addWidget(m_precisionNote);
    auto* precisionLabel = new QLabel(tr("P&recision:"), this);
    precisionLabel->setBuddy(m_precision); // a row of a layout gets no buddy by itself: Alt+R would show "&"
    form->addRow(precisionLabel, precisionColumn);
    form->addRow(m_enable, m_state);

    m_url = new QLineEdit(this);
    m_url->setReadOnly(true);
    auto* tokenRow = new QHBoxLayout;
    m_token = new QLineEdit(this);
    m_token->setReadOnly(true);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setMinimumWidth(m_token->fontMetrics().averageCharWidth() * 14); // never squeezed to "●●"
    m_show = new QPushButton(tr("Show"), this);
    m_show->setCheckable(true);
    auto* copy = new QPushButton(tr("Copy"), this);
    auto* regenerate = new QPushButton(tr("Regenerate"), this);
    regenerate->setToolTip(tr("A new random token; the old one stops working"));
    // The buttons under the field: beside it they squeezed it on a laptop screen.
    auto* tokenButtons = new QHBoxLayout;
    tokenButtons->addWidget(m_show);
    tokenButtons->addWidget(copy);
    tokenButtons->addWidget(regenerate);
    tokenButtons->addStretch();
    auto* tokenColumn = new QVBoxLayout;
    tokenColumn->addWidget(m_token);
    tokenColumn->addLayout(tokenButtons);
    tokenRow->addLayout(tokenColumn, 1);
    m_names = new QLabel(this);
    form->addRow(tr("URL:"), m_url);
    form->addRow(tr("Token:"), tokenRow);
    form->addRow(tr("Input → output:"), m_names);
    layout->addLayout(form);

    layout->addWidget(new QLabel(tr("<b>Code examples</b>"), this));
    m_code = new QPlainTextEdit(this);
    m_code->setReadOnly(true);
    m_code->setMaximumHeight(110);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_code->setFont(mono);
    layout->addWidget(m_code, 1); // up to its maximum, sharing the room left with the log
    auto* buttons = new QHBoxLayout;
    auto* copyCode = new QPushButton(tr("Copy command"), this);
    m_open = new QPushButton(tr("Test deployment"), this);
    m_open->setToolTip(tr("Opens the browser API tester page served by the deployment"));
    m_open->setEnabled(false);
    buttons->addWidget(copyCode);
    buttons->addStretch();
    buttons->addWidget(m_open);
    layout->addLayout(buttons);
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(500);
    m_log->setPlaceholderText(tr("Requests appear here: method, path, status, milliseconds."));
    layout->addWidget(m_log, 1);
    // At least the command's two lines and two of the log, not Qt's 70 px each: with them the panel
    // was taller than a 1366x768 laptop at 125 % shows, and the view scrolled.
    const int frames = 2 * m_code->frameWidth() + 2 * static_cast<int>(m_code->document()->documentMargin());
    m_code->setMinimumHeight(2 * QFontMetrics(mono).lineSpacing() + frames);
    m_log->setMinimumHeight(2 * m_log->fontMetrics().lineSpacing() + frames);
    // Both take the room left and ask for none: their preferred 110 and 192 px made the view taller
    // than the window (a view is as tall as its parts prefer at its width).
    for (auto* box : {m_code, m_log})
        box->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Ignored);

    connect(m_show, &QPushButton::toggled, this, [this](bool on) {
        m_token->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
        m_show->setText(on ? tr("Hide") : tr("Show"));
        updateTexts(); // the code example shows the token only when the field does
    });
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_tokenValue); });
    connect(copyCode, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(curlCommand()); });
    connect(regenerate, &QPushButton::clicked, this, [this] {
        if (QMessageBox::question(this, tr("Regenerate the token?"),
                                  tr("Programs and pages that use the current token will be refused until they get the "
                                     "new one.")) == QMessageBox::Yes)
            regenerateToken();
    });
    connect(m_open, &QPushButton::clicked, this, &ServerPanel::openTesterPage);
    // A refusal (say, the port in use) is about the settings it was given: editing them clears it.
    connect(m_port, &QSpinBox::valueChanged, this, [this] {
        if (!m_server)
            m_state->setText(tr("Stopped"));
    });
    connect(m_enable, &QCheckBox::toggled, this, &ServerPanel::setEnabled);
    connect(m_experiment, &QComboBox::currentIndexChanged, this, &ServerPanel::reloadCheckpoints);
    connect(m_precision, &QComboBox::currentIndexChanged, this, &ServerPanel::precisionChanged);
    connect(m_checkpoint, &QComboBox::currentIndexChanged, this, [this] {
        updateTexts();
        Q_EMIT checkpointChanged();
    });
    connect(&m_watcher, &QFutureWatcher<void>::finished, this, &ServerPanel::onPredictorLoaded);
    connect(m_studio, &Studio::experimentsChanged, this, &ServerPanel::reloadExperiments);
    connect(m_studio, &Studio::projectChanged, this, [this] {
        if (m_server) { // kept serving the previous project: its panel stays as it is until stopped
            m_projectChangedWhileServing = true;
            return;
        }
        m_tokenValue.clear();
        updateTexts();
    });
    reloadExperiments();
}

ServerPanel::~ServerPanel()
{
    m_watcher.waitForFinished();
    stopServer();
}

// On Linux, QDesktopServices::openUrl starts xdg-open and reports success whatever xdg-open finds
// then: with no browser that opens (none installed, or one that exits at once, as Chromium run as
// root) nothing appeared and nothing was said. So xdg-open runs here and its exit status is heard;
// elsewhere openUrl itself reports a failure.
void ServerPanel::openTesterPage()
{
    const QString page = url() + QStringLiteral("/");
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    if (const QString opener = QStandardPaths::findExecutable(QStringLiteral("xdg-open")); !opener.isEmpty()) {
        // No parent: closing the panel must not kill the browser. xdg-open may wait for the browser
        // it started, for hours: only a failure within the first seconds is a browser that did not open.
        auto* process = new QProcess;
        process->setStandardOutputFile(QProcess::nullDevice());
        process->setStandardErrorFile(QProcess::nullDevice());
        QElapsedTimer clock;
        clock.start();
        const QPointer<ServerPanel> self(this);
        connect(process, &QProcess::finished, process, [process, self, page, clock](int code, QProcess::ExitStatus status) {
            process->deleteLater();
            if (self && (code != 0 || status != QProcess::NormalExit) && clock.elapsed() < 20000)
                self->showBrowserFailure(page);
        });
        connect(process, &QProcess::errorOccurred, process, [process, self, page](QProcess::ProcessError error) {
            if (error != QProcess::FailedToStart)
                return; // a crash or an exit also reaches finished()
            process->deleteLater();
            if (self)
                self->showBrowserFailure(page);
        });
        process->start(opener, {page});
        return;
    }
#endif
    if (!QDesktopServices::openUrl(QUrl(page)))
        showBrowserFailure(page);
}

// The address to open by hand, selectable and one click from the clipboard.
void ServerPanel::showBrowserFailure(const QString& page)
{
    auto* box = new QMessageBox(QMessageBox::Information, tr("Test deployment"),
                                tr("Couldn't open a web browser. Open %1 in a browser yourself; the page asks for the "
                                   "token shown here.")
                                    .arg(page),
                                QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("browserFailure"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    auto* copy = box->addButton(tr("Copy address"), QMessageBox::ActionRole);
    connect(copy, &QPushButton::clicked, box, [page] { QApplication::clipboard()->setText(page); });
    box->open();
}

QString ServerPanel::tokenFile() const
{
    const QString base = m_studio->project() ? toQString(m_studio->project()->dir)
                                             : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(base);
    return base + QStringLiteral("/deployment.token");
}

void ServerPanel::regenerateToken()
{
    QFile::remove(tokenFile());
    m_tokenValue.clear();
    updateTexts();
    if (m_server) { // the running server keeps its token: restart it with the new one
        stopServer();
        setEnabled(true);
    }
}

void ServerPanel::stopServing()
{
    if (m_enable->isChecked())
        m_enable->setChecked(false); // toggled() stops it
    else
        setEnabled(false);
}

void ServerPanel::reloadExperiments()
{
    if (m_server) // the served experiment stays shown; the list follows the project once stopped
        return;
    const QString previous = m_experiment->currentData().toString();
    const QSignalBlocker blocker(m_experiment);
    m_experiment->clear();
    for (const QString& dir : m_studio->experiments())
        m_experiment->addItem(QFileInfo(dir).fileName(), dir);
    if (m_experiment->count() == 0 && m_studio->currentExperiment()) {
        const QString dir = toQString(m_studio->currentExperiment()->output.dir);
        m_experiment->addItem(QFileInfo(dir).fileName(), dir);
    }
    const int index = m_experiment->findData(previous);
    m_experiment->setCurrentIndex(index >= 0 ? index : m_experiment->count() - 1);
    reloadCheckpoints();
}

void ServerPanel::reloadCheckpoints()
{
    const QSignalBlocker blocker(m_checkpoint); // one checkpointChanged() for the whole list
    m_checkpoint->clear();
    const QString dir = m_experiment->currentData().toString() + QStringLiteral("/checkpoints/");
    if (QFileInfo::exists(dir + QStringLiteral("best/model.safetensors")))
        m_checkpoint->addItem(tr("best epoch"), dir + QStringLiteral("best"));
    if (QFileInfo::exists(dir + QStringLiteral("last/model.safetensors")))
        m_checkpoint->addItem(tr("last epoch"), dir + QStringLiteral("last"));
    m_enable->setEnabled(m_checkpoint->count() > 0 || m_server);
    updateTexts();
    Q_EMIT checkpointChanged(); // a finished run may have replaced the files of the same folder
}

bool ServerPanel::usesBf16() const
{
    return m_precision->currentData().toString() == QStringLiteral("bf16");
}

QString ServerPanel::checkpointDir() const
{
    return m_checkpoint->currentData().toString();
}

QString ServerPanel::checkpointName() const
{
    return checkpointDir().isEmpty() ? QString()
                                     : tr("%1 · %2").arg(m_experiment->currentText(), m_checkpoint->currentText());
}

void ServerPanel::setPort(int port)
{
    m_port->setValue(port);
}

void ServerPanel::setEnabled(bool on)
{
    if (!on) {
        stopServer();
        if (m_projectChangedWhileServing) { // now show the project that is open
            m_projectChangedWhileServing = false;
            m_tokenValue.clear();
            reloadExperiments();
        }
        return;
    }
    if (m_server || m_watcher.isRunning())
        return;
    const QString checkpoint = m_checkpoint->currentData().toString();
    if (checkpoint.isEmpty()) {
        m_state->setText(tr("Choose an experiment with a checkpoint first."));
        const QSignalBlocker blocker(m_enable);
        m_enable->setChecked(false);
        return;
    }
    std::string input = "review", target = "sentiment";
    core::checkpointFeatureNames(toStdString(checkpoint), input, target);
    m_inputName = toQString(input);
    m_targetName = toQString(target);
    m_state->setText(tr("Loading %1…").arg(m_checkpoint->currentText()));
    core::PredictorOptions options;
    options.bf16 = usesBf16();
    m_precision->setEnabled(false); // the model loads in this precision
    m_watcher.setFuture(loadPredictorInBackground(checkpoint, options));
}

void ServerPanel::onPredictorLoaded()
{
    const auto result = m_watcher.result();
    auto refuse = [this](const QString& why) {
        m_precision->setEnabled(true);
        m_state->setText(QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(why.toHtmlEscaped()));
        const QSignalBlocker blocker(m_enable);
        m_enable->setChecked(false);
        Q_EMIT servingChanged(false);
    };
    if (!m_enable->isChecked()) {
        m_precision->setEnabled(true);
        return; // switched off while loading
    }
    if (!result->ok())
        return refuse(ErrorText::text(result->error()));
    auto token = core::readOrCreateTokenFile(toStdString(tokenFile()));
    if (!token)
        return refuse(ErrorText::text(token.error()));
    m_tokenValue = toQString(token.value());
    core::ServerOptions options;
    options.port = m_port->value();
    options.token = token.value();
    options.inputName = toStdString(m_inputName);
    options.targetName = toStdString(m_targetName);
    QPointer<QPlainTextEdit> log = m_log;
    options.log = [log](const std::string& line) {
        QMetaObject::invokeMethod(
            log, [log, text = toQString(line)] {
                if (log)
                    log->appendPlainText(text);
            },
            Qt::QueuedConnection);
    };
    auto server = std::make_unique<core::PredictionServer>(result->value(), options);
    if (auto started = server->start(); !started) {
        refuse(ErrorText::text(started.error())); // PortUnavailable's headline says to choose another port
        if (started.error().code == core::ErrorCode::PortUnavailable) { // where the next one is typed
            m_port->setFocus();
            m_port->selectAll();
        }
        return;
    }
    m_server = std::move(server);
    m_servedPredictor = result->value();
    m_state->setText(tr("<b>Serving</b> %1").arg(m_checkpoint->currentText()));
    m_experiment->setEnabled(false);
    m_checkpoint->setEnabled(false);
    m_port->setEnabled(false);
    m_precision->setEnabled(false);
    m_open->setEnabled(true);
    updateTexts();
    Q_EMIT servingChanged(true);
}

void ServerPanel::stopServer()
{
    if (!m_server)
        return;
    m_server.reset(); // answers the requests in flight, then closes
    m_servedPredictor.reset();
    m_state->setText(tr("Stopped"));
    m_experiment->setEnabled(true);
    m_checkpoint->setEnabled(true);
    m_port->setEnabled(true);
    m_precision->setEnabled(true);
    m_open->setEnabled(false);
    updateTexts();
    Q_EMIT servingChanged(false);
}

QString ServerPanel::url() const
{
    return m_server ? toQString(m_server->url())
                    : QStringLiteral("http://127.0.0.1:%1").arg(m_port->value() == 0 ? QStringLiteral("PORT")
                                                                                   : QString::number(m_port->value()));
}

QString ServerPanel::token() const
{
    return m_tokenValue;
}

QString ServerPanel::curlCommand(bool withToken) const
{
    const QString input = m_inputName.isEmpty() ? QStringLiteral("review") : m_inputName;
    return QStringLiteral("curl -X POST -F \"%1=A fun brain candy movie...good dialog. A genuinely good day\" -u \"%2:\" %3/predict")
        .arg(input, m_tokenValue.isEmpty() || !withToken ? QStringLiteral("<token>") : m_tokenValue, url());
}

QString ServerPanel::shownCode() const
{
    return m_code->toPlainText();
}

void ServerPanel::updateTexts()
{
    if (m_tokenValue.isEmpty() && QFileInfo::exists(tokenFile()))
        if (auto token = core::readOrCreateTokenFile(toStdString(tokenFile())))
            m_tokenValue = toQString(token.value());
    m_url->setText(url());
    m_token->setText(m_tokenValue.isEmpty() ? tr("(created when the deployment is enabled)") : m_tokenValue);
    if (!m_checkpoint->currentData().toString().isEmpty() && !m_server) {
        std::string input = "review", target = "sentiment";
        core::checkpointFeatureNames(toStdString(m_checkpoint->currentData().toString()), input, target);
        m_inputName = toQString(input);
        m_targetName = toQString(target);
    }
    m_names->setText(m_inputName.isEmpty() ? QString() : tr("%1 → %2").arg(m_inputName, m_targetName));
    m_code->setPlainText(curlCommand(m_show->isChecked())); // Copy command copies it with the token
}

} // namespace fika::ui
