// The embedded store: SQLite through Qt Sql, WAL with synchronous=FULL, and group
// commit: appends queued in one event-loop pass are written in one transaction and
// acknowledged together once it commits.
#pragma once

#include "chat/presenceregistry.h"
#include "chat/store.h"
#include "util/endofpass.h"

#include <QHash>
#include <QObject>
#include <QSqlDatabase>

namespace Confab::Storage {

class SqliteStore : public QObject, public Chat::Store, public Chat::LastSeenStore
{
    Q_OBJECT
public:
    explicit SqliteStore(QObject *parent = nullptr);
    ~SqliteStore() override;

    // Opens (creating if needed) the database file; false with an error.
    bool open(const QString &path, QString *error);
    // Messages committed per transaction so far (for /metrics).
    qint64 commits() const { return m_commits; }
    qint64 appended() const { return m_appended; }

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

    void append(const Chat::Message &draft, AppendCallback callback) override;
    QList<Chat::Message> history(const QString &room, std::optional<qint64> afterSeq, std::optional<qint64> beforeSeq,
                                 int limit) override;
    void setReceipt(const QString &room, const QString &user, const QString &kind, qint64 seq) override;

    // "Last seen" per user; writes are batched per event-loop pass (one transaction).
    qint64 lastSeen(const QString &user) override;
    void setLastSeen(const QString &user, qint64 nowMs) override;

private:
    struct PendingAppend
    {
        Chat::Message message;
        AppendCallback callback;
    };

    bool exec(const QString &sql, const QVariantList &bindings = {});
    std::optional<Chat::Message> findByClientId(const QString &from, const QString &clientId);
    qint64 lastSeq(const QString &room);
    void commitPending();
    void commitLastSeen();

    QString m_connectionName;
    QSqlDatabase m_db;
    QList<PendingAppend> m_pending;
    QHash<QString, qint64> m_lastSeq; // rooms' highest assigned seq, committed or pending
    EndOfPass<SqliteStore> m_commit { this, &SqliteStore::commitPending }; // a pass's appends, one transaction
    QHash<QString, qint64> m_pendingLastSeen;
    EndOfPass<SqliteStore> m_commitLastSeen { this, &SqliteStore::commitLastSeen };
    qint64 m_commits = 0;
    qint64 m_appended = 0;
};

} // namespace Confab::Storage
