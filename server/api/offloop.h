// Slow pure work (password hashing: scrypt takes tens of ms and 32 MiB) on a few threads
// of our own, its answer delivered on the thread that asked. Not QThreadPool: its queue
// lives in an uninstrumented library, so ThreadSanitizer could not follow a job from the
// asking thread to the pool and back; here every hand-over is a std::mutex or the
// HandoffQueue's eventfd.
#pragma once

#include "util/handoffqueue.h"

#include <QHash>
#include <QVariant>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace Confab::Api {

class OffLoopRunner
{
public:
    using Work = std::function<QVariant()>;
    using Done = std::function<void(const QVariant &result)>;

    explicit OffLoopRunner(int threads);
    ~OffLoopRunner(); // waits for the running jobs; queued ones are dropped unanswered

    // `work` runs on a pool thread; `done` later on this (the constructing) thread.
    void run(Work work, Done done);

private:
    struct Job
    {
        quint64 id;
        Work work;
    };
    void serve();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
    quint64 m_nextId = 1;
    QHash<quint64, Done> m_done; // this thread only
    HandoffQueue<std::pair<quint64, QVariant>> m_results;
};

} // namespace Confab::Api
