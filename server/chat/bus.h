// How chat events reach every node that has a recipient. The embedded bus delivers in
// process; a cluster bus (Redis) fans out between nodes. Either way the node that
// receives an envelope writes it to its local sockets in the named rooms.
#pragma once

#include <QJsonObject>
#include <QStringList>

#include <functional>

namespace Confab::Chat {

struct Envelope
{
    QStringList rooms; // chat room names; empty (and no users): every connected user
    QString event;
    QJsonObject payload;
    QByteArray exceptSocketId; // the sender's socket, for typing
    // Users whose every connection gets it too, member of the rooms or not (once each):
    // the user a member event is about, whose membership is changing as it travels.
    QStringList users {};
};

class Bus
{
public:
    using Handler = std::function<void(const Envelope &envelope)>;
    virtual ~Bus() = default;
    virtual void publish(const Envelope &envelope) = 0;
    // This node has (no longer) a member of the room; a cluster bus only listens to
    // rooms it is watching.
    virtual void watchRoom(const QString &room) { Q_UNUSED(room); }
    virtual void unwatchRoom(const QString &room) { Q_UNUSED(room); }
    void setHandler(Handler handler) { m_handler = std::move(handler); }

protected:
    void deliver(const Envelope &envelope) const
    {
        if (m_handler)
            m_handler(envelope);
    }

private:
    Handler m_handler;
};

// The embedded bus: one process, delivery in place.
class LocalBus final : public Bus
{
public:
    void publish(const Envelope &envelope) override { deliver(envelope); }
};

} // namespace Confab::Chat
