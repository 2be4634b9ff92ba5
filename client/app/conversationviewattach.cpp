// ConversationView: files for the next message. The paper clip opens a file dialog, files
// dropped on the conversation or pasted into the composer come along, and a picture
// pasted from the clipboard is kept as a PNG beside the local store. They wait above the
// composer (each can be taken off) and go with the next message, each image with its size
// and a thumbnail made here; the uploads panel shows them on their way.
#include "conversationview.h"

#include "attachmentfiles.h"
#include "attachmenttray.h"
#include "chatsession.h"
#include "composer.h"
#include "imagecache.h"
#include "messagedelegate.h"
#include "messagelistview.h"
#include "uploadspanel.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMimeData>
#include <QSet>
#include <QStandardPaths>
#include <QTimer>
#include <QToolButton>

namespace Confab::Desktop {

namespace {

// Pasted pictures and thumbnails are swept a while after a message is done with them, so a
// pending row still drawing from one has been replaced by then.
constexpr int SweepDelayMs = 10000;

} // namespace

void ConversationView::setUpAttachments()
{
    setAcceptDrops(true);
    m_attach->setObjectName(QStringLiteral("attachButton"));
    m_attach->setIcon(QIcon(QStringLiteral(":/icons/attach.svg")));
    m_attach->setIconSize(QSize(20, 20));
    m_attach->setAutoRaise(true);
    m_attach->setToolTip(tr("Attach files (or drop them here, or paste a picture)"));
    m_attach->setAccessibleName(tr("Attach files"));
    connect(m_attach, &QToolButton::clicked, this, &ConversationView::chooseFiles);
    connect(m_composer, &Composer::filesPasted, this, &ConversationView::attachFiles);
    connect(m_composer, &Composer::imagePasted, this, &ConversationView::attachImage);
    connect(m_tray, &AttachmentTray::filesChanged, this,
            [this] { m_composer->setAcceptsEmpty(!m_tray->files().isEmpty()); });
    m_delegate->setImageCache(m_images);
    connect(m_images, &ImageCache::imageReady, m_list->viewport(), qOverload<>(&QWidget::update));
    connect(m_session, &Client::ChatSession::onlineChanged, this, [this](bool online) {
        if (online) { // pictures that could not be fetched offline
            m_images->retryFailed();
            m_list->viewport()->update();
        }
    });
    const auto sweepLater = [this] { QTimer::singleShot(SweepDelayMs, this, &ConversationView::sweepOutgoing); };
    connect(m_session, &Client::ChatSession::messageSent, this, sweepLater);
    connect(m_session, &Client::ChatSession::messageDiscarded, this, sweepLater);
}

void ConversationView::attachFiles(const QStringList &paths)
{
    if (m_room.isEmpty() || paths.isEmpty())
        return;
    const int leftOut = m_tray->addFiles(paths);
    if (leftOut > 0)
        showNotice(tr("A message carries at most %n files; %1 more were left out.", nullptr, AttachmentTray::MaxFiles)
                       .arg(leftOut));
    m_composer->setFocus();
}

bool ConversationView::attachImage(const QImage &image)
{
    QString error;
    const QString path = savePastedImage(image, outgoingDir(m_session), &error);
    if (path.isEmpty()) {
        showNotice(tr("Could not keep the pasted picture (%1 cannot be written).").arg(error));
        return false;
    }
    attachFiles({ path });
    return true;
}

void ConversationView::chooseFiles()
{
    // Where the last files came from; at first the pictures folder, if there is one.
    static QString folder;
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) {
        folder = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
        if (!QFileInfo(folder).isDir())
            folder = QDir::homePath();
    }
    const QStringList paths
        = m_chooseFiles ? m_chooseFiles() : QFileDialog::getOpenFileNames(this, tr("Attach Files"), folder);
    if (!paths.isEmpty())
        folder = QFileInfo(paths.first()).absolutePath();
    attachFiles(paths);
}

void ConversationView::switchAttachments(const QString &from, const QString &to)
{
    if (!from.isEmpty())
        m_roomFiles.insert(from, m_tray->files());
    m_tray->setFiles(m_roomFiles.take(to));
}

QList<Client::OutboxAttachment> ConversationView::takeAttachments()
{
    QList<Client::OutboxAttachment> attachments;
    const QString outgoing = outgoingDir(m_session);
    for (const QString &path : m_tray->files())
        attachments.append(prepareAttachment(path, outgoing));
    m_tray->clear();
    return attachments;
}

void ConversationView::sweepOutgoing()
{
    QSet<QString> needed;
    for (const Client::OutboxEntry &entry : m_session->localStore()->outbox()) {
        for (const Client::OutboxAttachment &attachment : entry.attachments)
            needed << attachment.path << attachment.thumbnailPath;
    }
    for (const QString &path : m_tray->files())
        needed << path;
    for (const QStringList &files : std::as_const(m_roomFiles)) {
        for (const QString &path : files)
            needed << path;
    }
    const QDir outgoing(outgoingDir(m_session));
    for (const QFileInfo &file : outgoing.entryInfoList(QDir::Files)) {
        if (!needed.contains(file.filePath()))
            QFile::remove(file.filePath());
    }
}

void ConversationView::dragEnterEvent(QDragEnterEvent *event)
{
    if (!m_room.isEmpty() && !localFilesOf(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void ConversationView::dragMoveEvent(QDragMoveEvent *event)
{
    if (!m_room.isEmpty() && !localFilesOf(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void ConversationView::dropEvent(QDropEvent *event)
{
    const QStringList files = localFilesOf(event->mimeData());
    if (m_room.isEmpty() || files.isEmpty())
        return;
    event->acceptProposedAction();
    attachFiles(files);
}

} // namespace Confab::Desktop
