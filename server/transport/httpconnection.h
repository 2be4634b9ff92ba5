// One client TCP (or TLS) connection speaking HTTP/1.1: reads request heads and
// bodies within limits, hands each request to the listener, writes the answer, and
// hands the raw socket over for a WebSocket upgrade. One request at a time: the next
// one is read only after the current one is answered (long-polling answers late).
#pragma once

#include "transport/httpbodysink.h"
#include "transport/httprequest.h"
#include "transport/httpresponse.h"

#include <QBasicTimer>
#include <QObject>
#include <QPointer>

#include <functional>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace Confab::Transport {

struct HttpLimits
{
    qsizetype maxHeadBytes = 16 * 1024;
    qint64 maxBodyBytes = 1000000;
    int headDeadlineMs = 10000;    // the whole head must arrive in this time (slowloris)
    int bodyDeadlineMs = 30000;    // a body read into memory; for a streamed one: the longest pause
    int uploadDeadlineMs = 600000; // a streamed body (an upload) must be complete in this time
    // A body refused unread (413, 507) is still read and dropped, up to this much, before
    // the connection closes: a client that sends the whole body first (most do) then
    // reads the answer instead of a reset.
    qint64 maxDiscardBytes = 64 * 1024 * 1024;
    int idleTimeoutMs = 60000;     // keep-alive connections with no request
    TrustedProxies trustedProxies; // whose X-Forwarded-For names the client
};

class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, const HttpLimits &limits, bool isSecure, QObject *parent = nullptr);
    ~HttpConnection() override;

    // Asked with each request head (the listener routes it to a handler's planBody).
    void setBodyPlanner(std::function<HttpBodyPlan(const HttpRequest &head)> planner)
    {
        m_planBody = std::move(planner);
    }

    void respond(const HttpResponse &response);
    bool isAwaitingResponse() const { return m_awaitingResponse; }
    // Gives the socket, read up to the end of the upgrade request, to the caller; this
    // object deletes itself later.
    QTcpSocket *takeSocketForUpgrade();
    void close();

Q_SIGNALS:
    void requestReceived(Confab::Transport::HttpConnection *connection, const Confab::Transport::HttpRequest &request);
    void upgradeRequested(Confab::Transport::HttpConnection *connection, const Confab::Transport::HttpRequest &request);
    // The client went away; a handler holding this connection drops it.
    void closed(Confab::Transport::HttpConnection *connection);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void readAvailable();
    bool readHead();
    void readBody();
    void streamBody();
    bool planBody(HttpRequest &request, qint64 length);
    void writeHead(const HttpResponse &response, qint64 contentLength);
    // Sends the next pieces of a device body while the socket's buffer is short.
    void pumpBody();
    void responseWritten();
    // Answers and closes, reading and dropping the `unread` bytes of body first (within limits).
    void refuseBody(const HttpResponse &response, qint64 unread);
    void discardBody();
    void dispatch();
    void fail(int status, const QByteArray &message);
    void armDeadline(int ms);

    QPointer<QTcpSocket> m_socket;
    HttpLimits m_limits;
    bool m_isSecure;
    std::optional<HttpRequest> m_request; // head read, body pending
    qint64 m_bodyRemaining = 0;
    std::function<HttpBodyPlan(const HttpRequest &)> m_planBody;
    std::unique_ptr<HttpBodySink> m_sink;   // the current request's body goes here, or into m_request
    std::shared_ptr<QIODevice> m_outDevice; // the answer's body still being sent
    qint64 m_outRemaining = 0;
    qint64 m_discardRemaining = 0; // of a refused body, still to be read and dropped
    bool m_awaitingResponse = false;
    bool m_keepAlive = true;
    bool m_closing = false;
    QBasicTimer m_deadline;
    QBasicTimer m_uploadDeadline;
};

} // namespace Confab::Transport
