#include "testsocketioclient.h"

#include "engineio/packet.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QUrlQuery>

namespace Confab::Testing {

using SocketIo::Packet;
using SocketIo::PacketType;

TestSocketIoClient::TestSocketIoClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &TestSocketIoClient::handleText);
    connect(&m_socket, &QWebSocket::disconnected, this, &TestSocketIoClient::disconnected);
}

void TestSocketIoClient::open(const QUrl &serverUrl, const QJsonObject &auth)
{
    m_auth = auth;
    QUrl url = serverUrl;
    url.setScheme(serverUrl.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setPath(QStringLiteral("/socket.io/"));
    url.setQuery(QStringLiteral("EIO=4&transport=websocket"));
    m_socket.open(url);
}

qint64 TestSocketIoClient::emitWithAck(const QString &event, const QJsonObject &payload)
{
    Packet packet;
    packet.type = PacketType::Event;
    packet.id = m_nextAckId++;
    packet.data = QJsonArray { event, payload };
    m_socket.sendTextMessage(
        QString::fromUtf8(EngineIo::encodeTextPacket(EngineIo::PacketType::Message, SocketIo::encodePacket(packet))));
    return packet.id;
}

void TestSocketIoClient::handleText(const QString &text)
{
    const auto engine = EngineIo::decodeTextPacket(text.toUtf8());
    if (!engine)
        return;
    switch (engine->type) {
    case EngineIo::PacketType::Open: {
        Packet connectPacket;
        connectPacket.type = PacketType::Connect;
        connectPacket.data = m_auth;
        m_socket.sendTextMessage(QString::fromUtf8(
            EngineIo::encodeTextPacket(EngineIo::PacketType::Message, SocketIo::encodePacket(connectPacket))));
        return;
    }
    case EngineIo::PacketType::Ping: m_socket.sendTextMessage(QStringLiteral("3")); return;
    case EngineIo::PacketType::Message: break;
    default: return;
    }
    const SocketIo::DecodeResult result = SocketIo::decodePacket(engine->data);
    if (!result.packet)
        return;
    const Packet &packet = *result.packet;
    switch (packet.type) {
    case PacketType::Connect: Q_EMIT connected(); break;
    case PacketType::ConnectError: Q_EMIT connectError(packet.data.toObject()); break;
    case PacketType::Event: {
        QJsonArray args = packet.data.toArray();
        const QString event = args.takeAt(0).toString();
        Q_EMIT eventReceived(event, args);
        break;
    }
    case PacketType::Ack: Q_EMIT acked(packet.id, packet.data.toArray()); break;
    default: break;
    }
}

QString registerUser(const QUrl &serverUrl, const QString &username, const QString &password)
{
    QNetworkAccessManager network;
    QUrl url = serverUrl;
    url.setPath(QStringLiteral("/api/v1/register"));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    const QJsonObject body { { QStringLiteral("username"), username }, { QStringLiteral("password"), password } };
    QNetworkReply *reply = network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(10000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("token")).toString();
}

} // namespace Confab::Testing
