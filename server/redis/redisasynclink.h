// A connection on hiredis's asynchronous API, driven by the Qt event loop through
// QSocketNotifiers: commands are written without waiting and answered by callback, in
// order, so any number can be in flight (pipelining) without blocking the loop. The
// queue of unanswered commands is bounded; past the bound a command fails at once. A link
// whose oldest unanswered command waits past the deadline is declared lost: a Redis behind a
// network partition sends no RST or FIN, so the socket alone would never say so.
#pragma once

#include "redis/redisendpoint.h"
#include "redis/redislink.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSocketNotifier>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

struct redisAsyncContext;

namespace Confab::Redis {

class RedisAsyncLink : public QObject
{
    Q_OBJECT
public:
    // Nothing: the command could not be sent or the connection was lost before the answer.
    using Callback = std::function<void(const std::optional<RedisReply> &reply)>;

    explicit RedisAsyncLink(qsizetype maxPending = 200000, QObject *parent = nullptr);
    ~RedisAsyncLink() override;

    // Starts connecting (commands may be issued at once; hiredis buffers them).
    bool open(const HostPort &address, int database, QString *error);
    // Fails every unanswered command and closes.
    void close();
    bool isOpen() const { return m_context != nullptr; }
    void command(const Command &command, Callback callback);
    qsizetype pending() const { return m_pending; }
    // How long Redis may leave the link without any answer while commands wait (0: forever).
    void setDeadline(int ms);

Q_SIGNALS:
    void lost(const QString &why);

private:
    static void onReply(redisAsyncContext *context, void *reply, void *privdata);
    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void addRead(void *self);
    static void delRead(void *self);
    static void addWrite(void *self);
    static void delWrite(void *self);
    static void cleanup(void *self);
    void dropNotifiers();
    void checkDeadline();

    redisAsyncContext *m_context = nullptr;
    std::unique_ptr<QSocketNotifier> m_read;
    std::unique_ptr<QSocketNotifier> m_write;
    qsizetype m_pending = 0;
    qsizetype m_maxPending;
    QTimer m_watchdog;
    QElapsedTimer m_sinceProgress; // since the last answer, or since a command was sent into silence
    int m_deadlineMs = 0;
};

} // namespace Confab::Redis
