#include "socketio/pendingacks.h"

#include <QTimerEvent>

namespace Confab::SocketIo {

PendingAcks::PendingAcks(QObject *parent)
    : QObject(parent)
{
}

PendingAcks::~PendingAcks() = default;

qint64 PendingAcks::add(Callback callback, int timeoutMs)
{
    const qint64 id = m_nextId++;
    auto entry = std::make_unique<Entry>();
    entry->callback = std::move(callback);
    entry->timer.start(timeoutMs, this);
    m_entries.emplace(id, std::move(entry));
    return id;
}

bool PendingAcks::resolve(qint64 id, const QJsonArray &args, const QList<QByteArray> &attachments)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end())
        return false; // late: the timeout already answered
    Callback callback = std::move(it->second->callback);
    m_entries.erase(it);
    callback(false, args, attachments);
    return true;
}

void PendingAcks::failAll()
{
    auto entries = std::exchange(m_entries, {});
    for (auto &[id, entry] : entries)
        entry->callback(true, {}, {});
}

void PendingAcks::timerEvent(QTimerEvent *event)
{
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        if (it->second->timer.timerId() == event->timerId()) {
            Callback callback = std::move(it->second->callback);
            m_entries.erase(it);
            callback(true, {}, {});
            return;
        }
    }
    QObject::timerEvent(event);
}

} // namespace Confab::SocketIo
