#include "uploadspanel.h"

#include "attachmentchips.h"
#include "chatsession.h"

#include <QFileInfo>
#include <QHBoxLayout>
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

void UploadsPanel::rebuild()
{
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_lines.clear();
    for (const Client::OutboxEntry &entry : m_session->localStore()->outbox()) {
        if (entry.room != m_room || entry.kind != Client::OutboxKind::Send || entry.failed)
            continue;
        for (int i = 0; i < entry.attachments.size(); ++i) {
            const Client::OutboxAttachment &attachment = entry.attachments.at(i);
            auto *line = new QWidget(this);
            line->setObjectName(QStringLiteral("uploadLine"));
            line->setProperty("clientId", entry.clientId);
            auto *row = new QHBoxLayout(line);
            row->setContentsMargins(4, 0, 0, 0);
            const QFileInfo file(attachment.path);
            auto *name = new QLabel(tr("%1 (%2)").arg(file.fileName(), AttachmentChips::sizeText(file.size())), line);
            auto *progress = new QProgressBar(line);
            progress->setObjectName(QStringLiteral("uploadProgress"));
            progress->setRange(0, 1000);
            progress->setTextVisible(false);
            progress->setMaximumHeight(8);
            progress->setValue(attachment.file.isEmpty() ? 0 : 1000);
            auto *status = new QLabel(attachment.file.isEmpty() ? waitingText() : tr("uploaded"), line);
            status->setObjectName(QStringLiteral("uploadStatus"));
            status->setForegroundRole(QPalette::PlaceholderText);
            status->setMinimumWidth(status->fontMetrics().horizontalAdvance(tr("waiting for the connection")));
            auto *cancel = new QToolButton(line);
            cancel->setObjectName(QStringLiteral("cancelUpload"));
            cancel->setText(tr("Cancel"));
            cancel->setAutoRaise(true);
            cancel->setToolTip(tr("Stop uploading and drop this message"));
            connect(cancel, &QToolButton::clicked, m_session,
                    [session = m_session, clientId = entry.clientId] { session->discardMessage(clientId); });
            row->addWidget(name);
            row->addWidget(progress, 1);
            row->addWidget(status);
            row->addWidget(cancel);
            m_layout->addWidget(line);
            m_lines.insert(lineKey(entry.clientId, i), { progress, status });
        }
    }
    setVisible(!m_lines.isEmpty());
}

void UploadsPanel::showProgress(const QString &clientId, int index, qint64 sent, qint64 total)
{
    const Line line = m_lines.value(lineKey(clientId, index));
    if (!line.progress || total <= 0)
        return;
    line.progress->setValue(int(sent * 1000 / total));
    line.status->setText(tr("%1 of %2").arg(AttachmentChips::sizeText(sent), AttachmentChips::sizeText(total)));
}

} // namespace Confab::Desktop
