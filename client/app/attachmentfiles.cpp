#include "attachmentfiles.h"

#include "chatsession.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QMimeData>
#include <QMimeDatabase>
#include <QUuid>

namespace Confab::Desktop {

bool isInlineImageType(const QString &type)
{
    return type == u"image/png" || type == u"image/jpeg" || type == u"image/gif" || type == u"image/webp";
}

QStringList localFilesOf(const QMimeData *data)
{
    QStringList paths;
    for (const QUrl &url : data->urls()) {
        if (!url.isLocalFile() || !QFileInfo(url.toLocalFile()).isFile())
            return {};
        paths.append(url.toLocalFile());
    }
    return paths;
}

QString outgoingDir(Client::ChatSession *session)
{
    // The download cache is <store's folder>/files; outgoing files go beside it.
    return QFileInfo(session->files()->cacheDir()).dir().filePath(QStringLiteral("outgoing"));
}

QSize fittedImageSize(const QSize &original, const QSize &bounds, int maxWidth)
{
    if (original.isEmpty())
        return {};
    QSize shown = original;
    const QSize limit(std::min(bounds.width(), std::max(1, maxWidth)), bounds.height());
    if (shown.width() > limit.width() || shown.height() > limit.height())
        shown = original.scaled(limit, Qt::KeepAspectRatio);
    return shown.expandedTo(QSize(8, 8));
}

Client::OutboxAttachment prepareAttachment(const QString &path, const QString &outgoing)
{
    Client::OutboxAttachment attachment { path };
    if (!isInlineImageType(QMimeDatabase().mimeTypeForFile(path).name()))
        return attachment;
    QImageReader reader(path);
    reader.setAutoTransform(true); // a photo's EXIF rotation: sizes as it is seen
    QImage image = reader.read();
    if (image.isNull())
        return attachment; // a format this Qt cannot read (webp without its plugin): a chip
    attachment.width = image.width();
    attachment.height = image.height();
    if (image.width() <= ThumbnailBounds.width() && image.height() <= ThumbnailBounds.height())
        return attachment; // small enough to be its own thumbnail
    const QImage thumbnail = image.scaled(ThumbnailBounds, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    // JPEG is far smaller for photos; PNG keeps transparency.
    const bool alpha = thumbnail.hasAlphaChannel();
    const QString name
        = QStringLiteral("thumbnail-%1.%2")
              .arg(QUuid::createUuid().toString(QUuid::Id128), alpha ? QStringLiteral("png") : QStringLiteral("jpg"));
    const QString thumbnailPath = QDir(outgoing).filePath(name);
    if (QDir().mkpath(outgoing) && thumbnail.save(thumbnailPath, alpha ? "PNG" : "JPEG", alpha ? -1 : 85))
        attachment.thumbnailPath = thumbnailPath;
    return attachment; // without one when it cannot be written: the full image is shown instead
}

QString savePastedImage(const QImage &image, const QString &outgoing, QString *error)
{
    // Named as others will see it: when it was pasted, and unique among those waiting.
    const QString stem = QCoreApplication::translate("AttachmentFiles", "Pasted image %1")
                             .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd hh.mm.ss")));
    QString path = QDir(outgoing).filePath(stem + QLatin1String(".png"));
    for (int copy = 2; QFileInfo::exists(path); ++copy)
        path = QDir(outgoing).filePath(QStringLiteral("%1 (%2).png").arg(stem).arg(copy));
    if (QDir().mkpath(outgoing) && image.save(path, "PNG"))
        return path;
    if (error)
        *error = QDir::toNativeSeparators(path);
    return {};
}

} // namespace Confab::Desktop
