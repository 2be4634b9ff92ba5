// The pictures shown inline in the conversation, decoded at the size they are drawn:
// a sent image's thumbnail (or the image itself when it has none) downloaded once through
// the session's file cache, a queued one's from its local file. Painting asks and never
// waits: a picture not decoded yet starts loading and imageReady says when to paint again.
#pragma once

#include <QCache>
#include <QColor>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QVariantMap>

namespace Confab::Client {
class FileTransfers;
}

namespace Confab::Desktop {

class ImageCache : public QObject
{
    Q_OBJECT
public:
    explicit ImageCache(Client::FileTransfers *files, QObject *parent = nullptr);

    // How a picture is framed in the conversation: rounded corners and a thin border,
    // drawn into the cached pixmap once (clipping and stroking a rounded path at every
    // paint cost more than the rest of the row).
    struct Frame
    {
        qreal radius = 0;
        QColor border {};
    };
    // The attachment's picture at `size` (device-independent pixels) in its frame, or a
    // null pixmap while it loads (then imageReady follows) or when it cannot be shown.
    QPixmap image(const QVariantMap &attachment, const QSize &size, qreal devicePixelRatio, const Frame &frame);
    // Whether the attachment's picture failed to load (a placeholder says so).
    bool hasFailed(const QVariantMap &attachment) const;
    // The file id or local path its picture comes from.
    static QString sourceOf(const QVariantMap &attachment);
    // Pictures that failed (offline, say) are tried again when next painted.
    void retryFailed() { m_failed.clear(); }

Q_SIGNALS:
    void imageReady(const QString &source);

private:
    void download(const QString &source);

    Client::FileTransfers *m_files;
    QCache<QString, QPixmap> m_pixmaps; // by source and size; cost in KiB
    QHash<QString, QString> m_paths;    // source -> the local file once known
    QSet<QString> m_downloading;
    QSet<QString> m_failed;
};

} // namespace Confab::Desktop
