#include "membermodel.h"

#include "chatsession.h"

namespace Confab::Client {

MemberModel::MemberModel(ChatSession *session, const QString &room, QObject *parent)
    : QAbstractListModel(parent)
    , m_room(room)
{
    connect(session, &ChatSession::eventReceived, this, [this](const QString &event, const QJsonObject &payload) {
        const QString user = payload.value(QStringLiteral("user")).toString();
        if (event == QLatin1String("presence")) {
            const int row = rowOf(user);
            if (row < 0)
                return;
            m_rows[row].status = payload.value(QStringLiteral("status")).toString();
            m_rows[row].lastSeen = payload.value(QStringLiteral("lastSeen")).toInteger();
            Q_EMIT dataChanged(index(row), index(row), { StatusRole, LastSeenRole });
        } else if (event == QLatin1String("member") && payload.value(QStringLiteral("room")).toString() == m_room) {
            const int row = rowOf(user);
            if (payload.value(QStringLiteral("action")).toString() == QLatin1String("joined") && row < 0) {
                beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
                m_rows.append({ user, QStringLiteral("online"), 0 });
                endInsertRows();
            } else if (payload.value(QStringLiteral("action")).toString() == QLatin1String("left") && row >= 0) {
                beginRemoveRows({}, row, row);
                m_rows.removeAt(row);
                endRemoveRows();
            }
        }
    });
}

void MemberModel::setMembers(const QJsonArray &members)
{
    beginResetModel();
    m_rows.clear();
    for (const QJsonValue &member : members)
        m_rows.append({ member.toObject().value(QStringLiteral("user")).toString(),
                        member.toObject().value(QStringLiteral("status")).toString(), 0 });
    endResetModel();
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
    case StatusRole: return row.status;
    case LastSeenRole: return row.lastSeen;
    default: return {};
    }
}

QHash<int, QByteArray> MemberModel::roleNames() const
{
    return { { UserRole, "user" }, { StatusRole, "status" }, { LastSeenRole, "lastSeen" } };
}

} // namespace Confab::Client
