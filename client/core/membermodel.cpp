#include "membermodel.h"

#include "chat/limits.h"

#include "chatsession.h"

#include <QPointer>

namespace Confab::Client {

MemberModel::MemberModel(ChatSession *session, const QString &room, QObject *parent)
    : QAbstractListModel(parent)
    , m_session(session)
    , m_room(room)
{
    // The cached list at once: presence stays unknown until the server is asked.
    for (const QString &user : session->localStore()->members(room))
        m_rows.append({ user, UnknownStatus, 0 });
    connect(session, &ChatSession::presenceReceived, this, [this](const Chat::PresenceEvent &event) {
        setPresence(event.user, event.presence.status, event.presence.lastSeen);
    });
    connect(session, &ChatSession::memberChanged, this, &MemberModel::applyMemberChange);
    connect(session, &ChatSession::roomChanged, this, [this](const Chat::Room &room) {
        if (room.name == m_room)
            applyRoom(room);
    });
    connect(session, &ChatSession::onlineChanged, this, [this](bool online) {
        if (!online)
            forgetPresence(); // what we knew goes stale from now on
    });
}

void MemberModel::applyMemberChange(const Chat::MemberEvent &event)
{
    if (event.room != m_room)
        return;
    const int row = rowOf(event.user);
    if (event.addsMember() && row < 0) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        // Online: a join comes from a connection; an invitee's status comes with presence.
        const QString status = event.action == Chat::MemberAction::Joined ? QStringLiteral("online") : UnknownStatus;
        m_rows.append({ event.user, status, 0, m_isDirect ? QString() : Chat::roomRoleName(Chat::RoomRole::Member) });
        if (event.action == Chat::MemberAction::Invited) {
            QPointer<MemberModel> self(this);
            m_session->fetchPresence({ event.user }, [self](const Chat::Result<Chat::PresenceAnswer> &presence) {
                if (self && presence)
                    self->applyPresence(presence->presence);
            });
        }
        endInsertRows();
        saveMembers();
    } else if (!event.addsMember() && row >= 0) {
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
        saveMembers();
    }
}

void MemberModel::setMembers(const QList<Chat::Member> &members)
{
    beginResetModel();
    m_rows.clear();
    for (const Chat::Member &member : members)
        m_rows.append({ member.user, member.status, 0, member.role ? Chat::roomRoleName(*member.role) : QString() });
    endResetModel();
    saveMembers();
}

// The room as the server has it now (room:join's answer, or a `room` event).
void MemberModel::applyRoom(const Chat::Room &room)
{
    if (room.topic != m_topic) {
        m_topic = room.topic;
        Q_EMIT topicChanged(room.topic);
    }
    m_visibility = room.visibility;
    m_isDirect = !room.members.isEmpty() && !room.members.first().role;
    setMembers(room.members);
    Q_EMIT rolesChanged();
}

QString MemberModel::roleOf(const QString &user) const
{
    const int row = rowOf(user);
    return row < 0 ? QString() : m_rows[row].role;
}

bool MemberModel::canModerate() const
{
    const QString own = roleOf(m_session->user());
    return own == Chat::roomRoleName(Chat::RoomRole::Owner) || own == Chat::roomRoleName(Chat::RoomRole::Moderator);
}

void MemberModel::saveMembers()
{
    QStringList users;
    for (const Row &row : std::as_const(m_rows))
        users.append(row.user);
    m_session->localStore()->setMembers(m_room, users);
}

void MemberModel::forgetPresence()
{
    for (Row &row : m_rows)
        row.status = UnknownStatus;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), { StatusRole });
}

void MemberModel::refresh()
{
    QPointer<MemberModel> self(this);
    m_session->joinRoom(m_room, [self](const Chat::Result<Chat::JoinRoomAnswer> &answer) {
        if (!self || !answer)
            return;
        const Chat::Room &room = answer->room;
        self->applyRoom(room);
        QStringList users;
        for (const Chat::Member &member : room.members) {
            if (users.size() < Chat::DefaultMaxPresenceQuery) // the rest keep their status only
                users.append(member.user);
        }
        self->m_session->fetchPresence(users, [self](const Chat::Result<Chat::PresenceAnswer> &presence) {
            if (self && presence)
                self->applyPresence(presence->presence);
        });
    });
}

void MemberModel::applyPresence(const QMap<QString, Chat::PresenceInfo> &presence)
{
    for (auto it = presence.cbegin(); it != presence.cend(); ++it)
        setPresence(it.key(), it->status, it->lastSeen);
}

void MemberModel::setPresence(const QString &user, const QString &status, qint64 lastSeen)
{
    const int row = rowOf(user);
    if (row < 0)
        return;
    m_rows[row].status = status;
    m_rows[row].lastSeen = lastSeen;
    Q_EMIT dataChanged(index(row), index(row), { StatusRole, LastSeenRole });
}

int MemberModel::rowOf(const QString &user) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].user == user)
            return row;
    }
    return -1;
}

int MemberModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MemberModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case UserRole: return row.user;
    // Our own status is known even while disconnected: the one the user chose.
    case StatusRole:
        return row.status == UnknownStatus && row.user == m_session->user() ? m_session->presence() : row.status;
    case LastSeenRole: return row.lastSeen;
    case MemberRoleRole: return row.role;
    default: return {};
    }
}

QHash<int, QByteArray> MemberModel::roleNames() const
{
    return { { UserRole, "user" }, { StatusRole, "status" }, { LastSeenRole, "lastSeen" }, { MemberRoleRole, "role" } };
}

} // namespace Confab::Client
