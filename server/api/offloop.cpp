#include "api/offloop.h"

#include <pthread.h>

namespace Confab::Api {

OffLoopRunner::OffLoopRunner(int threads)
    : m_results([this](QList<std::pair<quint64, QVariant>> &&results) {
        for (const auto &[id, result] : results) {
            if (Done done = m_done.take(id))
                done(result);
        }
    })
{
    for (int i = 0; i < qMax(1, threads); ++i)
        m_threads.emplace_back([this] { serve(); });
}

OffLoopRunner::~OffLoopRunner()
{
    {
        std::lock_guard locker(m_mutex);
        m_stopping = true;
        m_jobs.clear();
    }
    m_wake.notify_all();
    for (std::thread &thread : m_threads)
        thread.join();
}

void OffLoopRunner::run(Work work, Done done)
{
    const quint64 id = m_nextId++;
    m_done.insert(id, std::move(done));
    {
        std::lock_guard locker(m_mutex);
        m_jobs.push_back({ id, std::move(work) });
    }
    m_wake.notify_one();
}

void OffLoopRunner::serve()
{
    pthread_setname_np(pthread_self(), "confab-kdf");
    for (;;) {
        Job job;
        {
            std::unique_lock locker(m_mutex);
            m_wake.wait(locker, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_stopping)
                return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        m_results.push({ job.id, job.work() });
    }
}

} // namespace Confab::Api
