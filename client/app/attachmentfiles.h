// Files on their way into a message: what the composer turns a path or a pasted picture
// into before it goes to the outbox. Images get their size and, when larger than a
// thumbnail, a smaller copy made here (the server never decodes images), which is uploaded
// beside the file and shown in the conversation in its place.
#pragma once

#include "localstore.h"

#include <QSize>
#include <QString>

class QImage;
class QMimeData;

namespace Confab::Client {
class ChatSession;
}

namespace Confab::Desktop {

// The client-made thumbnail's bounds, and an inline image's in the conversation.
inline constexpr QSize ThumbnailBounds { 400, 300 };
inline constexpr QSize InlineImageBounds { 360, 270 };

// The kinds of picture shown inline (others are chips): png, jpeg, gif, webp.
bool isInlineImageType(const QString &type);

// Where pasted pictures and thumbnails wait until their message is sent: beside the
// session's local store.
QString outgoingDir(Client::ChatSession *session);

// An attachment for the outbox: an image's size and a thumbnail in `outgoing` when it is
// larger than ThumbnailBounds; other files as they are.
Client::OutboxAttachment prepareAttachment(const QString &path, const QString &outgoing);

// A picture from the clipboard, kept as a PNG in `outgoing`; empty (and error) when it
// cannot be written.
QString savePastedImage(const QImage &image, const QString &outgoing, QString *error = nullptr);

// The local files a drop or a paste carries; empty when anything else is in it.
QStringList localFilesOf(const QMimeData *data);

// An image of `original` size shown within `bounds` (aspect kept, never enlarged) and no
// wider than `maxWidth`; at least a few pixels each way.
QSize fittedImageSize(const QSize &original, const QSize &bounds, int maxWidth);

} // namespace Confab::Desktop
