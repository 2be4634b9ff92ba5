#include "imagecache.h"

#include "filetransfers.h"

#include <QImageReader>
#include <QPainter>
#include <QPainterPath>

namespace Confab::Desktop {

namespace {

QString key(const QString &source, const QSize &size, const ImageCache::Frame &frame)
{
    return source + QLatin1Char('@') + QString::number(size.width()) + QLatin1Char('x') + QString::number(size.height())
        + QLatin1Char('/') + QString::number(frame.radius) + QLatin1Char('/')
        + QString::number(frame.border.rgba(), 16);
}

// The picture inside its rounded frame, corners transparent, border drawn over it.
QImage framed(const QImage &picture, qreal devicePixelRatio, const ImageCache::Frame &frame)
{
    QImage result(picture.size(), QImage::Format_ARGB32_Premultiplied);
    result.fill(Qt::transparent);
    QPainter painter(&result);
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal radius = frame.radius * devicePixelRatio;
    QPainterPath shape;
    shape.addRoundedRect(QRectF(result.rect()), radius, radius);
    painter.fillPath(shape, QBrush(picture));
    if (frame.border.alpha() > 0) {
        const qreal half = devicePixelRatio / 2;
        QPainterPath edge;
        edge.addRoundedRect(QRectF(result.rect()).adjusted(half, half, -half, -half), radius, radius);
        painter.setPen(QPen(frame.border, devicePixelRatio));
        painter.drawPath(edge);
    }
    return result;
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

QPixmap ImageCache::image(const QVariantMap &attachment, const QSize &size, qreal devicePixelRatio, const Frame &frame)
{
    const QString source = sourceOf(attachment);
    const QSize pixels = size * devicePixelRatio;
    const QString cacheKey = key(source, pixels, frame);
    if (const QPixmap *cached = m_pixmaps.object(cacheKey))
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
    auto *pixmap = new QPixmap(QPixmap::fromImage(framed(decoded, devicePixelRatio, frame)));
    pixmap->setDevicePixelRatio(devicePixelRatio);
    const QPixmap result = *pixmap;
    m_pixmaps.insert(cacheKey, pixmap, std::max<qsizetype>(1, pixels.width() * pixels.height() * 4 / 1024));
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
