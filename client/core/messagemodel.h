// The messages of one room for a view: a window of consecutive messages (seq order)
// loaded page by page from the cache or the server, then this user's messages still in
// the outbox. The window is bounded, so memory and per-message work do not grow with the
// room: the view loads older pages at the top, newer ones at the bottom, and trims the far
// end. Own messages carry a state: pending, sent, delivered, read (from others'
// receipts), or failed (with the server's reason).
#pragma once

#include "chat/values.h"

#include <QAbstractListModel>
#include <QBasicTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

namespace Confab::Client {

class ChatSession;
struct OutboxEntry;

class MessageModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(bool loadingOlder READ isLoadingOlder NOTIFY loadingChanged)
    Q_PROPERTY(bool atBeginning READ isAtBeginning NOTIFY loadingChanged)
    Q_PROPERTY(bool hasNewer READ hasNewer NOTIFY loadingChanged)
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        SeqRole,
        FromRole,
        TextRole,
        TimestampRole,
        ClientIdRole,
        StateRole,
        ErrorRole,       // why a failed message was refused, for the person
        CanRetryRole,    // whether sending it again can succeed
        FirstUnreadRole, // the first message after the read position when the room was opened
        KeyRole,         // stable across a message's life (pending → stored), new with each change: for caches
        DayRole,         // the local calendar day (Julian day number): day separators
        EditedAtRole,    // ms; 0: never edited
        DeletedRole,     // a deleted message: its text is gone
        ReplyToRole,     // the quoted message {id, seq, from, text} (QVariantMap), or nothing
        MentionsRole,    // the members it names (QStringList)
        ReactionsRole,   // [{emoji, count, users, mine}] (QVariantList)
        AttachmentsRole, // [{id, name, size, type, width?, height?}], pending ones {name, size, pending} (QVariantList)
    };
    enum class State { Pending, Sent, Delivered, Read, Failed };
    Q_ENUM(State)

    // Rows kept while following the newest messages; twice that while reading back.
    static constexpr int WindowRows = 120;

    MessageModel(ChatSession *session, const QString &room, QObject *parent = nullptr);

    QString room() const { return m_room; }
    // The highest seq shown (0 when none): what "read up to" means for this room.
    qint64 lastSeq() const;
    qint64 firstSeq() const;
    // The first unread message when the room was opened (0: none); it may lie before the window.
    qint64 firstUnreadSeq() const;
    // The read position moved on elsewhere, or the user comes back after messages arrived
    // unread: the divider goes to the first message after `readSeq`. True when it moved.
    bool moveFirstUnread(qint64 readSeq);
    int rowOfSeq(qint64 seq) const;
    // Rows of stored messages (the rest are the user's, still in the outbox).
    int storedCount() const { return int(m_rows.size()) - m_pendingCount; }

    bool isLoadingOlder() const { return m_loadingOlder; }
    bool isAtBeginning() const { return m_atBeginning; }
    // The window ends before the room's newest message (the user is reading far back).
    bool hasNewer() const { return m_hasNewer; }

    void loadOlder();
    void loadNewer();
    // The window becomes the newest page (Jump to latest), or the page from seq on.
    void showLatest();
    void showFrom(qint64 seq);
    // Drops rows at the far end so at most `keep` stored messages stay.
    void trimOldest(int keep);
    void trimNewest(int keep);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

protected:
    void timerEvent(QTimerEvent *event) override;

Q_SIGNALS:
    void loadingChanged();
    // A live message arrived beyond the window (hasNewer): the view counts it.
    void newerArrived();
    // Live messages were shown, `fromOthers` of them not the user's own.
    void arrived(int fromOthers);

private:
    struct Row
    {
        QString id;
        QString from;
        QString text;
        QString clientId;
        QString error;     // failed: the error code
        QString errorText; // failed: the server's explanation
        qint64 seq = 0;    // 0 while pending
        qint64 ts = 0;
        qint64 day = 0; // local Julian day of ts, worked out once (a time zone lookup is not cheap)
        qint64 rev = 0;
        qint64 editedAt = 0;
        bool pending = false;
        bool failed = false;
        bool deleted = false;
        QJsonObject replyTo {};
        QStringList mentions {};
        QJsonArray reactions {};
        QJsonArray attachments {};
    };
    static Row rowFromMessage(const QJsonObject &message);
    static Row rowFromEntry(const OutboxEntry &entry, const QString &user);

    void resetTo(const QList<QJsonObject> &page, bool atBeginning, bool hasNewer);
    void insertPage(const QList<QJsonObject> &page);
    void insertLive(const QJsonObject &message);
    // An edit, delete or reaction made somewhere: the row takes the message's new state.
    void applyUpdate(const Chat::Message &message);
    QVariantList reactionsOf(const Row &row) const;
    void scheduleBatch();
    void showArrivals();
    void showUpdates();
    void applyNow(const Chat::Message &message);
    bool replacePendingRow(const Row &stored);
    void appendPending(const OutboxEntry &entry);
    int pendingRowOf(const QString &clientId) const;
    void setFailed(const QString &clientId, bool failed, const QString &code, const QString &text);
    void removePending(const QString &clientId);
    void handleReceipt(const Chat::ReceiptEvent &receipt);
    void emitStateChanged(qint64 fromSeq, qint64 toSeq);
    State stateOf(const Row &row) const;
    void noteFirstUnread(qint64 newestSeq);
    void setLoadingOlder(bool loading);

    ChatSession *m_session;
    QString m_room;
    QList<Row> m_rows;
    int m_pendingCount = 0;
    QList<Row> m_arriving;                   // live messages not yet shown, a batch at a time
    QHash<QString, Chat::Message> m_updates; // by id: changes made elsewhere, shown with the next batch
    QBasicTimer m_arrivalTimer;
    QElapsedTimer m_sinceShown; // since a batch was last shown
    qint64 m_readAtOpen = 0;    // the user's read position when the room was opened
    qint64 m_firstUnread = -1;  // -1 until the first page shows where the room ends
    qint64 m_deliveredUpTo = 0; // highest seq another member confirmed
    qint64 m_readUpTo = 0;
    quint64 m_generation = 0; // bumped by a reset, so late page answers are dropped
    bool m_loadingOlder = false;
    bool m_loadingNewer = false;
    bool m_atBeginning = false;
    bool m_hasNewer = false;
};

} // namespace Confab::Client
