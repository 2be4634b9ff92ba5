// The client's own SQLite file in its data dir: the outbox of messages and changes not
// yet acked (so nothing its user wrote is lost across restarts) and the message cache
// (instant start, reading offline, and the last seq and rev per room to resync from).
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>

#include <memory>
#include <optional>

class QSqlQuery;

namespace Confab::Client {

// What an outbox entry asks the server for: a new message, or a change to a sent one.
enum class OutboxKind { Send, Edit, Delete, React };

// A file a queued message carries: a local path until it is uploaded, then the server's id
// (kept, so a message is uploaded once however often sending is retried). An image may
// bring a smaller copy made here, uploaded as a file of its own and sent as its thumbnail.
struct OutboxAttachment
{
    QString path {};
    QByteArray file {}; // empty: not uploaded yet
    int width = 0;      // images: their size, 0 when unknown
    int height = 0;
    QString thumbnailPath {};    // empty: none
    QByteArray thumbnailFile {}; // empty: not uploaded yet (or none)

    // What is still to upload: the thumbnail first (small), then the file.
    bool needsThumbnailUpload() const { return !thumbnailPath.isEmpty() && thumbnailFile.isEmpty(); }
    bool isUploaded() const { return !file.isEmpty() && !needsThumbnailUpload(); }
};

struct OutboxEntry
{
    QString clientId {}; // a send's clientId; for a change, the entry's own id
    QString room {};
    QString text {}; // send and edit: the text; react: the emoji
    qint64 createdAt = 0;
    bool failed = false;  // only sends stay in the outbox failed; refused changes are dropped
    QString error {};     // the server's error code, when failed
    QString errorText {}; // and its explanation, for the person
    OutboxKind kind = OutboxKind::Send;
    QByteArray messageId {};                // edit, delete, react: the message changed
    QByteArray replyTo {};                  // send: the message replied to
    bool on = true;                         // react: add (true) or take back
    QList<OutboxAttachment> attachments {}; // send: in the order given
};

// A room's read state as the server last said (room:list, a `read` event).
struct RoomCounts
{
    qint64 unread = 0;
    qint64 mentions = 0;
};

// How far the other members have confirmed a room: own messages' ticks.
struct ReceiptPositions
{
    qint64 delivered = 0;
    qint64 read = 0;
};

class LocalStore
{
public:
    LocalStore();
    ~LocalStore();
    LocalStore(const LocalStore &) = delete;
    LocalStore &operator=(const LocalStore &) = delete;

    bool open(const QString &path, QString *error);

    // Outbox, in the order written. Nothing when the write failed (a full disk): the
    // caller keeps the text and says why (error).
    std::optional<OutboxEntry> enqueue(const QString &room, const QString &text, QString *error = nullptr,
                                       const QByteArray &replyTo = {}, const QList<OutboxAttachment> &attachments = {});
    // The attachment at `index` of a queued message was uploaded as `file` (or its
    // thumbnail, as `thumbnail`): an empty id leaves that one as it is.
    bool setOutboxAttachmentFile(const QString &clientId, int index, const QByteArray &file,
                                 const QByteArray &thumbnail = {});
    // A change to a sent message (kind Edit, Delete or React), in the same queue: applied
    // in the order written, after the messages written before it.
    std::optional<OutboxEntry> enqueueChange(OutboxEntry entry, QString *error = nullptr);
    QList<OutboxEntry> outbox() const;
    void removeFromOutbox(const QString &clientId);
    void markFailed(const QString &clientId, const QString &error, const QString &errorText = {});
    // "Retry": a failed entry goes back to waiting for the connection.
    void clearFailed(const QString &clientId);
    // Entries still to be sent (not failed).
    int pendingCount() const;

    // Cache. Returns false when the message (by id) was already there (its stored state is
    // then refreshed if this one has a higher rev).
    bool storeMessage(const QJsonObject &message);
    // A changed message (message:update, updates:fetch): replaces the cached one if this
    // has a higher rev. False when not cached (older history comes current when paged
    // in) or not newer.
    bool applyUpdate(const QJsonObject &message);
    // The room's last rev whose changes the cache holds: updates:fetch resumes from here.
    qint64 lastRev(const QString &room) const;
    void setLastRev(const QString &room, qint64 rev);
    RoomCounts roomCounts(const QString &room) const;
    void setRoomCounts(const QString &room, const RoomCounts &counts);
    // After a long absence: the room's cached messages may be stale, so they go (the
    // newest page is fetched again).
    void forgetMessages(const QString &room);
    // Several at once, in one transaction; returns those that were new.
    QList<QJsonObject> storeMessages(const QList<QJsonObject> &messages);
    // The newest `limit` messages, ascending seq.
    QList<QJsonObject> messages(const QString &room, int limit) const;
    // Pages for a window on a long room, ascending seq: the newest `limit` below beforeSeq,
    // the oldest `limit` above afterSeq.
    QList<QJsonObject> messagesBefore(const QString &room, qint64 beforeSeq, int limit) const;
    QList<QJsonObject> messagesAfter(const QString &room, qint64 afterSeq, int limit) const;
    // The highest cached seq: after a reconnect the room resyncs from here.
    qint64 lastSeq(const QString &room) const;
    QStringList rooms() const;
    void rememberRoom(const QString &room);
    // How far this user has read in a room (0 when never recorded): the "New messages" divider.
    qint64 readSeq(const QString &room) const;
    void setReadSeq(const QString &room, qint64 seq);
    // Others' receipts, kept so the ticks survive a room switch and a restart.
    ReceiptPositions receiptPositions(const QString &room) const;
    void noteReceipt(const QString &room, qint64 seq, bool read);

    // The room's members as the last room:join answer listed them: shown at once when
    // the room opens, connected or not.
    QStringList members(const QString &room) const;
    void setMembers(const QString &room, const QStringList &members);
    // A room left: its place in the list, cached messages and members go.
    void forgetRoom(const QString &room);

    // Cached messages with all these words (Chat::fullTextQuery: any order, the last one a
    // prefix), newest first; `room` empty: every room; beforeSeq only with a room.
    QList<QJsonObject> search(const QString &words, const QString &room, std::optional<qint64> beforeSeq,
                              int limit) const;

private:
    bool migrate(QString *error);
    bool ensureSearchIndex(QString *error); // localstoresearch.cpp
    static QJsonObject cachedMessage(const QSqlQuery &query, const QString &room);
    bool writeOutbox(const OutboxEntry &entry, QString *error);
    QList<QJsonObject> selectMessages(const QString &room, const QString &condition, qint64 bound, int limit,
                                      bool newestFirst) const;

    QString m_connectionName;
    QSqlDatabase m_db;                         // the outbox: every commit synced to disk
    QSqlDatabase m_cacheDb;                    // the cache: the same file, commits not synced
    mutable QHash<QString, qint64> m_lastSeqs; // room -> highest cached seq, once read
    // Statements run for every message received, prepared once (preparing cost more than
    // running them). Reads are reset once their row is read.
    QSqlQuery &kept(const QString &sql) const;
    bool execKept(const QString &sql, const QVariantList &bindings);
    QVariantList firstRow(const QString &sql, const QVariantList &bindings) const;
    mutable QHash<QString, std::shared_ptr<QSqlQuery>> m_kept;
    QSet<QString> m_remembered; // rooms written to the rooms table by this process
};

} // namespace Confab::Client
