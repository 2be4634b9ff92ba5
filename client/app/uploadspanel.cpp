#include "uploadspanel.h"

#include "attachmentchips.h"
#include "chatsession.h"

#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace Confab::Desktop {

namespace {

QString lineKey(const QString &clientId, int index)
{
    return clientId + QLatin1Char('/') + QString::number(index);
}

} // namespace

UploadsPanel::UploadsPanel(Client::ChatSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_layout(new QVBoxLayout(this))
{
    setObjectName(QStringLiteral("uploadsPanel"));
    m_layout->setContentsMargins(0, 0, 0, 2);
    m_layout->setSpacing(2);
    using Client::ChatSession;
    // What changes the outbox's list of messages with files: rebuilt then (rare), while
    // progress only moves a bar.
    connect(session, &ChatSession::messageSent, this, &UploadsPanel::rebuild);
    connect(session, &ChatSession::messageDiscarded, this, &UploadsPanel::rebuild);
    connect(session, &ChatSession::messageRetried, this, &UploadsPanel::rebuild);
    connect(session, &ChatSession::messageQueued, this, &UploadsPanel::rebuild);
    connect(session, &ChatSession::messageFailed, this, &UploadsPanel::rebuild);
    connect(session, &ChatSession::onlineChanged, this, &UploadsPanel::rebuild);
    connect(session, &ChatSession::uploadProgress, this, &UploadsPanel::showProgress);
    hide();
}

void UploadsPanel::setRoom(const QString &room)
{
    m_room = room;
    rebuild();
}

QString UploadsPanel::waitingText() const
{
    return m_session->isOnline() ? tr("waiting to upload") : tr("waiting for the connection");
}

// A grid, so the bars line up: a row a file (name, bar, status), and one Cancel per
// message, on its first file's row (the outbox sends a message whole or not at all).
void UploadsPanel::rebuild()
{
    if (m_rows) {
        // Later: a Cancel in it may be what is emitting now.
        m_rows->hide();
        m_rows->setParent(nullptr);
        m_rows->deleteLater();
    }
    m_rows = new QWidget(this);
    auto *grid = new QGridLayout(m_rows);
    grid->setContentsMargins(4, 0, 0, 0);
    grid->setVerticalSpacing(2);
    grid->setColumnStretch(1, 1);
    m_layout->addWidget(m_rows);
    m_lines.clear();
    QHash<QString, std::pair<qint64, qint64>> progressKept;
    int row = 0;
    for (const Client::OutboxEntry &entry : m_session->localStore()->outbox()) {
        if (entry.room != m_room || entry.kind != Client::OutboxKind::Send || entry.failed)
            continue;
        for (int i = 0; i < entry.attachments.size(); ++i, ++row) {
            const Client::OutboxAttachment &attachment = entry.attachments.at(i);
            const QFileInfo file(attachment.path);
            auto *name = new QLabel(m_rows);
            name->setText(name->fontMetrics().elidedText(file.fileName(), Qt::ElideMiddle, MaxNameWidth));
            name->setToolTip(QDir::toNativeSeparators(attachment.path));
            auto *progress = new QProgressBar(m_rows);
            progress->setObjectName(QStringLiteral("uploadProgress"));
            progress->setRange(0, 1000);
            progress->setTextVisible(false);
            progress->setMaximumHeight(8);
            progress->setValue(attachment.file.isEmpty() ? 0 : 1000);
            auto *status = new QLabel(attachment.file.isEmpty() ? waitingText() : tr("uploaded"), m_rows);
            status->setObjectName(QStringLiteral("uploadStatus"));
            status->setForegroundRole(QPalette::PlaceholderText);
            status->setMinimumWidth(status->fontMetrics().horizontalAdvance(tr("waiting for the connection")));
            grid->addWidget(name, row, 0);
            grid->addWidget(progress, row, 1);
            grid->addWidget(status, row, 2);
            if (i == 0) {
                auto *cancel = new QToolButton(m_rows);
                cancel->setObjectName(QStringLiteral("cancelUpload"));
                cancel->setText(tr("Cancel"));
                cancel->setAutoRaise(true);
                cancel->setToolTip(tr("Stop uploading and drop this message"));
                connect(cancel, &QToolButton::clicked, m_session,
                        [session = m_session, clientId = entry.clientId] { session->discardMessage(clientId); });
                grid->addWidget(cancel, row, 3);
            }
            const QString key = lineKey(entry.clientId, i);
            m_lines.insert(key, { progress, status });
            if (const auto heard = m_progress.constFind(key); heard != m_progress.cend() && attachment.file.isEmpty()) {
                applyProgress(m_lines.value(key), heard->first, heard->second);
                progressKept.insert(key, *heard);
            }
        }
    }
    m_progress = progressKept;
    setVisible(!m_lines.isEmpty());
}

void UploadsPanel::showProgress(const QString &clientId, int index, qint64 sent, qint64 total)
{
    if (total <= 0)
        return;
    const QString key = lineKey(clientId, index);
    m_progress.insert(key, { sent, total });
    if (const Line line = m_lines.value(key); line.progress)
        applyProgress(line, sent, total);
}

void UploadsPanel::applyProgress(const Line &line, qint64 sent, qint64 total)
{
    // The first bytes move the bar, even a thousandth of a large file.
    line.progress->setValue(sent > 0 ? std::max(1, int(sent * 1000 / total)) : 0);
    line.status->setText(sent < total
                             ? tr("%1 of %2").arg(AttachmentChips::sizeText(sent), AttachmentChips::sizeText(total))
                             : tr("uploaded"));
}

} // namespace Confab::Desktop
