#include "messagemodel.h"

#include "chatsession.h"

#include <QDateTime>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QPointer>
#include <QScopeGuard>
#include <QTimerEvent>

#include <algorithm>

namespace Confab::Client {

namespace {

constexpr int PageSize = ChatSession::HistoryPageSize;
// At most one batch of live messages shown per this long; a message after a quiet spell
// goes at once. Laying out and painting the view is most of what a message costs, and
// in a busy room nobody reads faster than four updates a second.
constexpr int ArrivalBatchMs = 250;

qint64 localDay(qint64 ts)
{
    return QDateTime::fromMSecsSinceEpoch(ts).date().toJulianDay();
}

} // namespace

MessageModel::Row MessageModel::rowFromMessage(const QJsonObject &message)
{
    Row row;
    row.id = message.value(QStringLiteral("id")).toString();
    row.from = message.value(QStringLiteral("from")).toString();
    row.text = message.value(QStringLiteral("text")).toString();
    row.clientId = message.value(QStringLiteral("clientId")).toString();
    row.seq = message.value(QStringLiteral("seq")).toInteger();
    row.ts = message.value(QStringLiteral("ts")).toInteger();
    row.day = localDay(row.ts);
    row.rev = message.value(QStringLiteral("rev")).toInteger();
    row.editedAt = message.value(QStringLiteral("editedAt")).toInteger();
    row.deleted = message.value(QStringLiteral("deleted")).toBool();
    row.replyTo = message.value(QStringLiteral("replyTo")).toObject();
    for (const QJsonValue &user : message.value(QStringLiteral("mentions")).toArray())
        row.mentions.append(user.toString());
    row.reactions = message.value(QStringLiteral("reactions")).toArray();
    row.attachments = message.value(QStringLiteral("attachments")).toArray();
    return row;
}

MessageModel::Row MessageModel::rowFromEntry(const OutboxEntry &entry, const QString &user)
{
    Row row;
    row.from = user;
    row.text = entry.text;
    row.clientId = entry.clientId;
    row.ts = entry.createdAt;
    row.day = localDay(row.ts);
    row.pending = true;
    row.failed = entry.failed;
    row.error = entry.error;
    row.errorText = entry.errorText;
    // Its files as the chips will show them once sent: named, sized and typed from the disk;
    // an image as big as it will be once sent, drawn from the local copy meanwhile.
    const QMimeDatabase types;
    for (const OutboxAttachment &attachment : entry.attachments) {
        const QFileInfo file(attachment.path);
        QJsonObject shown { { QStringLiteral("name"), file.fileName() },
                            { QStringLiteral("size"), file.size() },
                            { QStringLiteral("type"), types.mimeTypeForFile(file).name() },
                            { QStringLiteral("path"), attachment.path },
                            { QStringLiteral("pending"), true } };
        if (attachment.width > 0 && attachment.height > 0) {
            shown.insert(QStringLiteral("width"), attachment.width);
            shown.insert(QStringLiteral("height"), attachment.height);
        }
        if (!attachment.thumbnailPath.isEmpty())
            shown.insert(QStringLiteral("thumbnailPath"), attachment.thumbnailPath);
        row.attachments.append(shown);
    }
    return row;
}

MessageModel::MessageModel(ChatSession *session, const QString &room, QObject *parent)
    : QAbstractListModel(parent)
    , m_session(session)
    , m_room(room)
    , m_readAtOpen(session->readSeq(room))
{
    const ReceiptPositions receipts = session->localStore()->receiptPositions(room);
    m_deliveredUpTo = receipts.delivered;
    m_readUpTo = receipts.read;
    for (const OutboxEntry &entry : session->localStore()->outbox()) {
        if (entry.room == m_room && entry.kind == OutboxKind::Send) { // changes are not rows
            m_rows.append(rowFromEntry(entry, session->user()));
            ++m_pendingCount;
        }
    }
    connect(session, &ChatSession::messageReceived, this, [this](const QJsonObject &message) {
        if (message.value(QStringLiteral("room")).toString() == m_room)
            insertLive(message);
    });
    connect(session, &ChatSession::messageQueued, this, [this](const OutboxEntry &entry) {
        if (entry.room == m_room)
            appendPending(entry);
    });
    connect(session, &ChatSession::messageFailed, this,
            [this](const QString &clientId, const QString &code, const QString &text) {
                setFailed(clientId, true, code, text);
            });
    connect(session, &ChatSession::messageRetried, this,
            [this](const QString &clientId) { setFailed(clientId, false, {}, {}); });
    connect(session, &ChatSession::messageDiscarded, this, &MessageModel::removePending);
    connect(session, &ChatSession::messageUpdated, this, [this](const Chat::Message &message) {
        if (message.room == m_room)
            applyUpdate(message);
    });
    connect(session, &ChatSession::receiptReceived, this, [this](const Chat::ReceiptEvent &receipt) {
        if (receipt.room == m_room)
            handleReceipt(receipt);
    });
    // Read positions others moved while this device was away (or the room was closed).
    connect(session, &ChatSession::synced, this, [this] { m_session->refreshReadPositions(m_room); });
    session->refreshReadPositions(room);
    loadOlder(); // the newest page: at once from the cache, or from the server
}

qint64 MessageModel::lastSeq() const
{
    return storedCount() > 0 ? m_rows[storedCount() - 1].seq : 0;
}

qint64 MessageModel::firstSeq() const
{
    return storedCount() > 0 ? m_rows.first().seq : 0;
}

qint64 MessageModel::firstUnreadSeq() const
{
    return std::max<qint64>(m_firstUnread, 0);
}

bool MessageModel::moveFirstUnread(qint64 readSeq)
{
    const qint64 first = readSeq > 0 && readSeq < lastSeq() ? readSeq + 1 : 0;
    if (first == 0 || first == m_firstUnread)
        return false;
    // Two rows change height (the line moves): views must measure them again.
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    m_firstUnread = first;
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    return true;
}

// Decided once, from the first page: messages arriving while the room is open are read, not news.
void MessageModel::noteFirstUnread(qint64 newestSeq)
{
    if (m_firstUnread < 0)
        m_firstUnread = m_readAtOpen > 0 && newestSeq > m_readAtOpen ? m_readAtOpen + 1 : 0;
}

int MessageModel::rowOfSeq(qint64 seq) const
{
    const auto end = m_rows.cbegin() + storedCount();
    const auto it
        = std::lower_bound(m_rows.cbegin(), end, seq, [](const Row &row, qint64 value) { return row.seq < value; });
    return it != end && it->seq == seq ? int(it - m_rows.cbegin()) : -1;
}

void MessageModel::setLoadingOlder(bool loading)
{
    if (m_loadingOlder == loading)
        return;
    m_loadingOlder = loading;
    Q_EMIT loadingChanged();
}

void MessageModel::loadOlder()
{
    if (m_loadingOlder || m_atBeginning)
        return;
    setLoadingOlder(true);
    QPointer<MessageModel> self(this);
    const quint64 generation = m_generation;
    m_session->fetchOlder(m_room, firstSeq(), PageSize,
                          [self, generation](const QList<QJsonObject> &page, bool complete) {
                              if (!self || self->m_generation != generation)
                                  return;
                              if (page.isEmpty() ? complete
                                                 : page.first().value(QStringLiteral("seq")).toInteger() <= 1)
                                  self->m_atBeginning = true;
                              self->insertPage(page);
                              self->setLoadingOlder(false);
                          });
}

void MessageModel::loadNewer()
{
    if (m_loadingNewer || !m_hasNewer)
        return;
    m_loadingNewer = true;
    QPointer<MessageModel> self(this);
    const quint64 generation = m_generation;
    m_session->fetchNewer(m_room, lastSeq(), PageSize,
                          [self, generation](const QList<QJsonObject> &page, bool complete) {
                              if (!self || self->m_generation != generation)
                                  return;
                              if (complete && page.size() < PageSize)
                                  self->m_hasNewer = false; // reached the newest message: live ones are inserted again
                              self->insertPage(page);
                              self->m_loadingNewer = false; // after the insertion: not asked again while it is handled
                              Q_EMIT self->loadingChanged();
                          });
}

void MessageModel::showLatest()
{
    const quint64 generation = ++m_generation;
    m_loadingOlder = m_loadingNewer = false;
    QPointer<MessageModel> self(this);
    m_session->fetchOlder(m_room, 0, PageSize, [self, generation](const QList<QJsonObject> &page, bool) {
        if (self && self->m_generation == generation)
            self->resetTo(page, !page.isEmpty() && page.first().value(QStringLiteral("seq")).toInteger() <= 1, false);
    });
}

void MessageModel::showFrom(qint64 seq)
{
    const quint64 generation = ++m_generation;
    m_loadingOlder = m_loadingNewer = false;
    QPointer<MessageModel> self(this);
    m_session->fetchNewer(m_room, seq - 1, PageSize,
                          [self, seq, generation](const QList<QJsonObject> &page, bool complete) {
                              if (self && self->m_generation == generation)
                                  self->resetTo(page, seq <= 1, !complete || page.size() == PageSize);
                          });
}

void MessageModel::resetTo(const QList<QJsonObject> &page, bool atBeginning, bool hasNewer)
{
    m_arriving.clear(); // in the cache already: the page has them
    m_updates.clear();  // the page has them as they are now
    m_arrivalTimer.stop();
    if (!page.isEmpty())
        noteFirstUnread(page.last().value(QStringLiteral("seq")).toInteger());
    beginResetModel();
    m_rows.remove(0, storedCount());
    QList<Row> stored;
    stored.reserve(page.size());
    for (const QJsonObject &message : page)
        stored.append(rowFromMessage(message));
    m_rows = stored + m_rows;
    m_atBeginning = atBeginning;
    m_hasNewer = hasNewer;
    endResetModel();
    Q_EMIT loadingChanged();
}

void MessageModel::insertPage(const QList<QJsonObject> &page)
{
    QList<Row> older;
    QList<Row> newer;
    if (!page.isEmpty())
        noteFirstUnread(page.last().value(QStringLiteral("seq")).toInteger());
    const bool empty = storedCount() == 0;
    const qint64 first = firstSeq();
    const qint64 last = lastSeq();
    for (const QJsonObject &message : page) {
        const qint64 seq = message.value(QStringLiteral("seq")).toInteger();
        if (empty || seq > last)
            newer.append(rowFromMessage(message));
        else if (seq < first)
            older.append(rowFromMessage(message));
    }
    // Only what joins the window without a gap: the window stays consecutive.
    if (!older.isEmpty() && older.last().seq == first - 1) {
        beginInsertRows({}, 0, int(older.size()) - 1);
        m_rows = older + m_rows;
        endInsertRows();
    }
    if (!newer.isEmpty() && (empty || newer.first().seq == last + 1)) {
        const int at = storedCount();
        beginInsertRows({}, at, at + int(newer.size()) - 1);
        for (int i = 0; i < newer.size(); ++i)
            m_rows.insert(at + i, newer[i]);
        endInsertRows();
    }
}

void MessageModel::insertLive(const QJsonObject &message)
{
    const Row row = rowFromMessage(message);
    const bool own = row.from == m_session->user();
    if (own && replacePendingRow(row))
        return;
    if (m_hasNewer) {
        if (!own)
            Q_EMIT newerArrived();
        return;
    }
    // Shown in batches: a view lays out and paints once for every message that arrived
    // within ArrivalBatchMs, which is what a message costs it. The first after a quiet
    // spell waits only for what came in with it (the rest of this pass).
    m_arriving.append(row);
    scheduleBatch();
}

void MessageModel::scheduleBatch()
{
    if (m_arrivalTimer.isActive())
        return;
    const qint64 sinceShown = m_sinceShown.isValid() ? m_sinceShown.elapsed() : ArrivalBatchMs;
    m_arrivalTimer.start(int(std::max<qint64>(0, ArrivalBatchMs - sinceShown)), this);
}

void MessageModel::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_arrivalTimer.timerId())
        return QAbstractListModel::timerEvent(event);
    showArrivals();
}

void MessageModel::showArrivals()
{
    m_arrivalTimer.stop();
    // After the arrivals: an update may be for a message arriving in this batch.
    const auto updates = qScopeGuard([this] { showUpdates(); });
    const QList<Row> arriving = std::exchange(m_arriving, {});
    if (m_hasNewer)
        return;
    QList<Row> batch;
    qint64 last = lastSeq();
    for (const Row &row : arriving) {
        if (storedCount() > 0 && row.seq <= last)
            continue; // shown already
        if ((storedCount() > 0 || !batch.isEmpty()) && row.seq > last + 1)
            return showLatest(); // more arrived than the window can join: start again at the newest
        batch.append(row);
        last = row.seq;
    }
    if (batch.isEmpty())
        return;
    const int at = storedCount();
    beginInsertRows({}, at, at + int(batch.size()) - 1);
    for (int i = 0; i < batch.size(); ++i)
        m_rows.insert(at + i, batch[i]);
    endInsertRows();
    m_sinceShown.start();
    const QString user = m_session->user();
    Q_EMIT arrived(
        int(std::count_if(batch.cbegin(), batch.cend(), [&user](const Row &row) { return row.from != user; })));
}

// Our own message came back stored: its pending row becomes it. In place when it lands
// where the pending row is (the usual case), so the view does not lay out twice.
bool MessageModel::replacePendingRow(const Row &stored)
{
    showArrivals(); // what came before it first
    const int row = pendingRowOf(stored.clientId);
    if (row < 0)
        return false;
    const bool inPlace = row == storedCount() && !m_hasNewer && (storedCount() == 0 || stored.seq == lastSeq() + 1);
    if (inPlace) {
        m_rows[row] = stored;
        --m_pendingCount;
        Q_EMIT dataChanged(index(row), index(row));
        return true;
    }
    removePending(stored.clientId);
    return false;
}

void MessageModel::appendPending(const OutboxEntry &entry)
{
    showArrivals();
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    m_rows.append(rowFromEntry(entry, m_session->user()));
    ++m_pendingCount;
    endInsertRows();
}

int MessageModel::pendingRowOf(const QString &clientId) const
{
    for (int row = storedCount(); row < m_rows.size(); ++row) {
        if (m_rows[row].clientId == clientId)
            return row;
    }
    return -1;
}

void MessageModel::setFailed(const QString &clientId, bool failed, const QString &code, const QString &text)
{
    const int row = pendingRowOf(clientId);
    if (row < 0)
        return;
    // The row's height changes (the "Not sent" line): views must measure it again.
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    m_rows[row].failed = failed;
    m_rows[row].error = code;
    m_rows[row].errorText = text;
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    Q_EMIT dataChanged(index(row), index(row), { StateRole, ErrorRole, CanRetryRole });
}

void MessageModel::removePending(const QString &clientId)
{
    const int row = pendingRowOf(clientId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    --m_pendingCount;
    endRemoveRows();
}

void MessageModel::trimOldest(int keep)
{
    const int excess = storedCount() - keep;
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_rows.remove(0, excess);
    m_atBeginning = false;
    endRemoveRows();
    Q_EMIT loadingChanged();
}

void MessageModel::trimNewest(int keep)
{
    const int excess = storedCount() - keep;
    if (excess <= 0)
        return;
    beginRemoveRows({}, keep, keep + excess - 1);
    m_rows.remove(keep, excess);
    m_hasNewer = true;
    endRemoveRows();
    Q_EMIT loadingChanged();
}

void MessageModel::handleReceipt(const Chat::ReceiptEvent &receipt)
{
    if (receipt.user == m_session->user())
        return;
    const qint64 delivered = m_deliveredUpTo;
    const qint64 read = m_readUpTo;
    m_deliveredUpTo = std::max(m_deliveredUpTo, receipt.seq);
    if (receipt.kind == Chat::ReceiptKind::Read)
        m_readUpTo = std::max(m_readUpTo, receipt.seq);
    if (delivered == m_deliveredUpTo && read == m_readUpTo)
        return; // nothing moved: no repaint
    emitStateChanged(std::min(delivered, read) + 1, std::max(m_deliveredUpTo, m_readUpTo));
}

// Only the rows whose state moved: a receipt must not repaint or re-measure the window.
void MessageModel::emitStateChanged(qint64 fromSeq, qint64 toSeq)
{
    const auto end = m_rows.cbegin() + storedCount();
    const auto first
        = std::lower_bound(m_rows.cbegin(), end, fromSeq, [](const Row &row, qint64 value) { return row.seq < value; });
    const auto last = std::upper_bound(first, end, toSeq, [](qint64 value, const Row &row) { return value < row.seq; });
    if (first != last)
        Q_EMIT dataChanged(index(int(first - m_rows.cbegin())), index(int(last - m_rows.cbegin()) - 1), { StateRole });
}

MessageModel::State MessageModel::stateOf(const Row &row) const
{
    if (row.failed)
        return State::Failed;
    if (row.pending)
        return State::Pending;
    if (row.seq <= m_readUpTo)
        return State::Read;
    if (row.seq <= m_deliveredUpTo)
        return State::Delivered;
    return State::Sent;
}

int MessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

} // namespace Confab::Client
