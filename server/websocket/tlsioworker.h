// The worker for TLS connections. TLS state lives in the QSslSocket, whose notifiers
// cannot move threads once it is running, so these connections stay QSslSockets on the
// main thread. (Clusters terminate TLS at the load balancer.)
#pragma once

#include "websocket/ioworker.h"

namespace Confab::WebSocket {

class TlsIoWorker final : public IoWorker
{
    Q_OBJECT
public:
    TlsIoWorker(qint64 maxMessageBytes, EventSink sink);
    ~TlsIoWorker() override;

protected:
    void adopt(Command &command) override;
    void queue(Link *link, QByteArray bytes) override;
    void flush(Link *link) override;
    void applyReadingPaused(bool paused) override;
    void release(Link *link) override;

private:
    struct TlsLink;
    void read(TlsLink *link);
};

} // namespace Confab::WebSocket
