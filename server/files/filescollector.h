// Garbage collection of uploads: records no live message carries (only deleted messages
// did, or none ever did and the upload is a day old) are forgotten by the store, then the
// contents no record refers to any more are deleted from the file store, off the event
// loop. Runs every hour by itself, and on demand (`confabctl files gc`). In a cluster
// every node runs it; the store's per-record checks are atomic, so passes may overlap.
#pragma once

#include "api/offloop.h"

#include <QBasicTimer>
#include <QObject>

#include <functional>

namespace Confab::Chat {
class Store;
}
namespace Confab::Ops {
class Metrics;
}

namespace Confab::Files {

class FileStore;

class FilesCollector : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        // An upload no message carries is kept this long: its client may still be sending
        // it (an outbox waiting for the connection).
        qint64 abandonedAfterMs = 24LL * 60 * 60 * 1000;
        // Nothing younger is collected, and a content written or touched this recently is
        // kept: an upload of the same bytes may be about to record it.
        qint64 graceMs = 60 * 60 * 1000;
    };

    FilesCollector(Chat::Store *store, FileStore *files, Ops::Metrics *metrics, const Options &options,
                   QObject *parent = nullptr);

    struct Pass
    {
        bool ok = true;   // false: the store failed (what was done is counted)
        int records = 0;  // forgotten
        int contents = 0; // deleted from disk
        qint64 bytes = 0; // their size
    };
    // One pass now; `done` on this thread when its contents are deleted.
    void collect(std::function<void(const Pass &)> done);
    // Passes every intervalMs (0: none).
    void setInterval(qint64 intervalMs);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    static constexpr int BatchSize = 500;
    static constexpr int MaxBatchesPerPass = 20; // the rest waits for the next pass

    // The second step: contents set aside go back (kept) or are deleted (removed).
    void finishRemovals(const QStringList &keep, const QStringList &remove, Pass pass,
                        std::function<void(const Pass &)> done);

    Chat::Store *m_store;
    FileStore *m_files;
    Ops::Metrics *m_metrics;
    Options m_options;
    QBasicTimer m_timer;
    bool m_running = false;
    Api::OffLoopRunner m_deletes { 1 };
};

} // namespace Confab::Files
