// Where the chat service keeps accounts, rooms, members and messages. Reads are
// synchronous; appending a message is asynchronous so a store can commit many in one
// go (group commit) and answer only once they are durable.
#pragma once

#include "chat/records.h"

#include <QList>

#include <functional>
#include <optional>

namespace Confab::Chat {

class Store
{
public:
    virtual ~Store() = default;

    // False while the store cannot be reached (a cluster store whose Redis is down):
    // answers that depended on it are then `unavailable`, never "not found".
    virtual bool isAvailable() const { return true; }

    virtual std::optional<UserRecord> findUser(const QString &name) = 0;
    virtual bool createUser(const UserRecord &user) = 0; // false when the name is taken
    virtual bool setUserDisabled(const QString &name, bool disabled) = 0;
    virtual QList<UserRecord> users() = 0;

    virtual std::optional<RoomRecord> findRoom(const QString &name) = 0;
    virtual bool createRoom(const RoomRecord &room) = 0; // false when it exists
    virtual QList<RoomRecord> rooms() = 0;
    virtual bool addMember(const QString &room, const QString &user) = 0; // false when already one
    virtual bool removeMember(const QString &room, const QString &user) = 0;
    virtual bool isMember(const QString &room, const QString &user) = 0;
    virtual QStringList members(const QString &room) = 0;
    virtual qsizetype memberCount(const QString &room) { return members(room).size(); }
    virtual QList<RoomRecord> roomsOf(const QString &user) = 0;

    struct AppendResult
    {
        std::optional<Message> message; // nothing on failure
        bool isDuplicate = false;       // an earlier send with the same clientId
    };
    using AppendCallback = std::function<void(const AppendResult &result)>;
    // Assigns the room's next seq, id and ts, and calls back once the message is durable.
    // Idempotent on (from, clientId).
    virtual void append(const Message &draft, AppendCallback callback) = 0;
    // Ascending seq. With afterSeq: the oldest `limit` after it (bounded by beforeSeq if
    // given); otherwise the newest `limit` before beforeSeq (or overall).
    virtual QList<Message> history(const QString &room, std::optional<qint64> afterSeq, std::optional<qint64> beforeSeq,
                                   int limit)
        = 0;

    virtual void setReceipt(const QString &room, const QString &user, const QString &kind, qint64 seq) = 0;
};

} // namespace Confab::Chat
