// ConversationView: the files messages carry. A click downloads one into the session's
// cache (once; later clicks open the cached copy) and opens it with the desktop's program
// for it, a picture in the image viewer; Save As… copies it where the user says. A
// download that fails says why, and a click tries again.
#include "conversationview.h"

#include "chatsession.h"
#include "imageviewer.h"
#include "messagelistview.h"

#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QPointer>
#include <QStandardPaths>
#include <QUrl>

namespace Confab::Desktop {

void ConversationView::setUpFiles()
{
    connect(m_list, &MessageListView::fileActivated, this, &ConversationView::openFile);
}

void ConversationView::openFile(const QVariantMap &file, FileAction action)
{
    if (action == FileAction::Open && AttachmentChips::showsAsImage(file))
        return showImage(file);
    const QByteArray id = file.value(QStringLiteral("id")).toString().toLatin1();
    const QString name = file.value(QStringLiteral("name")).toString();
    QString target;
    if (action == FileAction::SaveAs) {
        const QString folder = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
        target = m_saveAs ? m_saveAs(name)
                          : QFileDialog::getSaveFileName(this, tr("Save %1").arg(name), QDir(folder).filePath(name));
        if (target.isEmpty())
            return;
    }
    if (!m_session->files()->isCached(id))
        showNotice(tr("Downloading %1…").arg(name));
    Client::FileDownload *download = m_session->files()->download(id);
    connect(download, &Client::FileDownload::finished, this,
            [this, name, action, target](const Chat::Result<Client::DownloadedFile> &downloaded) {
                if (!downloaded) {
                    return showNotice(
                        tr("Could not download %1: %2. Click it to try again.").arg(name, downloaded.error().message));
                }
                if (action == FileAction::SaveAs) {
                    QFile::remove(target);
                    if (!QFile::copy(downloaded->path, target))
                        return showNotice(tr("Could not save %1 as %2.").arg(name, target));
                    showNotice(tr("Saved %1.").arg(QDir::toNativeSeparators(target)));
                    return Q_EMIT fileReady(target);
                }
                showNotice({});
                Q_EMIT fileReady(downloaded->path);
                if (m_opensFiles && !QDesktopServices::openUrl(QUrl::fromLocalFile(downloaded->path)))
                    showNotice(tr("No program here opens %1. It is at %2; right-click it to save it elsewhere.")
                                   .arg(name, QDir::toNativeSeparators(downloaded->path)));
            });
}

// The viewer shows the thumbnail at once when this device has it, then the full picture.
void ConversationView::showImage(const QVariantMap &file)
{
    auto *viewer = new ImageViewer(file.value(QStringLiteral("name")).toString(), this);
    connect(viewer, &ImageViewer::saveAsRequested, this, [this, file] { openFile(file, FileAction::SaveAs); });
    connect(viewer, &ImageViewer::openExternallyRequested, this,
            [this, file] { openFile(file, FileAction::OpenExternally); });
    Client::FileTransfers *files = m_session->files();
    const QByteArray id = file.value(QStringLiteral("id")).toString().toLatin1();
    const QByteArray thumbnail = file.value(QStringLiteral("thumbnail")).toString().toLatin1();
    if (!thumbnail.isEmpty() && files->isCached(thumbnail) && !files->isCached(id)) {
        connect(files->download(thumbnail), &Client::FileDownload::finished, viewer,
                [viewer](const Chat::Result<Client::DownloadedFile> &preview) {
                    if (preview)
                        viewer->setPreview(QImage(preview->path), tr("Downloading the full picture…"));
                });
    }
    connect(files->download(id), &Client::FileDownload::finished, viewer,
            [this, viewer](const Chat::Result<Client::DownloadedFile> &downloaded) {
                if (!downloaded)
                    return viewer->setError(tr("Could not download it: %1.").arg(downloaded.error().message));
                viewer->setImageFile(downloaded->path);
                Q_EMIT fileReady(downloaded->path);
            });
    viewer->show();
}

} // namespace Confab::Desktop
