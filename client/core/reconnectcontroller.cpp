#include "reconnectcontroller.h"

#include "chat/errors.h"

#include <QNetworkInformation>
#include <QTimerEvent>

namespace Confab::Client {

ReconnectController::ReconnectController(SocketIoClient *client, const BackoffPolicy &policy, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_backoff(policy)
{
    connect(client, &SocketIoClient::connected, this, [this](const QString &nsp) {
        if (nsp != m_namespace || m_status == Status::Idle)
            return;
        m_attempt = 0;
        setStatus(Status::Connected);
    });
    connect(client, &SocketIoClient::connectError, this, [this](const QString &nsp, const QJsonObject &data) {
        if (nsp != m_namespace || m_status == Status::Idle)
            return;
        if (data.value(QStringLiteral("message")).toString() == Chat::errorCodeName(Chat::ErrorCode::Unavailable)) {
            // The server cannot check the token right now (its store is out of reach):
            // a reason to come back, not to give up.
            m_client->close();
            scheduleRetry();
            return;
        }
        setStatus(Status::Refused);
        m_client->close();
        Q_EMIT refused(data);
    });
    connect(client, &SocketIoClient::eventReceived, this,
            [this](const QString &nsp, const QString &event, const QJsonArray &args) {
                // The server is about to close this transport to shed load or drain.
                if (nsp == m_namespace && event == QLatin1String("server:advice"))
                    m_advisedMs = args.at(0).toObject().value(QStringLiteral("reconnectAfterMs")).toInt();
            });
    connect(client, &SocketIoClient::disconnected, this, [this](const QString &nsp, const QString &reason) {
        if (nsp != m_namespace || m_status == Status::Idle || m_status == Status::Refused)
            return;
        if (reason == QLatin1String("io server disconnect")) {
            // Socket.IO semantics: a server-side namespace disconnect is deliberate.
            setStatus(Status::Idle);
            return;
        }
        m_client->close(); // a clean engine for the next attempt
        scheduleRetry();
    });
    connect(client->engine(), &EngineIoClient::closed, this, [this](const QString &, int, int retryAfterMs) {
        if (retryAfterMs > 0)
            m_advisedMs = retryAfterMs; // 503 + Retry-After: the server said when
        // A failed attempt (server down, overloaded…): the socket never connected.
        if (m_status == Status::Connecting)
            scheduleRetry();
    });
    // Where the platform reports reachability (NetworkManager on Linux), use it.
    if (QNetworkInformation::loadDefaultBackend()) {
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
                [this](QNetworkInformation::Reachability reachability) {
                    const bool online = reachability == QNetworkInformation::Reachability::Online;
                    if (online && (m_status == Status::Waiting || m_status == Status::Offline)) {
                        m_status = Status::Waiting; // let retryNow() proceed
                        retryNow();
                    } else if (reachability == QNetworkInformation::Reachability::Disconnected
                               && m_status == Status::Waiting) {
                        m_retryTimer.stop();
                        setStatus(Status::Offline);
                    }
                });
    }
}

qint64 ReconnectController::nextAttemptInMs() const
{
    if (m_status != Status::Waiting)
        return 0;
    return std::max<qint64>(0, m_waitMs - m_waitClock.elapsed());
}

void ReconnectController::setStatus(Status status)
{
    if (m_status == status)
        return;
    m_status = status;
    Q_EMIT statusChanged(status);
}

void ReconnectController::start(const QString &nsp, const QJsonObject &auth)
{
    m_namespace = nsp;
    m_auth = auth;
    m_attempt = 0;
    connectNow();
}

void ReconnectController::stop()
{
    m_retryTimer.stop();
    setStatus(Status::Idle);
    m_client->close();
}

void ReconnectController::retryNow()
{
    if (m_status != Status::Waiting)
        return;
    m_retryTimer.stop();
    connectNow();
}

void ReconnectController::connectNow()
{
    setStatus(Status::Connecting);
    m_client->connectNamespace(m_namespace, m_auth);
}

void ReconnectController::scheduleRetry()
{
    if (m_status == Status::Waiting)
        return;
    m_waitMs = m_backoff.delayMs(m_attempt, std::exchange(m_advisedMs, std::nullopt));
    ++m_attempt;
    m_waitClock.start();
    m_retryTimer.start(m_waitMs, this);
    setStatus(Status::Waiting);
    Q_EMIT retryScheduled(m_attempt, m_waitMs);
}

void ReconnectController::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_retryTimer.timerId())
        return QObject::timerEvent(event);
    m_retryTimer.stop();
    connectNow();
}

} // namespace Confab::Client
