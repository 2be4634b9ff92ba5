// The WebSocket transport: one Engine.IO packet per frame, binary as binary frames.
#pragma once

#include "enginetransport.h"

#include <QWebSocket>

namespace Confab::Client {

class WebSocketTransport : public EngineTransport
{
    Q_OBJECT
public:
    explicit WebSocketTransport(const TransportOptions &options, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("websocket"); }
    void open(const QByteArray &sid) override;
    void send(const QList<EngineIo::Packet> &packets) override;
    void close() override;

private:
    TransportOptions m_options;
    QWebSocket m_socket;
    bool m_closing = false;
};

} // namespace Confab::Client
