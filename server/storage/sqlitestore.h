// The embedded store: SQLite through Qt Sql, WAL with synchronous=FULL, and group
// commit: appends and changes queued in one event-loop pass are written in one
// transaction and acknowledged together once it commits.
//
// Schema v2 (sqliteschema.cpp): messages carry rev, edited_at, deleted, reply_to and
// mentions (JSON); reactions and mentions tables; each room row keeps last_rev and
// live_count, each member row its read position and the counters that make unread and
// mention counts exact without counting history (see docs in sqlitechanges.cpp).
#pragma once

#include "chat/presenceregistry.h"
#include "chat/store.h"
#include "storage/commithealth.h"
#include "util/endofpass.h"

#include <QHash>
#include <QJsonArray>
#include <QMap>
#include <QObject>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTimer>

#include <memory>
#include <tuple>
#include <utility>

namespace Confab::Storage {

class SqliteStore : public QObject, public Chat::Store, public Chat::LastSeenStore
{
    Q_OBJECT
public:
    static constexpr int SchemaVersion = 6;
    static constexpr int ProbeMs = 2000;

    explicit SqliteStore(QObject *parent = nullptr);
    ~SqliteStore() override;

    // Opens (creating if needed) the database file, migrating an older schema in place
    // in one transaction; false with an error (an older schema is then left untouched).
    bool open(const QString &path, QString *error);
    // Transactions committed so far, and messages appended (for /metrics).
    qint64 commits() const { return m_commits; }
    // Commits are failing (disk full, I/O errors) until one succeeds; the failed ones.
    bool commitsFailing() const { return m_health.isFailing(); }
    qint64 commitErrors() const { return m_health.errors(); }
    qint64 appended() const { return m_appended; }
    // SQL statements run so far: lets tests check that a read is one query.
    qint64 statements() const { return m_statements; }

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
    // sqliterooms.cpp
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

    void change(const ChangeRequest &request, ChangeCallback callback) override;
    QList<Chat::Message> updates(const QString &room, qint64 afterRev, int limit) override;
    qint64 lastRev(const QString &room) override;
    std::optional<Chat::Message> findMessage(const QString &room, const QByteArray &id) override;
    // A position beyond the room's last committed seq is clamped to it.
    ReadState setReadPosition(const QString &room, const QString &user, qint64 seq) override;
    QHash<QString, ReadState> readStates(const QString &user) override;
    QMap<QString, qint64> readPositions(const QString &room, int limit) override;
    std::optional<QList<Chat::Message>> search(const SearchQuery &query) override; // sqlitesearch.cpp
    bool addFile(const Chat::FileRecord &file) override;                           // sqlitefiles.cpp
    std::optional<Chat::FileRecord> findFile(const QByteArray &id) override;
    qint64 fileUsage(const QString &user) override;
    bool mayAccessFile(const QString &user, const QByteArray &id) override;
    std::optional<FileCollection> collectFiles(qint64 createdBefore, qint64 abandonedBefore, int limit) override;
    std::optional<FileTotals> fileTotals(int topUsers) override;
    std::optional<bool> isContentRecorded(const QByteArray &sha256) override;

    // "Last seen" per user; writes are batched per event-loop pass (one transaction).
    qint64 lastSeen(const QString &user) override;
    void setLastSeen(const QString &user, qint64 nowMs) override;

private:
    struct PendingAppend
    {
        Chat::Message message {};
        AppendCallback callback {};
    };
    struct PendingRead
    {
        qint64 seq = 0;
        qint64 order = 0; // when it last moved: room:reads lists the most recent first
    };
    struct PendingChange
    {
        ChangeRequest request {};
        ChangeCallback callback {};
        ChangeResult result {};
    };

    // Each statement's SQL as Qt Sql takes it (numbered placeholders expanded), worked
    // out once; a write is also kept prepared and run again (see isReusable()).
    // A read kept prepared for select(); busy while its rows are being read.
    struct KeptRead
    {
        QSqlQuery query;
        bool busy = false;
    };
    struct Prepared
    {
        QString sql {};
        QList<int> order {};                 // for each ?, the index of its value
        std::shared_ptr<QSqlQuery> query {}; // reusable writes only
        std::shared_ptr<KeptRead> read {};   // reads run through select() only
    };

    // Prepares, binds in order and runs one statement; inactive when it failed (logged).
    QSqlQuery run(const QString &sql, const QVariantList &bindings = {});
    // Runs a read on a statement kept prepared (parsing it cost more than running it on
    // the hot paths), hands the query to `rows` and resets it, so no read snapshot
    // outlives the call. `rows` may run other statements; the same one nested is
    // prepared afresh.
    template<typename Rows> auto select(const QString &sql, const QVariantList &bindings, Rows &&rows);
    // Runs a write on its kept prepared statement: the rows it changed, -1 when it failed.
    int write(const QString &sql, const QVariantList &bindings = {});
    bool exec(const QString &sql, const QVariantList &bindings = {}) { return write(sql, bindings) >= 0; }
    Prepared &prepared(const QString &sql);
    bool bindAndExec(QSqlQuery &query, const Prepared &entry, const QVariantList &values);

    // sqliteschema.cpp
    bool migrate(QString *error);
    template<size_t N> bool runAll(const char *const (&statements)[N]);

    Chat::RoomRecord roomRecord(const QSqlQuery &query);

    // sqlitemessages.cpp
    std::optional<Chat::Message> findByClientId(const QString &from, const QString &clientId);
    QList<Chat::Message> messages(const QString &where, const QVariantList &bindings);
    void attachReactions(QList<Chat::Message> &messages);
    void attachReactions(const QString &room, const QJsonArray &seqs,
                         const QHash<std::pair<QString, qint64>, Chat::Message *> &byKey);
    qint64 lastSeq(const QString &room);
    // The room's next rev, its live count moved by liveDelta; 0: no such room; -1: failed.
    qint64 nextRev(const QString &room, int liveDelta);
    static QVariant mentionsColumn(const QStringList &mentions);
    bool insertMessage(Chat::Message &message);
    bool setMentions(const QString &room, qint64 seq, const QString &sender, const QStringList &before,
                     const QStringList &after);
    void commitPending();
    // Every commit's outcome; while they fail, a small write every ProbeMs finds out when
    // they work again, traffic or not.
    void noteCommit(bool ok);
    void probeCommit();

    // sqlitechanges.cpp
    bool applyChange(PendingChange &pending);
    bool applyEdit(const ChangeRequest &request, const Chat::Message &message, ChangeResult &result);
    bool applyDelete(const ChangeRequest &request, const Chat::Message &message, ChangeResult &result);
    bool applyReaction(const ChangeRequest &request, const Chat::Message &message, ChangeResult &result);
    void commitLastSeen();

    // sqlitereadstate.cpp
    std::optional<ReadState> readState(const QString &room, const QString &user);
    std::optional<ReadState> movedReadState(const QString &room, const QString &user, qint64 target);
    bool writePendingReadState();
    // The room's pending read positions (user, position), oldest move first.
    QList<std::pair<QString, PendingRead>> pendingReadsInOrder(const QString &room) const;

    QString m_connectionName;
    QSqlDatabase m_db;
    QList<PendingAppend> m_pending;
    QList<PendingChange> m_pendingChanges;
    QMap<std::tuple<QString, QString, QString>, qint64> m_pendingReceipts; // (room, user, kind) → seq
    QMap<std::pair<QString, QString>, PendingRead> m_pendingReads;         // (room, user)
    qint64 m_readMoves = 0;
    // Rooms' highest assigned seq, committed or pending. Revs are handed out inside the
    // commit's transaction (nextRev); both caches are dropped when a commit fails.
    QHash<QString, qint64> m_lastSeq;
    QHash<QString, qint64> m_lastRev; // rooms' committed revs, and those of the commit under way
    EndOfPass<SqliteStore> m_commit { this, &SqliteStore::commitPending }; // a pass's writes, one transaction
    QHash<QString, qint64> m_pendingLastSeen;
    EndOfPass<SqliteStore> m_commitLastSeen { this, &SqliteStore::commitLastSeen };
    qint64 m_commits = 0;
    CommitHealth m_health;
    QTimer m_probe;
    qint64 m_appended = 0;
    qint64 m_statements = 0;
    QString m_lastError; // of the last statement that failed
    QHash<QString, Prepared> m_prepared;
};

template<typename Rows> auto SqliteStore::select(const QString &sql, const QVariantList &bindings, Rows &&rows)
{
    Prepared &entry = prepared(sql);
    if (!entry.read) {
        auto kept = std::make_shared<KeptRead>(KeptRead { QSqlQuery(m_db) });
        kept->query.setForwardOnly(true);
        if (kept->query.prepare(entry.sql))
            entry.read = std::move(kept);
    }
    // The entry may move while `rows` runs (another statement seen first): keep what is needed.
    const std::shared_ptr<KeptRead> kept = entry.read;
    if (!kept || kept->busy) {
        QSqlQuery fresh = run(sql, bindings);
        return rows(fresh);
    }
    kept->busy = true;
    bindAndExec(kept->query, entry, bindings); // on failure inactive: next() is false
    const auto reset = qScopeGuard([&kept] {
        kept->query.finish();
        kept->busy = false;
    });
    return rows(kept->query);
}

} // namespace Confab::Storage
