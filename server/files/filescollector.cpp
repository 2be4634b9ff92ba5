#include "files/filescollector.h"

#include "chat/store.h"
#include "files/filestore.h"
#include "ops/logging.h"
#include "ops/metrics.h"

#include <QDateTime>
#include <QTimerEvent>

#include <limits>

namespace Confab::Files {

FilesCollector::FilesCollector(Chat::Store *store, FileStore *files, Ops::Metrics *metrics, const Options &options,
                               QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_files(files)
    , m_metrics(metrics)
    , m_options(options)
{
    metrics->describe("confab_files_collected_total", Ops::Metrics::Counter,
                      "Upload records forgotten by garbage collection");
    metrics->describe("confab_file_contents_removed_total", Ops::Metrics::Counter,
                      "File contents deleted from disk by garbage collection");
    metrics->describe("confab_file_bytes_removed_total", Ops::Metrics::Counter,
                      "Bytes deleted from disk by garbage collection");
}

void FilesCollector::setInterval(qint64 intervalMs)
{
    if (intervalMs > 0)
        m_timer.start(int(std::min<qint64>(intervalMs, std::numeric_limits<int>::max())), this);
    else
        m_timer.stop();
}

void FilesCollector::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId())
        return QObject::timerEvent(event);
    if (m_running)
        return; // the last pass is still deleting
    collect([](const Pass &pass) {
        if (pass.records > 0 || !pass.ok)
            qCInfo(Ops::lcNode, "files gc: %d records forgotten, %d contents (%lld bytes) deleted%s", pass.records,
                   pass.contents, static_cast<long long>(pass.bytes), pass.ok ? "" : "; the store failed");
    });
}

void FilesCollector::collect(std::function<void(const Pass &)> done)
{
    m_running = true;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // +1: a grace of 0 takes everything created up to now.
    const qint64 createdBefore = now - m_options.graceMs + 1;
    const qint64 abandonedBefore = now - m_options.abandonedAfterMs + 1;
    Pass pass;
    QList<QByteArray> freed;
    for (int batch = 0; batch < MaxBatchesPerPass; ++batch) {
        const auto collected = m_store->collectFiles(createdBefore, abandonedBefore, BatchSize);
        if (!collected) {
            pass.ok = false;
            break;
        }
        pass.records += collected->records;
        freed += collected->freedContents;
        // A batch of candidates that were all kept (in Redis: uploads sent since, leaving the
        // unsent set) still means more may wait behind it.
        if (collected->examined < BatchSize)
            break;
    }
    m_metrics->increment("confab_files_collected_total", {}, pass.records);
    // Deleting can be slow (a network filesystem): off the loop, in two steps around a
    // second look at the store. An upload of the same bytes on another node may have
    // recorded the content since the batch said nobody did: then it goes back.
    m_deletes.run(
        [files = m_files, freed, grace = m_options.graceMs] {
            QStringList aside;
            for (const QByteArray &sha : freed) {
                if (files->setAside(sha, grace))
                    aside.append(QString::fromLatin1(sha));
            }
            return QVariant(aside);
        },
        [this, pass, done = std::move(done)](const QVariant &aside) mutable {
            QStringList keep, remove;
            for (const QString &sha : aside.toStringList()) {
                const auto recorded = m_store->isContentRecorded(sha.toLatin1());
                (recorded.value_or(true) ? keep : remove).append(sha); // unsure: keep it
            }
            finishRemovals(keep, remove, pass, std::move(done));
        });
}

void FilesCollector::finishRemovals(const QStringList &keep, const QStringList &remove, Pass pass,
                                    std::function<void(const Pass &)> done)
{
    m_deletes.run(
        [files = m_files, keep, remove] {
            qint64 bytes = 0, contents = 0;
            for (const QString &sha : keep)
                files->finishRemoval(sha.toLatin1(), true);
            for (const QString &sha : remove) {
                if (const qint64 size = files->finishRemoval(sha.toLatin1(), false); size > 0) {
                    bytes += size;
                    ++contents;
                }
            }
            return QVariant::fromValue(QList<qint64> { contents, bytes });
        },
        [this, pass, done = std::move(done)](const QVariant &result) mutable {
            const auto counts = result.value<QList<qint64>>();
            pass.contents = int(counts.value(0));
            pass.bytes = counts.value(1);
            m_metrics->increment("confab_file_contents_removed_total", {}, pass.contents);
            m_metrics->increment("confab_file_bytes_removed_total", {}, double(pass.bytes));
            m_running = false;
            done(pass);
        });
}

} // namespace Confab::Files
