// Where the chat service keeps accounts, rooms, members and messages. Reads are
// synchronous; appending a message is asynchronous so a store can commit many in one
// go (group commit) and answer only once they are durable.
#pragma once

#include "chat/records.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QStringList>

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

    // Rooms (protocol v2 part 2). A member's role goes with the membership: it is gone
    // when they leave or are kicked. A direct-message room has no roles.
    // The members who are more than members (the owner, moderators).
    virtual QHash<QString, RoomRole> roles(const QString &room) = 0;
    // The user's role; nothing when they are not a member.
    virtual std::optional<RoomRole> roleOf(const QString &room, const QString &user) = 0;
    // False when the user is not a member. Owner: the room's owner, if any, becomes a
    // moderator in the same step (a room has one owner).
    virtual bool setRole(const QString &room, const QString &user, RoomRole role) = 0;
    virtual bool setTopic(const QString &room, const QString &topic) = 0; // false: no such room
    virtual bool isBanned(const QString &room, const QString &user) = 0;
    virtual bool setBanned(const QString &room, const QString &user, bool on) = 0; // false: the store failed
    // Public rooms whose name or topic contains `query` (case-insensitive; empty: all),
    // most members first, then by name; at most `limit`.
    virtual QList<DirectoryEntry> directory(const QString &query, int limit) = 0;

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

    // Protocol v2: changes to existing messages, revisions, read state.
    //
    // Every change to a message (edit, delete, a reaction added or removed) and every new
    // message takes the room's next rev (per room, from 1, no gaps, in commit order).
    // append() assigns a new message its rev too, and keeps the draft's replyTo and
    // mentions (the service fills them in: the quote, and the members the text names).

    struct ChangeRequest
    {
        enum class Kind { Edit, Delete, React };
        Kind kind = Kind::Edit;
        QString room;
        QByteArray id;
        QString user;                 // who asks
        bool mayDeleteOthers = false; // the room's owner or a moderator
        QString text {};              // Edit: the new text
        QStringList mentions {};      // Edit: the members the new text names (at most MaxMentions)
        QString emoji {};             // React
        bool on = true;               // React: add (true) or remove (false) the user's reaction
        qint64 ts = 0;                // Edit: editedAt (ms), set by the store when 0
    };
    struct ChangeResult
    {
        // The message at its latest state, whether this request changed it or not.
        std::optional<Message> message;
        // A refusal: not_found (no such message in the room), forbidden (not the sender,
        // and may not moderate), conflict (editing a deleted message), too_large (a new
        // emoji past MaxDistinctReactions). Neither message nor refusal: the store failed.
        std::optional<Error> refusal;
        bool changed = false; // false: nothing to do (idempotent); message->rev is the current one
    };
    using ChangeCallback = std::function<void(const ChangeResult &result)>;
    // Applies the change and calls back once it is durable (committed with the pass's
    // appends, like them). A change that changes nothing takes no rev.
    virtual void change(const ChangeRequest &request, ChangeCallback callback) = 0;
    // The messages whose current rev is above afterRev, each once at its latest state,
    // ascending rev, at most `limit`.
    virtual QList<Message> updates(const QString &room, qint64 afterRev, int limit) = 0;
    virtual qint64 lastRev(const QString &room) = 0;
    // One message by id (replyTo quotes); nothing when the room has no such message.
    virtual std::optional<Message> findMessage(const QString &room, const QByteArray &id) = 0;

    // Where a user has read a room to, and what is left: unread = messages after readSeq
    // neither sent by the user nor deleted; mentions = those of them that name the user.
    // Kept per (user, room) as messages come and go, never counted by reading history.
    struct ReadState
    {
        qint64 readSeq = 0;
        qint64 unread = 0;
        qint64 mentions = 0;
        qint64 countedUpTo = 0; // the room's last seq when counted (setReadPosition's answer)
    };
    // Moves the read position forward (never back) and answers the state after it.
    virtual ReadState setReadPosition(const QString &room, const QString &user, qint64 seq) = 0;
    // The user's read state in each of their rooms, in one go (room:list).
    virtual QHash<QString, ReadState> readStates(const QString &user) = 0;
    // The members who have a read position, the most recent readers first, at most `limit`.
    virtual QMap<QString, qint64> readPositions(const QString &room, int limit) = 0;

    // Files (protocol v2 part 2): the uploads' records; the bytes are the FileStore's.
    // addFile answers once the record is durable (false: the store failed).
    virtual bool addFile(const FileRecord &file) = 0;
    virtual std::optional<FileRecord> findFile(const QByteArray &id) = 0;
    // The bytes the user's uploads take, each content once: what the quota counts.
    virtual qint64 fileUsage(const QString &user) = 0;
    // A member of a room where a message that is not deleted carries the file (or its
    // thumbnail). The uploader may always; the caller checks that first.
    virtual bool mayAccessFile(const QString &user, const QByteArray &id) = 0;
    // Garbage collection: forgets uploads created before createdBefore that no live message
    // carries — those only deleted messages carried, and those no message ever carried
    // created before abandonedBefore — at most `limit` of them. Nothing when the store failed.
    struct FileCollection
    {
        int records = 0;                    // forgotten
        int examined = 0;                   // candidates looked at (a full batch: there may be more)
        QList<QByteArray> freedContents {}; // sha256s no record refers to any more: their bytes may go
    };
    virtual std::optional<FileCollection> collectFiles(qint64 createdBefore, qint64 abandonedBefore, int limit) = 0;
    // What the uploads take: records, distinct contents and their bytes, the heaviest users.
    struct FileTotals
    {
        qint64 records = 0;
        qint64 contents = 0;
        qint64 bytes = 0;
        QList<QPair<QString, qint64>> topUsers {}; // by their quota usage, heaviest first
    };
    virtual std::optional<FileTotals> fileTotals(int topUsers) = 0;
    // Whether any upload record refers to this content (sha256): a gc pass asks again
    // after moving the bytes aside, so an upload recorded meanwhile keeps them. Nothing
    // when the store failed.
    virtual std::optional<bool> isContentRecorded(const QByteArray &sha256) = 0;

    struct SearchQuery
    {
        QString user {};  // only rooms this user is a member of
        QString words {}; // as typed: words in any order, the last one also as a prefix
        QString room {};  // empty: every room of the user's
        std::optional<qint64> beforeSeq {};
        int limit = 20;
    };
    // Full-text search; deleted messages never match; newest first. nullopt: this store
    // has no full-text index (the caller answers 'unavailable').
    virtual std::optional<QList<Message>> search(const SearchQuery &query)
    {
        Q_UNUSED(query);
        return std::nullopt;
    }
};

} // namespace Confab::Chat
