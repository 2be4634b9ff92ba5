// The cluster store: accounts, rooms, members and messages in Redis, shared by every
// node. Appends run a Lua script (idempotency check, next seq and rev, message, its
// indexes and read-state sets, all atomic), and so do changes (edit, delete, reaction);
// those queued in one event-loop pass go out as one pipeline, and with
// waitReplicas > 0 one WAIT makes the batch durable on that many replicas before any
// of it is acknowledged. See docs/ARCHITECTURE.md, "Cluster".
#pragma once

#include "chat/store.h"
#include "redis/redisconnection.h"
#include "util/endofpass.h"

#include <QObject>

namespace Confab::Cluster {

struct RedisStoreOptions
{
    int waitReplicas = 0;     // WAIT numreplicas after each batch; 0: the master alone
    int waitTimeoutMs = 1000; // a batch not replicated by then is refused (the client retries)
};

class RedisStore : public QObject, public Chat::Store
{
    Q_OBJECT
public:
    explicit RedisStore(Redis::RedisConnection *redis, const RedisStoreOptions &options = {},
                        QObject *parent = nullptr);

    bool isAvailable() const override { return m_redis->isUp() && m_migrated; }
    qint64 batches() const { return m_batches; }
    qint64 replicationShortfalls() const { return m_replicationShortfalls; }

    std::optional<Chat::UserRecord> findUser(const QString &name) override;
    bool createUser(const Chat::UserRecord &user) override;
    bool setUserDisabled(const QString &name, bool disabled) override;
    QList<Chat::UserRecord> users() override;

    std::optional<Chat::RoomRecord> findRoom(const QString &name) override;
    bool createRoom(const Chat::RoomRecord &room) override;
    QList<Chat::RoomRecord> rooms() override;
    bool addMember(const QString &room, const QString &user) override;
    bool removeMember(const QString &room, const QString &user) override;
    bool isMember(const QString &room, const QString &user) override;
    QStringList members(const QString &room) override;
    qsizetype memberCount(const QString &room) override;
    QList<Chat::RoomRecord> roomsOf(const QString &user) override;
    // redisrooms.cpp
    QHash<QString, Chat::RoomRole> roles(const QString &room) override;
    std::optional<Chat::RoomRole> roleOf(const QString &room, const QString &user) override;
    bool setRole(const QString &room, const QString &user, Chat::RoomRole role) override;
    bool setTopic(const QString &room, const QString &topic) override;
    bool isBanned(const QString &room, const QString &user) override;
    bool setBanned(const QString &room, const QString &user, bool on) override;
    QList<Chat::DirectoryEntry> directory(const QString &query, int limit) override;

    void append(const Chat::Message &draft, AppendCallback callback) override;
    QList<Chat::Message> history(const QString &room, std::optional<qint64> afterSeq, std::optional<qint64> beforeSeq,
                                 int limit) override;
    void setReceipt(const QString &room, const QString &user, const QString &kind, qint64 seq) override;

    // v2 (redischanges.cpp, redisreadstate.cpp). Changes join the pass's pipeline.
    void change(const Chat::Store::ChangeRequest &request, ChangeCallback callback) override;
    QList<Chat::Message> updates(const QString &room, qint64 afterRev, int limit) override;
    qint64 lastRev(const QString &room) override;
    std::optional<Chat::Message> findMessage(const QString &room, const QByteArray &id) override;
    ReadState setReadPosition(const QString &room, const QString &user, qint64 seq) override;
    QHash<QString, ReadState> readStates(const QString &user) override;
    QMap<QString, qint64> readPositions(const QString &room, int limit) override;
    bool addFile(const Chat::FileRecord &file) override; // redisfiles.cpp
    std::optional<Chat::FileRecord> findFile(const QByteArray &id) override;
    qint64 fileUsage(const QString &user) override;
    bool mayAccessFile(const QString &user, const QByteArray &id) override;
    std::optional<FileCollection> collectFiles(qint64 createdBefore, qint64 abandonedBefore, int limit) override;
    std::optional<FileTotals> fileTotals(int topUsers) override;
    std::optional<bool> isContentRecorded(const QByteArray &sha256) override;

    // Brings older data up to v3 (v2: revs, indexes, read-state sets; v3: visibility and
    // owners) unless the schema key says it is done; runs on every (re)connect before
    // anything else. False on failure: the store then stays unavailable until a later
    // connect gets through.
    bool migrate();

private:
    // An append or a change: its script, and what answers it (nothing: it failed, or
    // the batch was not replicated as asked).
    struct PendingWrite
    {
        Redis::Command command;
        std::function<void(const std::optional<Redis::RedisReply> &reply)> finish;
    };
    void queueWrite(Redis::Command command, std::function<void(const std::optional<Redis::RedisReply> &)> finish);
    void flushWrites();
    void finishBatch(const QList<PendingWrite> &batch, const QList<std::optional<Redis::RedisReply>> &replies);
    QList<Chat::RoomRecord> roomRecords(const QStringList &names);
    // Runs one migration script per room; false when one failed.
    bool migrateRooms(const char *step, const std::function<Redis::Command(const QString &room)> &command);
    Redis::Command changeCommand(const Chat::Store::ChangeRequest &request) const;
    Redis::Command readStateCommand(const QString &room, const QString &user, qint64 seq) const;

    Redis::RedisConnection *m_redis;
    RedisStoreOptions m_options;
    int m_appendScript;
    int m_createScript;
    int m_receiptScript;
    int m_changeScript;
    int m_updatesScript;
    int m_messageScript;
    int m_readStateScript;
    int m_readPositionsScript;
    int m_migrateScript;
    int m_addFileScript;
    int m_mayAccessFileScript;
    int m_collectFileScript;
    int m_setRoleScript;
    int m_migrateRolesScript;
    bool m_migrated = false;
    QList<PendingWrite> m_pending;
    EndOfPass<RedisStore> m_flush { this, &RedisStore::flushWrites }; // a pass's writes in one pipeline
    qint64 m_batches = 0;
    qint64 m_replicationShortfalls = 0;
};

} // namespace Confab::Cluster
