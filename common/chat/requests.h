// Each client-to-server event's payload and its ok answer as types. A request's
// fromJson validates (the server's first check; the same rules the client can use before
// sending); an answer's fromJson reads what the server sent. Wire names and shapes as in
// docs/PROTOCOL.md.
#pragma once

#include "chat/errors.h"
#include "chat/values.h"

#include <QStringList>

#include <optional>

namespace Confab::Chat {

// room:create {room, topic?} → {room: Room}
struct CreateRoomRequest
{
    QString room {};
    QString topic {};
    Visibility visibility = Visibility::Public;

    QJsonObject toJson() const;
    static Result<CreateRoomRequest> fromJson(const QJsonObject &payload);
};

// room:join {room} → {room: Room, lastSeq}; room:leave {room} → {}
struct RoomRequest
{
    QString room {};

    QJsonObject toJson() const;
    static Result<RoomRequest> fromJson(const QJsonObject &payload);
};

// room:list {} → {rooms: [RoomSummary]}
struct ListRoomsRequest
{
    QJsonObject toJson() const { return {}; }
    static Result<ListRoomsRequest> fromJson(const QJsonObject &) { return ListRoomsRequest {}; }
};

// dm:open {user} → {room: Room}
struct OpenDirectRequest
{
    QString user {};

    QJsonObject toJson() const;
    static Result<OpenDirectRequest> fromJson(const QJsonObject &payload);
};

// message:send {room, clientId, text, replyTo?} → {id, seq, ts}
// message:send's attachments entry {file, thumbnail?, width?, height?}: files the sender uploaded.
struct AttachmentRef
{
    QByteArray file {};
    QByteArray thumbnail {};
    int width = 0; // 0: not given
    int height = 0;

    QJsonObject toJson() const;
};

struct SendMessageRequest
{
    QString room {};
    QString clientId {};
    QString text {};       // may be empty when there are attachments
    QByteArray replyTo {}; // a message id in the same room; empty: not a reply
    QList<AttachmentRef> attachments {};

    QJsonObject toJson() const;
    static Result<SendMessageRequest> fromJson(const QJsonObject &payload);
};

// history:fetch {room, afterSeq?, beforeSeq?, limit?} → {messages: [Message]} ascending seq
struct HistoryRequest
{
    QString room {};
    std::optional<qint64> afterSeq {};
    std::optional<qint64> beforeSeq {};
    std::optional<int> limit {};

    QJsonObject toJson() const;
    static Result<HistoryRequest> fromJson(const QJsonObject &payload);
};

// search {query, room?, beforeSeq?, limit?} → {messages} (HistoryAnswer), newest first.
// beforeSeq pages within one room, so it needs room.
struct SearchRequest
{
    QString query {};
    QString room {}; // empty: every room of the caller's
    std::optional<qint64> beforeSeq {};
    std::optional<int> limit {};

    QJsonObject toJson() const;
    static Result<SearchRequest> fromJson(const QJsonObject &payload);
};

// receipt {room, seq, kind} → {}
struct ReceiptRequest
{
    QString room {};
    qint64 seq = 0;
    ReceiptKind kind = ReceiptKind::Delivered;

    QJsonObject toJson() const;
    static Result<ReceiptRequest> fromJson(const QJsonObject &payload);
};

// typing {room, active} → {}
struct TypingRequest
{
    QString room {};
    bool active = false;

    QJsonObject toJson() const;
    static Result<TypingRequest> fromJson(const QJsonObject &payload);
};

// presence:set {status} → {}
struct SetPresenceRequest
{
    QString status {};

    QJsonObject toJson() const;
    static Result<SetPresenceRequest> fromJson(const QJsonObject &payload);
};

// presence:get {users} → {presence: {user: PresenceInfo}}
struct GetPresenceRequest
{
    QStringList users {};

    QJsonObject toJson() const;
    static Result<GetPresenceRequest> fromJson(const QJsonObject &payload);
};

// message:edit {room, id, text} → {rev, editedAt}
struct EditMessageRequest
{
    QString room {};
    QByteArray id {};
    QString text {};

    QJsonObject toJson() const;
    static Result<EditMessageRequest> fromJson(const QJsonObject &payload);
};

// message:delete {room, id} → {rev}
struct DeleteMessageRequest
{
    QString room {};
    QByteArray id {};

    QJsonObject toJson() const;
    static Result<DeleteMessageRequest> fromJson(const QJsonObject &payload);
};

// reaction:set {room, id, emoji, on} → {rev}
struct SetReactionRequest
{
    QString room {};
    QByteArray id {};
    QString emoji {};
    bool on = true;

    QJsonObject toJson() const;
    static Result<SetReactionRequest> fromJson(const QJsonObject &payload);
};

// updates:fetch {room, afterRev, limit?} → {messages: [Message] ascending rev, lastRev}
struct UpdatesRequest
{
    QString room {};
    qint64 afterRev = 0;
    std::optional<int> limit {};

    QJsonObject toJson() const;
    static Result<UpdatesRequest> fromJson(const QJsonObject &payload);
};

// Ok answers.

struct RoomAnswer // room:create, dm:open
{
    Room room {};

    QJsonObject toJson() const;
    static RoomAnswer fromJson(const QJsonObject &answer);
};

struct JoinRoomAnswer
{
    Room room {};
    qint64 lastSeq = 0;
    qint64 lastRev = 0;

    QJsonObject toJson() const;
    static JoinRoomAnswer fromJson(const QJsonObject &answer);
};

struct RoomListAnswer
{
    QList<RoomSummary> rooms {};

    QJsonObject toJson() const;
    static RoomListAnswer fromJson(const QJsonObject &answer);
};

struct SendMessageAnswer
{
    QByteArray id {};
    qint64 seq = 0;
    qint64 ts = 0;

    QJsonObject toJson() const;
    static SendMessageAnswer fromJson(const QJsonObject &answer);
};

// message:delete, reaction:set
struct RevAnswer
{
    qint64 rev = 0;

    QJsonObject toJson() const;
    static RevAnswer fromJson(const QJsonObject &answer);
};

struct EditAnswer
{
    qint64 rev = 0;
    qint64 editedAt = 0;

    QJsonObject toJson() const;
    static EditAnswer fromJson(const QJsonObject &answer);
};

struct UpdatesAnswer
{
    QList<Message> messages {};
    qint64 lastRev = 0;

    QJsonObject toJson() const;
    static UpdatesAnswer fromJson(const QJsonObject &answer);
};

// room:reads {room} → {reads: {user: readSeq}}
struct ReadsAnswer
{
    QMap<QString, qint64> reads {};

    QJsonObject toJson() const;
    static ReadsAnswer fromJson(const QJsonObject &answer);
};

struct HistoryAnswer
{
    QList<Message> messages {};

    QJsonObject toJson() const;
    static HistoryAnswer fromJson(const QJsonObject &answer);
};

struct PresenceAnswer
{
    QMap<QString, PresenceInfo> presence {};

    QJsonObject toJson() const;
    static PresenceAnswer fromJson(const QJsonObject &answer);
};

// Reads an ack body as T's answer, or the error it carries.
template<typename T> Result<T> readAnswer(const QJsonObject &answer)
{
    if (auto error = answerError(answer))
        return *error;
    return T::fromJson(answer);
}

template<> inline Result<Done> readAnswer<Done>(const QJsonObject &answer)
{
    if (auto error = answerError(answer))
        return *error;
    return Done {};
}

} // namespace Confab::Chat
