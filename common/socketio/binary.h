// Collects the binary attachments of BINARY_EVENT / BINARY_ACK packets.
#pragma once

#include "socketio/packet.h"

#include <optional>

namespace Confab::SocketIo {

// Reassembles a binary packet from its header and the Engine.IO binary messages that
// follow it. One per connection; not thread-safe.
class BinaryAssembler
{
public:
    explicit BinaryAssembler(int maxAttachments = 64)
        : m_maxAttachments(maxAttachments)
    {
    }

    bool isWaiting() const { return m_pending.has_value(); }
    // Starts a packet; false when it announces more attachments than allowed.
    bool start(Packet header);
    // Adds one attachment; returns the packet once it is complete.
    std::optional<Packet> add(const QByteArray &attachment);
    void reset() { m_pending.reset(); }

private:
    int m_maxAttachments;
    std::optional<Packet> m_pending;
};

// The JSON placeholder that stands for attachment num inside event arguments.
QJsonValue placeholder(int num);

} // namespace Confab::SocketIo
