#include "imagecache.h"

#include "filetransfers.h"

#include <QImageReader>

namespace Confab::Desktop {

namespace {

QString key(const QString &source, const QSize &size)
{
    return source + QLatin1Char('@') + QString::number(size.width()) + QLatin1Char('x')
        + QString::number(size.height());
}

} // namespace

ImageCache::ImageCache(Client::FileTransfers *files, QObject *parent)
    : QObject(parent)
    , m_files(files)
    , m_pixmaps(64 * 1024) // 64 MiB of decoded pictures: a few screens of them
{
}

QString ImageCache::sourceOf(const QVariantMap &attachment)
{
    if (attachment.value(QStringLiteral("pending")).toBool()) {
        const QString thumbnail = attachment.value(QStringLiteral("thumbnailPath")).toString();
        return QStringLiteral("file:")
            + (thumbnail.isEmpty() ? attachment.value(QStringLiteral("path")).toString() : thumbnail);
    }
    const QString thumbnail = attachment.value(QStringLiteral("thumbnail")).toString();
    return thumbnail.isEmpty() ? attachment.value(QStringLiteral("id")).toString() : thumbnail;
}

bool ImageCache::hasFailed(const QVariantMap &attachment) const
{
    return m_failed.contains(sourceOf(attachment));
}

QPixmap ImageCache::image(const QVariantMap &attachment, const QSize &size, qreal devicePixelRatio)
{
    const QString source = sourceOf(attachment);
    const QSize pixels = size * devicePixelRatio;
    if (const QPixmap *cached = m_pixmaps.object(key(source, pixels)))
        return *cached;
    if (m_failed.contains(source))
        return {};
    QString path = m_paths.value(source);
    if (path.isEmpty() && source.startsWith(QLatin1String("file:")))
        path = source.sliced(5);
    if (path.isEmpty()) {
        download(source);
        return {};
    }
    // Decoded at the size drawn: a photo costs its thumbnail's memory, not its own.
    QImageReader reader(path);
    reader.setAutoTransform(true);
    reader.setScaledSize(pixels);
    QImage decoded = reader.read();
    if (decoded.isNull()) {
        m_failed.insert(source);
        return {};
    }
    auto *pixmap = new QPixmap(QPixmap::fromImage(std::move(decoded)));
    pixmap->setDevicePixelRatio(devicePixelRatio);
    const QPixmap result = *pixmap;
    m_pixmaps.insert(key(source, pixels), pixmap, std::max<qsizetype>(1, pixels.width() * pixels.height() * 4 / 1024));
    return result;
}

void ImageCache::download(const QString &source)
{
    if (m_downloading.contains(source))
        return;
    m_downloading.insert(source);
    Client::FileDownload *download = m_files->download(source.toLatin1());
    connect(download, &Client::FileDownload::finished, this,
            [this, source](const Chat::Result<Client::DownloadedFile> &file) {
                m_downloading.remove(source);
                if (file)
                    m_paths.insert(source, file->path);
                else
                    m_failed.insert(source); // a placeholder until retryFailed
                Q_EMIT imageReady(source);
            });
}

} // namespace Confab::Desktop
