// The user's rooms for a view: name, topic, last message, unread and mention counts
// (the server's, kept current by the messages that arrive after it counted).
#pragma once

#include <QAbstractListModel>
#include <QJsonObject>

namespace Confab::Client {

class ChatSession;

class RoomListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    // TitleRole: what a person reads ("#general", "@bob" for a direct-message room).
    enum Role {
        NameRole = Qt::UserRole + 1,
        LastMessageRole,
        UnreadCountRole,
        TitleRole,
        IsDirectRole,
        LastActivityRole,
        MentionCountRole
    };

    explicit RoomListModel(ChatSession *session, QObject *parent = nullptr);

    // The room the user is looking at: its messages do not count as unread.
    void setCurrentRoom(const QString &room);
    // A room joined or created here: shown before its first message.
    void addRoom(const QString &room);
    // A room left (here or on another device): gone from the list and the local cache.
    void removeRoom(const QString &room);
    int rowOf(const QString &room) const;
    int unreadTotal() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void unreadTotalChanged(int unread);

private:
    struct Row
    {
        QString name {};
        QJsonObject lastMessage {};
        int unread = 0;
        int mentions = 0;
        qint64 countedSeq = 0; // messages up to here are in `unread` already
    };
    int ensureRow(const QString &room);
    void handleMessage(const QJsonObject &message);
    void setCounts(const QString &room, qint64 unread, qint64 mentions, qint64 countedSeq);

    ChatSession *m_session;
    QList<Row> m_rows;
    QString m_currentRoom;
};

} // namespace Confab::Client
