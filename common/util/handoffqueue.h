// A queue from any thread to the thread that made it. Producers append under a mutex
// and, when the queue was empty, write to an eventfd; the consumer's event loop wakes
// on it (one QSocketNotifier) and takes everything queued in one go. Cheaper than a
// queued call per batch (no event allocated), and every edge is one ThreadSanitizer
// sees: our own annotated lock and the eventfd's write → read — where Qt's internal
// event queue, in an uninstrumented library, is invisible to it.
#pragma once

#include <QList>
#include <QMutex>
#include <QSocketNotifier>

#include <functional>
#include <memory>

#include <sys/eventfd.h>
#include <unistd.h>

namespace Confab {

template<typename T> class HandoffQueue
{
public:
    using Handler = std::function<void(QList<T> &&items)>;

    explicit HandoffQueue(Handler handler)
        : m_handler(std::move(handler))
        , m_eventFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
        , m_notifier(std::make_unique<QSocketNotifier>(m_eventFd, QSocketNotifier::Read))
    {
        QObject::connect(m_notifier.get(), &QSocketNotifier::activated, m_notifier.get(), [this] { drain(); });
    }
    ~HandoffQueue()
    {
        m_notifier.reset();
        ::close(m_eventFd);
    }
    HandoffQueue(const HandoffQueue &) = delete;
    HandoffQueue &operator=(const HandoffQueue &) = delete;

    // Any thread.
    void push(T item)
    {
        QMutexLocker locker(&m_mutex);
        m_items.append(std::move(item));
        if (m_items.size() == 1)
            wake();
    }
    void push(QList<T> &&items)
    {
        if (items.isEmpty())
            return;
        QMutexLocker locker(&m_mutex);
        const bool wasEmpty = m_items.isEmpty();
        if (wasEmpty)
            m_items = std::move(items);
        else
            m_items.append(std::move(items));
        if (wasEmpty)
            wake();
    }

    // What is still queued (shutdown).
    QList<T> takeAll()
    {
        QMutexLocker locker(&m_mutex);
        return std::exchange(m_items, {});
    }

private:
    void wake()
    {
        const quint64 one = 1;
        [[maybe_unused]] const ssize_t written = ::write(m_eventFd, &one, sizeof one);
    }
    void drain()
    {
        quint64 count = 0;
        [[maybe_unused]] const ssize_t got = ::read(m_eventFd, &count, sizeof count);
        QList<T> items;
        {
            QMutexLocker locker(&m_mutex);
            items.swap(m_items);
        }
        if (!items.isEmpty())
            m_handler(std::move(items));
    }

    Handler m_handler;
    int m_eventFd;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QMutex m_mutex;
    QList<T> m_items;
};

} // namespace Confab
