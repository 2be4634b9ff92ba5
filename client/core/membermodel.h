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
    // MemberRoleRole: "owner", "moderator" or "member"; empty in a direct-message room.
    enum Role { UserRole = Qt::UserRole + 1, StatusRole, LastSeenRole, MemberRoleRole };
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
    Chat::Visibility visibility() const { return m_visibility; }
    // The member's role ("owner", "moderator", "member"); empty for a non-member or in a
    // direct-message room.
    QString roleOf(const QString &user) const;
    // Whether the user here is the room's owner or a moderator.
    bool canModerate() const;
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void topicChanged(const QString &topic);
    // Members' roles or the room's visibility changed (a `room` event, or a refresh).
    void rolesChanged();

private:
    struct Row
    {
        QString user;
        QString status;
        qint64 lastSeen = 0;
        QString role {};
    };
    int rowOf(const QString &user) const;
    void setPresence(const QString &user, const QString &status, qint64 lastSeen);
    void applyMemberChange(const Chat::MemberEvent &event);
    void applyRoom(const Chat::Room &room);
    void forgetPresence();
    void saveMembers();

    ChatSession *m_session;
    QString m_room;
    QString m_topic;
    Chat::Visibility m_visibility = Chat::Visibility::Public;
    bool m_isDirect = false;
    QList<Row> m_rows;
};

} // namespace Confab::Client
