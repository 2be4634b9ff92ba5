#include "eventloop.h"

#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace Confab::Bench {

EventLoop::EventLoop()
    : m_epoll(epoll_create1(EPOLL_CLOEXEC))
{
    if (m_epoll < 0)
        throw std::runtime_error("epoll_create1 failed");
}

EventLoop::~EventLoop()
{
    close(m_epoll);
}

int64_t EventLoop::nowNs()
{
    timespec now {};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return int64_t(now.tv_sec) * 1000000000 + now.tv_nsec;
}

void EventLoop::watch(int fd, uint32_t events, Handler *handler)
{
    epoll_event event { events, { handler } };
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
}

void EventLoop::modify(int fd, uint32_t events, Handler *handler)
{
    epoll_event event { events, { handler } };
    epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
}

void EventLoop::unwatch(int fd)
{
    epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
}

void EventLoop::run(int64_t untilNs, int64_t tickNs, const std::function<void()> &tick)
{
    m_running = true;
    std::vector<epoll_event> ready(1024);
    int64_t nextTick = tickNs > 0 ? nowNs() + tickNs : INT64_MAX;
    while (m_running) {
        const int64_t now = nowNs();
        if (now >= untilNs)
            break;
        if (now >= nextTick) {
            tick();
            nextTick += tickNs;
            if (nextTick < now)
                nextTick = now + tickNs; // fell behind: do not burst to catch up
            continue;
        }
        const int64_t waitNs = std::min(untilNs, nextTick) - now;
        const int count = epoll_wait(m_epoll, ready.data(), int(ready.size()),
                                     int(std::max<int64_t>(0, (waitNs + 999999) / 1000000)) /* never spin */);
        for (int i = 0; i < count; ++i)
            (*static_cast<Handler *>(ready[size_t(i)].data.ptr))(ready[size_t(i)].events);
    }
}

} // namespace Confab::Bench
