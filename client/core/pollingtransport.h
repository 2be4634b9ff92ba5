// The HTTP long-polling transport: one GET waiting for the server's packets at all
// times, and POSTs (one at a time) carrying ours.
#pragma once

#include "enginetransport.h"

#include <QNetworkAccessManager>
#include <QPointer>

QT_BEGIN_NAMESPACE
class QNetworkReply;
QT_END_NAMESPACE

namespace Confab::Client {

class PollingTransport : public EngineTransport
{
    Q_OBJECT
public:
    explicit PollingTransport(const TransportOptions &options, QObject *parent = nullptr);
    ~PollingTransport() override;

    QString name() const override { return QStringLiteral("polling"); }
    void open(const QByteArray &sid) override;
    void send(const QList<EngineIo::Packet> &packets) override;
    void close() override;
    // Joins the session named in the handshake the first GET returned.
    void setSid(const QByteArray &sid)
    {
        m_sid = sid;
        flush();
    }
    // Stops polling once the GET in flight returns, then calls back (for the upgrade).
    void pause(std::function<void()> paused);

private:
    void poll();
    void flush();
    QNetworkRequest request() const;

    TransportOptions m_options;
    QNetworkAccessManager m_network;
    QByteArray m_sid;
    QList<EngineIo::Packet> m_outbox;
    QPointer<QNetworkReply> m_poll;
    QPointer<QNetworkReply> m_post;
    std::function<void()> m_paused;
    bool m_closing = false;
};

} // namespace Confab::Client
