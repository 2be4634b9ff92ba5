#include "roomlistmodel.h"

#include "chat/validation.h"
#include "chatsession.h"

#include <QJsonArray>

namespace Confab::Client {

RoomListModel::RoomListModel(ChatSession *session, QObject *parent)
    : QAbstractListModel(parent)
    , m_session(session)
{
    for (const QString &room : session->localStore()->rooms()) {
        const auto last = session->localStore()->messages(room, 1);
        const RoomCounts counts = session->roomCounts(room);
        m_rows.append({ room, last.isEmpty() ? QJsonObject() : last.first(), int(counts.unread), int(counts.mentions),
                        session->localStore()->lastSeq(room) });
    }
    connect(session, &ChatSession::messageReceived, this, &RoomListModel::handleMessage);
    // A room just joined gets its preview from the first page of history.
    connect(session, &ChatSession::historyStored, this, [this](const QString &room, const QJsonObject &newest) {
        const int row = rowOf(room);
        if (row < 0
            || newest.value(QStringLiteral("seq")).toInteger()
                <= m_rows[row].lastMessage.value(QStringLiteral("seq")).toInteger())
            return;
        m_rows[row].lastMessage = newest;
        Q_EMIT dataChanged(index(row), index(row), { LastMessageRole, LastActivityRole });
    });
    connect(session, &ChatSession::memberChanged, this, [this](const Chat::MemberEvent &event) {
        if (event.user != m_session->user())
            return;
        if (event.addsMember())
            ensureRow(event.room);
        else
            removeRoom(event.room);
    });
    // The server's counts: those of room:list cover the messages the resync then fetches.
    connect(session, &ChatSession::roomsListed, this, [this](const QList<Chat::RoomSummary> &rooms) {
        for (const Chat::RoomSummary &room : rooms)
            setCounts(room.name, room.unread, room.mentions, room.lastSeq);
    });
    // The preview follows an edit or a delete of the message it shows.
    connect(session, &ChatSession::messageUpdated, this, [this](const Chat::Message &message) {
        const int row = rowOf(message.room);
        if (row < 0
            || m_rows[row].lastMessage.value(QStringLiteral("id")).toString() != QString::fromLatin1(message.id))
            return;
        m_rows[row].lastMessage = message.toJson();
        Q_EMIT dataChanged(index(row), index(row), { LastMessageRole });
    });
    // Read on another device (or here): its badge clears.
    connect(session, &ChatSession::readPositionChanged, this, [this](const Chat::ReadEvent &read) {
        const int row = rowOf(read.room);
        if (row >= 0)
            setCounts(read.room, read.unread, read.mentions,
                      m_rows[row].lastMessage.value(QStringLiteral("seq")).toInteger());
    });
    // Rooms joined elsewhere (another device, a DM someone opened) arrive with the resync.
    connect(session, &ChatSession::synced, this, [this] {
        for (const QString &room : m_session->localStore()->rooms())
            ensureRow(room);
    });
}

int RoomListModel::rowOf(const QString &room) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].name == room)
            return row;
    }
    return -1;
}

int RoomListModel::ensureRow(const QString &room)
{
    const int existing = rowOf(room);
    if (existing >= 0)
        return existing;
    // Kept sorted by name.
    int row = 0;
    while (row < m_rows.size() && m_rows[row].name < room)
        ++row;
    beginInsertRows({}, row, row);
    m_rows.insert(row, { room, {}, 0, 0, 0 });
    endInsertRows();
    return row;
}

void RoomListModel::handleMessage(const QJsonObject &message)
{
    const int row = ensureRow(message.value(QStringLiteral("room")).toString());
    Row &entry = m_rows[row];
    const qint64 seq = message.value(QStringLiteral("seq")).toInteger();
    if (seq > entry.lastMessage.value(QStringLiteral("seq")).toInteger())
        entry.lastMessage = message;
    const bool counted = seq <= entry.countedSeq;
    entry.countedSeq = std::max(entry.countedSeq, seq);
    if (!counted && message.value(QStringLiteral("from")).toString() != m_session->user()
        && entry.name != m_currentRoom) {
        ++entry.unread;
        if (message.value(QStringLiteral("mentions")).toArray().contains(m_session->user()))
            ++entry.mentions;
        Q_EMIT unreadTotalChanged(unreadTotal());
    }
    Q_EMIT dataChanged(index(row), index(row), { LastMessageRole, UnreadCountRole, MentionCountRole });
}

void RoomListModel::setCounts(const QString &room, qint64 unread, qint64 mentions, qint64 countedSeq)
{
    const int row = ensureRow(room);
    Row &entry = m_rows[row];
    entry.countedSeq = std::max(entry.countedSeq, countedSeq);
    const int shown = room == m_currentRoom ? 0 : int(unread); // the room in view has nothing unread
    if (entry.unread == shown && entry.mentions == int(mentions))
        return;
    entry.unread = shown;
    entry.mentions = room == m_currentRoom ? 0 : int(mentions);
    Q_EMIT dataChanged(index(row), index(row), { UnreadCountRole, MentionCountRole });
    Q_EMIT unreadTotalChanged(unreadTotal());
}

void RoomListModel::addRoom(const QString &room)
{
    m_session->localStore()->rememberRoom(room);
    ensureRow(room);
}

void RoomListModel::removeRoom(const QString &room)
{
    m_session->localStore()->forgetRoom(room);
    const int row = rowOf(room);
    if (row < 0)
        return;
    const bool hadUnread = m_rows[row].unread > 0;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    if (hadUnread)
        Q_EMIT unreadTotalChanged(unreadTotal());
}

void RoomListModel::setCurrentRoom(const QString &room)
{
    m_currentRoom = room;
    const int row = rowOf(room);
    if (row >= 0 && (m_rows[row].unread > 0 || m_rows[row].mentions > 0)) {
        m_rows[row].unread = 0;
        m_rows[row].mentions = 0;
        Q_EMIT dataChanged(index(row), index(row), { UnreadCountRole, MentionCountRole });
        Q_EMIT unreadTotalChanged(unreadTotal());
    }
}

int RoomListModel::unreadTotal() const
{
    int total = 0;
    for (const Row &row : m_rows)
        total += row.unread;
    return total;
}

int RoomListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant RoomListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case NameRole: return row.name;
    case LastMessageRole:
        return row.lastMessage.value(QStringLiteral("deleted")).toBool()
            ? tr("This message was deleted.")
            : row.lastMessage.value(QStringLiteral("text")).toString();
    case UnreadCountRole: return row.unread;
    case MentionCountRole: return row.mentions;
    case IsDirectRole: return Chat::isDirectRoomName(row.name);
    case LastActivityRole: return row.lastMessage.value(QStringLiteral("ts")).toInteger();
    case Qt::DisplayRole:
    case TitleRole: {
        if (!Chat::isDirectRoomName(row.name))
            return QString(QLatin1Char('#') + row.name);
        const QStringList users = row.name.split(QLatin1Char(':'));
        return QString(QLatin1Char('@') + (users.at(1) == m_session->user() ? users.at(2) : users.at(1)));
    }
    default: return {};
    }
}

QHash<int, QByteArray> RoomListModel::roleNames() const
{
    return { { NameRole, "name" },
             { LastMessageRole, "lastMessage" },
             { UnreadCountRole, "unreadCount" },
             { TitleRole, "title" },
             { IsDirectRole, "isDirect" },
             { LastActivityRole, "lastActivity" },
             { MentionCountRole, "mentionCount" } };
}

} // namespace Confab::Client
