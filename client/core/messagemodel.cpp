#include "messagemodel.h"

#include "chatsession.h"

namespace Confab::Client {

namespace {

QJsonObject pendingMessage(const OutboxEntry &entry, const QString &user)
{
    return { { QStringLiteral("room"), entry.room }, { QStringLiteral("clientId"), entry.clientId },
             { QStringLiteral("text"), entry.text }, { QStringLiteral("from"), user },
             { QStringLiteral("ts"), entry.createdAt } };
}

} // namespace

MessageModel::MessageModel(ChatSession *session, const QString &room, QObject *parent)
    : QAbstractListModel(parent)
    , m_session(session)
    , m_room(room)
{
    reload();
    connect(session, &ChatSession::messageReceived, this, [this](const QJsonObject &message) {
        if (message.value(QStringLiteral("room")).toString() == m_room)
            insertMessage(message);
    });
    connect(session, &ChatSession::messageQueued, this, [this](const OutboxEntry &entry) {
        if (entry.room != m_room)
            return;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_rows.append({ pendingMessage(entry, m_session->user()), true, false });
        endInsertRows();
    });
    auto setFailed = [this](const QString &clientId, bool failed) {
        const int row = pendingRowOf(clientId);
        if (row < 0)
            return;
        m_rows[row].failed = failed;
        Q_EMIT dataChanged(index(row), index(row), { StateRole });
    };
    connect(session, &ChatSession::messageFailed, this, [setFailed](const QString &clientId) { setFailed(clientId, true); });
    connect(session, &ChatSession::messageRetried, this, [setFailed](const QString &clientId) { setFailed(clientId, false); });
    connect(session, &ChatSession::messageDiscarded, this, [this](const QString &clientId) {
        const int row = pendingRowOf(clientId);
        if (row < 0)
            return;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    });
    connect(session, &ChatSession::eventReceived, this, [this](const QString &event, const QJsonObject &payload) {
        if (event == QLatin1String("receipt") && payload.value(QStringLiteral("room")).toString() == m_room)
            handleReceipt(payload);
    });
}

void MessageModel::reload()
{
    beginResetModel();
    m_rows.clear();
    for (const QJsonObject &message : m_session->localStore()->messages(m_room, 500))
        m_rows.append({ message, false, false });
    for (const OutboxEntry &entry : m_session->localStore()->outbox()) {
        if (entry.room == m_room)
            m_rows.append({ pendingMessage(entry, m_session->user()), true, entry.failed });
    }
    endResetModel();
}

int MessageModel::firstPendingRow() const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].pending)
            return row;
    }
    return int(m_rows.size());
}

int MessageModel::pendingRowOf(const QString &clientId) const
{
    for (int row = firstPendingRow(); row < m_rows.size(); ++row) {
        if (m_rows[row].message.value(QStringLiteral("clientId")).toString() == clientId)
            return row;
    }
    return -1;
}

qint64 MessageModel::lastSeq() const
{
    const int row = firstPendingRow() - 1;
    return row >= 0 ? m_rows[row].message.value(QStringLiteral("seq")).toInteger() : 0;
}

void MessageModel::insertMessage(const QJsonObject &message)
{
    // Our own pending row becomes the stored message: remove it, then insert by seq.
    const QString clientId = message.value(QStringLiteral("clientId")).toString();
    if (message.value(QStringLiteral("from")).toString() == m_session->user()) {
        for (int row = firstPendingRow(); row < m_rows.size(); ++row) {
            if (m_rows[row].message.value(QStringLiteral("clientId")).toString() == clientId) {
                beginRemoveRows({}, row, row);
                m_rows.removeAt(row);
                endRemoveRows();
                break;
            }
        }
    }
    const qint64 seq = message.value(QStringLiteral("seq")).toInteger();
    int row = firstPendingRow();
    while (row > 0 && m_rows[row - 1].message.value(QStringLiteral("seq")).toInteger() > seq)
        --row;
    if (row > 0 && m_rows[row - 1].message.value(QStringLiteral("seq")).toInteger() == seq)
        return; // already shown
    beginInsertRows({}, row, row);
    m_rows.insert(row, { message, false, false });
    endInsertRows();
}

void MessageModel::handleReceipt(const QJsonObject &receipt)
{
    if (receipt.value(QStringLiteral("user")).toString() == m_session->user())
        return;
    const qint64 seq = receipt.value(QStringLiteral("seq")).toInteger();
    const bool read = receipt.value(QStringLiteral("kind")).toString() == QLatin1String("read");
    m_deliveredUpTo = std::max(m_deliveredUpTo, seq);
    if (read)
        m_readUpTo = std::max(m_readUpTo, seq);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), { StateRole });
}

MessageModel::State MessageModel::stateOf(const Row &row) const
{
    if (row.failed)
        return State::Failed;
    if (row.pending)
        return State::Pending;
    const qint64 seq = row.message.value(QStringLiteral("seq")).toInteger();
    if (seq <= m_readUpTo)
        return State::Read;
    if (seq <= m_deliveredUpTo)
        return State::Delivered;
    return State::Sent;
}

int MessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case TextRole: return row.message.value(QStringLiteral("text")).toString();
    case IdRole: return row.message.value(QStringLiteral("id")).toString();
    case SeqRole: return row.message.value(QStringLiteral("seq")).toInteger();
    case FromRole: return row.message.value(QStringLiteral("from")).toString();
    case TimestampRole: return row.message.value(QStringLiteral("ts")).toInteger();
    case ClientIdRole: return row.message.value(QStringLiteral("clientId")).toString();
    case StateRole: return QVariant::fromValue(stateOf(row));
    default: return {};
    }
}

QHash<int, QByteArray> MessageModel::roleNames() const
{
    return { { IdRole, "id" }, { SeqRole, "seq" }, { FromRole, "from" }, { TextRole, "text" },
             { TimestampRole, "ts" }, { ClientIdRole, "clientId" }, { StateRole, "state" } };
}

} // namespace Confab::Client
