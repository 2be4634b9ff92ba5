// The members of one room with their presence, for a view. The list comes from the local
// cache at once (the last room:join answer) and from the server when connected; while
// we are disconnected presence is unknown ("unknown" status) until it is refreshed.
#pragma once

#include "chat/values.h"

#include <QAbstractListModel>
#include <QJsonArray>

namespace Confab::Client {

class ChatSession;

class MemberModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(QString topic READ topic NOTIFY topicChanged)
public:
    enum Role { UserRole = Qt::UserRole + 1, StatusRole, LastSeenRole };
    // StatusRole while nobody can know: we are not connected, or not refreshed since.
    static inline const QString UnknownStatus = QStringLiteral("unknown");

    MemberModel(ChatSession *session, const QString &room, QObject *parent = nullptr);

    QString room() const { return m_room; }
    // The room's topic from the last room:join answer (empty until then).
    QString topic() const { return m_topic; }
    // Members as a Room object lists them ({user, status}); kept in the local cache.
    void setMembers(const QList<Chat::Member> &members);
    // Asks the server for the members and their presence (with "last seen").
    void refresh();
    // A presence:get answer: {user: {status, lastSeen}}.
    void applyPresence(const QMap<QString, Chat::PresenceInfo> &presence);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void topicChanged(const QString &topic);

private:
    struct Row
    {
        QString user;
        QString status;
        qint64 lastSeen = 0;
    };
    int rowOf(const QString &user) const;
    void setPresence(const QString &user, const QString &status, qint64 lastSeen);
    void applyMemberChange(const Chat::MemberEvent &event);
    void forgetPresence();
    void saveMembers();

    ChatSession *m_session;
    QString m_room;
    QString m_topic;
    QList<Row> m_rows;
};

} // namespace Confab::Client
