// Plain values the chat service and its stores exchange. Messages are the protocol's
// own type (common/chat/values.h): stored, published and sent in one shape.
#pragma once

#include "chat/errors.h"
#include "chat/roomrequests.h"
#include "chat/values.h"

#include <QByteArray>
#include <QString>

namespace Confab::Chat {

struct UserRecord
{
    QString name;
    QByteArray passwordHash;
    bool disabled = false;
    qint64 createdAt = 0;
};

struct RoomRecord
{
    QString name;
    QString topic;
    bool isDirect = false;
    qint64 lastSeq = 0;
    qint64 lastRev = 0;
    Visibility visibility = Visibility::Public; // a direct-message room is private
    qint64 createdAt = 0;                       // ms; 0 for rooms v1 made (it kept no time)
};

// One upload. Its bytes are kept once per content (sha256) by the file store; the same
// bytes uploaded twice are two records.
struct FileRecord
{
    QByteArray id;
    QByteArray sha256; // lowercase hex
    QString name;      // as the uploader named it: shown, never used as a path
    QByteArray type;   // the media type the uploader gave
    qint64 size = 0;
    QString uploader;
    qint64 createdAt = 0; // ms
};

} // namespace Confab::Chat
