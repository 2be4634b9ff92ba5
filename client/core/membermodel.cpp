#include "membermodel.h"

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
    connect(session, &ChatSession::eventReceived, this, &MemberModel::handleEvent);
    connect(session, &ChatSession::onlineChanged, this, [this](bool online) {
        if (!online)
            forgetPresence(); // what we knew goes stale from now on
    });
}

void MemberModel::handleEvent(const QString &event, const QJsonObject &payload)
{
    const QString user = payload.value(QStringLiteral("user")).toString();
    if (event == QLatin1String("presence")) {
        setPresence(user, payload.value(QStringLiteral("status")).toString(), payload.value(QStringLiteral("lastSeen")).toInteger());
    } else if (event == QLatin1String("member") && payload.value(QStringLiteral("room")).toString() == m_room) {
        const int row = rowOf(user);
        if (payload.value(QStringLiteral("action")).toString() == QLatin1String("joined") && row < 0) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
            m_rows.append({ user, QStringLiteral("online"), 0 });
            endInsertRows();
            saveMembers();
        } else if (payload.value(QStringLiteral("action")).toString() == QLatin1String("left") && row >= 0) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
            saveMembers();
        }
    }
}

void MemberModel::setMembers(const QJsonArray &members)
{
    beginResetModel();
    m_rows.clear();
    for (const QJsonValue &member : members)
        m_rows.append({ member.toObject().value(QStringLiteral("user")).toString(),
                        member.toObject().value(QStringLiteral("status")).toString(), 0 });
    endResetModel();
    saveMembers();
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
    m_session->request(QStringLiteral("room:join"), { { QStringLiteral("room"), m_room } }, [self](const QJsonObject &answer) {
        if (!self || !answer.value(QStringLiteral("ok")).toBool())
            return;
        const QJsonObject room = answer.value(QStringLiteral("room")).toObject();
        const QString topic = room.value(QStringLiteral("topic")).toString();
        if (topic != self->m_topic) {
            self->m_topic = topic;
            Q_EMIT self->topicChanged(topic);
        }
        const QJsonArray members = room.value(QStringLiteral("members")).toArray();
        self->setMembers(members);
        QJsonArray users;
        for (const QJsonValue &member : members) {
            if (users.size() < 200) // the server's presence:get limit; the rest keep their status only
                users.append(member.toObject().value(QStringLiteral("user")));
        }
        self->m_session->request(QStringLiteral("presence:get"), { { QStringLiteral("users"), users } },
                                 [self](const QJsonObject &presence) {
                                     if (self)
                                         self->applyPresence(presence.value(QStringLiteral("presence")).toObject());
                                 });
    });
}

void MemberModel::applyPresence(const QJsonObject &presence)
{
    for (auto it = presence.begin(); it != presence.end(); ++it)
        setPresence(it.key(), it->toObject().value(QStringLiteral("status")).toString(),
                    it->toObject().value(QStringLiteral("lastSeen")).toInteger());
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
    case StatusRole: return row.status == UnknownStatus && row.user == m_session->user() ? m_session->presence() : row.status;
    case LastSeenRole: return row.lastSeen;
    default: return {};
    }
}

QHash<int, QByteArray> MemberModel::roleNames() const
{
    return { { UserRole, "user" }, { StatusRole, "status" }, { LastSeenRole, "lastSeen" } };
}

} // namespace Confab::Client
