// Messages as the cluster store keeps them: one JSON document each (Message::toJson),
// read back through Message::fromJson. Shared by the store's source files.
#pragma once

#include "chat/values.h"
#include "redis/redisreply.h"

#include <QJsonDocument>

#include <optional>

namespace Confab::Cluster {

inline QByteArray utf8(const QString &text)
{
    return text.toUtf8();
}

inline std::optional<Chat::Message> messageFromJson(const QByteArray &json)
{
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    if (object.isEmpty())
        return std::nullopt;
    return Chat::Message::fromJson(object);
}

// An array reply of message documents, in its order; unreadable ones are skipped.
inline QList<Chat::Message> messagesFrom(const std::optional<Redis::RedisReply> &reply)
{
    QList<Chat::Message> result;
    if (!reply)
        return result;
    for (const Redis::RedisReply &element : reply->elements) {
        if (auto message = messageFromJson(element.string))
            result.append(*message);
    }
    return result;
}

} // namespace Confab::Cluster
