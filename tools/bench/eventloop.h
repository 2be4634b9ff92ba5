// A minimal epoll loop for the load generator. Qt's event loop costs more per socket
// than the server's work per delivery, and a generator must never be the bottleneck,
// so confab-bench drives its sockets directly.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace Confab::Bench {

class EventLoop
{
public:
    using Handler = std::function<void(uint32_t events)>;

    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop &) = delete;
    EventLoop &operator=(const EventLoop &) = delete;

    void watch(int fd, uint32_t events, Handler *handler);
    void modify(int fd, uint32_t events, Handler *handler);
    void unwatch(int fd);
    // Runs until stop() or until `untilNs` (CLOCK_MONOTONIC) passes; `tick` runs every
    // tickNs (publishers, progress) when given.
    void run(int64_t untilNs, int64_t tickNs = 0, const std::function<void()> &tick = {});
    void stop() { m_running = false; }

    static int64_t nowNs();

private:
    int m_epoll;
    bool m_running = false;
};

} // namespace Confab::Bench
