#include "redis/redisasynclink.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <vector>

namespace Confab::Redis {

namespace {

struct Pending
{
    RedisAsyncLink *link;
    RedisAsyncLink::Callback callback;
};

} // namespace

RedisAsyncLink::RedisAsyncLink(qsizetype maxPending, QObject *parent)
    : QObject(parent)
    , m_maxPending(maxPending)
{
    connect(&m_watchdog, &QTimer::timeout, this, &RedisAsyncLink::checkDeadline);
}

void RedisAsyncLink::setDeadline(int ms)
{
    m_deadlineMs = ms;
    m_watchdog.setInterval(std::max(50, ms / 4));
    if (ms <= 0)
        m_watchdog.stop();
    else if (m_context)
        m_watchdog.start();
}

void RedisAsyncLink::checkDeadline()
{
    if (!m_context || m_pending == 0 || m_sinceProgress.elapsed() < m_deadlineMs)
        return;
    // After a long stall of our own loop, answers may wait unread behind this timer: read
    // them first (the socket is non-blocking) so a healthy link is not declared lost.
    redisAsyncHandleRead(m_context);
    if (!m_context || m_pending == 0 || m_sinceProgress.elapsed() < m_deadlineMs)
        return;
    // Lost first, so the owner counts the link down before the waiting callbacks run;
    // then they fail: their callers answer "unavailable".
    Q_EMIT lost(
        QStringLiteral("no answer from Redis in %1 ms with %2 commands waiting").arg(m_deadlineMs).arg(m_pending));
    close();
}

RedisAsyncLink::~RedisAsyncLink()
{
    close();
}

bool RedisAsyncLink::open(const HostPort &address, int database, QString *error)
{
    close();
    redisAsyncContext *context = redisAsyncConnect(address.host.toUtf8().constData(), address.port);
    if (!context || context->err) {
        if (error)
            *error = context ? QString::fromUtf8(context->errstr) : QStringLiteral("out of memory");
        if (context)
            redisAsyncFree(context);
        return false;
    }
    m_context = context;
    context->data = this;
    context->ev.data = this;
    context->ev.addRead = &RedisAsyncLink::addRead;
    context->ev.delRead = &RedisAsyncLink::delRead;
    context->ev.addWrite = &RedisAsyncLink::addWrite;
    context->ev.delWrite = &RedisAsyncLink::delWrite;
    context->ev.cleanup = &RedisAsyncLink::cleanup;
    redisAsyncSetConnectCallback(context, &RedisAsyncLink::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisAsyncLink::onDisconnect);
    // hiredis waits for the connect to finish through a write-readiness event.
    addWrite(this);
    if (m_deadlineMs > 0)
        m_watchdog.start();
    command({ "SELECT", QByteArray::number(database) }, [](const std::optional<RedisReply> &) {});
    return true;
}

void RedisAsyncLink::close()
{
    m_watchdog.stop();
    if (!m_context)
        return;
    redisAsyncContext *context = m_context;
    m_context = nullptr; // hiredis calls back with nothing for every unanswered command
    redisAsyncFree(context);
}

void RedisAsyncLink::command(const Command &command, Callback callback)
{
    if (!m_context || m_pending >= m_maxPending)
        return callback(std::nullopt);
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const QByteArray &arg : command) {
        argv.push_back(arg.constData());
        lengths.push_back(size_t(arg.size()));
    }
    auto *pending = new Pending { this, std::move(callback) };
    if (redisAsyncCommandArgv(m_context, &RedisAsyncLink::onReply, pending, int(argv.size()), argv.data(),
                              lengths.data())
        != REDIS_OK) {
        Callback failed = std::move(pending->callback);
        delete pending;
        return failed(std::nullopt);
    }
    if (m_pending++ == 0)
        m_sinceProgress.start(); // the clock runs only while something waits for an answer
}

void RedisAsyncLink::onReply(redisAsyncContext *, void *reply, void *privdata)
{
    std::unique_ptr<Pending> pending(static_cast<Pending *>(privdata));
    --pending->link->m_pending;
    pending->link->m_sinceProgress.start();
    if (!reply)
        return pending->callback(std::nullopt);
    pending->callback(RedisReply::from(static_cast<redisReply *>(reply)));
}

void RedisAsyncLink::onConnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisAsyncLink *>(context->data);
    if (status == REDIS_OK || self->m_context != context)
        return;
    // A refused connect: hiredis frees the context after this returns (failing what was
    // queued) and, never connected, calls no disconnect callback.
    self->m_context = nullptr;
    self->m_watchdog.stop();
    Q_EMIT self->lost(QStringLiteral("connect: %1").arg(QString::fromUtf8(context->errstr)));
}

void RedisAsyncLink::onDisconnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisAsyncLink *>(context->data);
    // close() forgets its context before freeing it: only a loss we did not cause is news.
    if (self->m_context != context)
        return;
    self->m_context = nullptr; // hiredis frees the context after this returns
    self->m_watchdog.stop();
    Q_UNUSED(status);
    Q_EMIT self->lost(QString::fromUtf8(context->errstr));
}

// The event hooks hiredis calls: one notifier per direction on the connection's socket.
void RedisAsyncLink::addRead(void *data)
{
    auto *self = static_cast<RedisAsyncLink *>(data);
    if (!self->m_read) {
        self->m_read = std::make_unique<QSocketNotifier>(self->m_context->c.fd, QSocketNotifier::Read);
        connect(self->m_read.get(), &QSocketNotifier::activated, self, [self] {
            if (self->m_context)
                redisAsyncHandleRead(self->m_context);
        });
    }
    self->m_read->setEnabled(true);
}

void RedisAsyncLink::delRead(void *data)
{
    auto *self = static_cast<RedisAsyncLink *>(data);
    if (self->m_read)
        self->m_read->setEnabled(false);
}

void RedisAsyncLink::addWrite(void *data)
{
    auto *self = static_cast<RedisAsyncLink *>(data);
    if (!self->m_write) {
        self->m_write = std::make_unique<QSocketNotifier>(self->m_context->c.fd, QSocketNotifier::Write);
        connect(self->m_write.get(), &QSocketNotifier::activated, self, [self] {
            if (self->m_context)
                redisAsyncHandleWrite(self->m_context);
        });
    }
    self->m_write->setEnabled(true);
}

void RedisAsyncLink::delWrite(void *data)
{
    auto *self = static_cast<RedisAsyncLink *>(data);
    if (self->m_write)
        self->m_write->setEnabled(false);
}

void RedisAsyncLink::cleanup(void *data)
{
    static_cast<RedisAsyncLink *>(data)->dropNotifiers();
}

void RedisAsyncLink::dropNotifiers()
{
    // We may be inside one of these notifiers' activated(): delete them later.
    for (auto *notifier : { m_read.release(), m_write.release() }) {
        if (notifier) {
            notifier->setEnabled(false);
            notifier->deleteLater();
        }
    }
}

} // namespace Confab::Redis
