// The node's connections to the Redis master: a synchronous one for reads (short
// timeout; Redis sits next to the nodes and answers in tens of microseconds) and an
// asynchronous one on the event loop for the hot path (appends, publishes), which
// never blocks the loop. Together they are a circuit breaker: once it fails, calls fail at once
// without touching the network until a background retry (backoff with jitter) gets through again.
// The retries wait for nothing on the event loop: a stalled or partitioned Redis costs them a
// deadline on the pipelined link, not a blocked loop.
// With Sentinels it asks them for the master at every (re)connect and checks the server's ROLE, so
// a failover is followed on the first error it causes.
#pragma once

#include "redis/redisasynclink.h"
#include "redis/redisendpoint.h"
#include "redis/redislink.h"
#include "util/backoff.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace Confab::Redis {

struct ConnectionOptions
{
    int timeoutMs = 1000;
    // An asynchronous command unanswered this long marks the connection down (a partition).
    // Above the WAIT timeout, which Redis itself answers.
    int commandDeadlineMs = 3000;
    BackoffPolicy retry { 100, 3000 };
};

class RedisConnection : public QObject
{
    Q_OBJECT
public:
    explicit RedisConnection(const RedisEndpoint &endpoint, const ConnectionOptions &options = {},
                             QObject *parent = nullptr);

    // One attempt now; on failure retries run in the background.
    bool open(QString *error = nullptr);
    bool isUp() const { return m_up; }
    // Closes and connects again at once (a Sentinel announced a new master).
    void reconnect();
    const RedisEndpoint &endpoint() const { return m_endpoint; }
    QString masterAddress() const;

    // Nothing when Redis could not be reached (the connection is then down).
    std::optional<RedisReply> command(const Command &command);
    std::optional<QList<RedisReply>> pipeline(const QList<Command> &commands);
    // Without blocking; answered in order. Fails at once while the connection is down.
    void commandAsync(const Command &command, RedisAsyncLink::Callback callback);
    qsizetype asyncPending() const { return m_async.pending(); }

    // Lua scripts run by SHA; a server that lost its script cache (a restart, a new
    // master) is given them again transparently.
    int addScript(const QByteArray &source);
    Command scriptCommand(int script, const QList<QByteArray> &keys, const QList<QByteArray> &args) const;

    qint64 roundTrips() const { return m_roundTrips; }
    qint64 failures() const { return m_failures; }
    qint64 connects() const { return m_connects; }
    double lastRoundTripMs() const { return m_lastRoundTripMs; }

Q_SIGNALS:
    // Up after (re)connecting, before any caller's command; down when a call failed.
    void upChanged(bool up);
    void lastErrorChanged(const QString &error);

private:
    bool connectToMaster(QString *error);
    // A retry: asks ROLE and loads the scripts on the pipelined link, waiting for nothing,
    // and opens the blocking link only once Redis has answered.
    void connectInBackground();
    void loadScriptsInBackground(const HostPort &master, quint64 attempt);
    void finishBackgroundConnect(const HostPort &master);
    void abandonAttempt(const QString &why);
    void markDown(const QString &why);
    void scheduleRetry();
    bool loadScripts();

    RedisEndpoint m_endpoint;
    ConnectionOptions m_options;
    RedisLink m_link;
    RedisAsyncLink m_async;
    HostPort m_master;
    QTimer m_retryTimer;
    Backoff m_backoff;
    int m_attempt = 0;
    QList<QByteArray> m_scripts;
    QList<QByteArray> m_scriptShas;
    qint64 m_roundTrips = 0;
    qint64 m_failures = 0;
    qint64 m_connects = 0;
    double m_lastRoundTripMs = 0;
    bool m_up = false;
    bool m_connecting = false; // a background attempt waits for Redis's answers
    quint64 m_attemptId = 0;   // so a late answer to an abandoned attempt is ignored
};

} // namespace Confab::Redis
