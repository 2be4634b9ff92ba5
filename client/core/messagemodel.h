// The messages of one room for a view: cached and live messages in seq order, then
// this user's messages still in the outbox. Own messages carry a state: pending, sent,
// delivered, read (from others' receipts), or failed.
#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QJsonObject>

namespace Confab::Client {

class ChatSession;
struct OutboxEntry;

class MessageModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, SeqRole, FromRole, TextRole, TimestampRole, ClientIdRole, StateRole };
    enum class State { Pending, Sent, Delivered, Read, Failed };
    Q_ENUM(State)

    MessageModel(ChatSession *session, const QString &room, QObject *parent = nullptr);

    QString room() const { return m_room; }
    // The highest seq shown (0 when none): what "read up to" means for this room.
    qint64 lastSeq() const;
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Row
    {
        QJsonObject message; // as on the wire; no seq while pending
        bool pending = false;
        bool failed = false;
    };
    void reload();
    void insertMessage(const QJsonObject &message);
    void handleReceipt(const QJsonObject &receipt);
    int pendingRowOf(const QString &clientId) const;
    State stateOf(const Row &row) const;
    int firstPendingRow() const;

    ChatSession *m_session;
    QString m_room;
    QList<Row> m_rows;
    qint64 m_deliveredUpTo = 0; // highest seq another member confirmed
    qint64 m_readUpTo = 0;
};

} // namespace Confab::Client
