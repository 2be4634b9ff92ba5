// The members of one room with their presence, for a view.
#pragma once

#include <QAbstractListModel>
#include <QJsonArray>

namespace Confab::Client {

class ChatSession;

class MemberModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { UserRole = Qt::UserRole + 1, StatusRole, LastSeenRole };

    MemberModel(ChatSession *session, const QString &room, QObject *parent = nullptr);

    // Members as a Room object lists them ({user, status}).
    void setMembers(const QJsonArray &members);
    // Asks the server for the members and their presence (with "last seen").
    void refresh();
    // A presence:get answer: {user: {status, lastSeen}}.
    void applyPresence(const QJsonObject &presence);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Row
    {
        QString user;
        QString status;
        qint64 lastSeen = 0;
    };
    int rowOf(const QString &user) const;
    void setPresence(const QString &user, const QString &status, qint64 lastSeen);

    ChatSession *m_session;
    QString m_room;
    QList<Row> m_rows;
};

} // namespace Confab::Client
