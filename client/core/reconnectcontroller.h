// The one reconnect policy, in one place: keeps a namespace connected through server
// restarts and network loss. Waits with full-jitter backoff between attempts, honours
// `server:advice {reconnectAfterMs}`, retries at once when the network comes back,
// and stops on a refusal that retrying cannot fix (unauthorized). Its state is exposed
// for a UI ("Reconnecting in N s — Retry now").
#pragma once

#include "socketioclient.h"
#include "util/backoff.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QObject>

#include <optional>

namespace Confab::Client {

class ReconnectController : public QObject
{
    Q_OBJECT
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(int attempt READ attempt NOTIFY statusChanged)
    Q_PROPERTY(qint64 nextAttemptInMs READ nextAttemptInMs NOTIFY statusChanged STORED false)
public:
    // Waiting: a retry is scheduled (nextAttemptInMs). Offline: the system reports no
    // network; the next attempt starts as soon as it is back.
    enum class Status { Idle, Connecting, Connected, Waiting, Offline, Refused };
    Q_ENUM(Status)

    ReconnectController(SocketIoClient *client, const BackoffPolicy &policy = {}, QObject *parent = nullptr);

    Status status() const { return m_status; }
    int attempt() const { return m_attempt; }
    qint64 nextAttemptInMs() const;

    void start(const QString &nsp, const QJsonObject &auth);
    void setAuth(const QJsonObject &auth) { m_auth = auth; }
    void stop();
    // Skips the wait ("Retry now", or the network came back).
    void retryNow();

Q_SIGNALS:
    void statusChanged(Confab::Client::ReconnectController::Status status);
    void retryScheduled(int attempt, int inMilliseconds);
    // The server refused the credentials: a new token is needed before retrying.
    void refused(const QJsonObject &data);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void setStatus(Status status);
    void connectNow();
    void scheduleRetry();

    SocketIoClient *m_client;
    Backoff m_backoff;
    QString m_namespace;
    QJsonObject m_auth;
    Status m_status = Status::Idle;
    int m_attempt = 0;
    std::optional<int> m_advisedMs;
    QBasicTimer m_retryTimer;
    QElapsedTimer m_waitClock;
    int m_waitMs = 0;
};

} // namespace Confab::Client
