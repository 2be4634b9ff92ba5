#include "websockettransport.h"

namespace Confab::Client {

using EngineIo::Packet;

WebSocketTransport::WebSocketTransport(const TransportOptions &options, QObject *parent)
    : EngineTransport(parent)
    , m_options(options)
{
    m_socket.setParent(this);
    connect(&m_socket, &QWebSocket::connected, this, &EngineTransport::opened);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const auto packet = EngineIo::decodeTextPacket(text.toUtf8());
        if (!packet)
            return Q_EMIT failed(QStringLiteral("malformed packet from server"), 0);
        Q_EMIT packetsReceived({ *packet });
    });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray &bytes) { Q_EMIT packetsReceived({ Packet::binary(bytes) }); });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        if (!m_closing)
            Q_EMIT failed(m_socket.closeReason().isEmpty() ? QStringLiteral("websocket closed")
                                                           : m_socket.closeReason(),
                          0);
    });
    connect(&m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        // Invalid certificates are refused; say why.
        Q_EMIT failed(errors.isEmpty() ? QStringLiteral("TLS error") : errors.first().errorString(), 0);
    });
}

void WebSocketTransport::open(const QByteArray &sid)
{
    m_socket.setSslConfiguration(m_options.ssl);
    m_socket.open(endpoint(m_options, name(), sid));
}

void WebSocketTransport::send(const QList<Packet> &packets)
{
    for (const Packet &packet : packets) {
        if (packet.isBinary)
            m_socket.sendBinaryMessage(packet.data);
        else
            m_socket.sendTextMessage(QString::fromUtf8(EngineIo::encodeTextPacket(packet.type, packet.data)));
    }
}

void WebSocketTransport::close()
{
    m_closing = true;
    m_socket.close();
}

} // namespace Confab::Client
