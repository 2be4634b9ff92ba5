// POST /api/v1/files: the checks made on the head, the sink the body streams into, and
// the answer once the bytes and the record are durable.
#include "api/fileshandler.h"

#include "api/fileheaders.h"
#include "chat/store.h"
#include "files/filestore.h"
#include "ops/logging.h"
#include "ops/metrics.h"
#include "transport/httpconnection.h"
#include "util/ids.h"

#include <QDateTime>
#include <QPointer>

namespace Confab::Api {

using Transport::HttpBodyPlan;
using Transport::HttpConnection;
using Transport::HttpRequest;
using Transport::HttpResponse;

using namespace FileHeaders;

// Feeds the upload; gives its quota reservation back however it ends.
class UploadSink : public Transport::HttpBodySink
{
public:
    UploadSink(FilesHandler *handler, std::unique_ptr<Files::FileUpload> upload, Chat::FileRecord record)
        : m_handler(handler)
        , m_upload(std::move(upload))
        , m_record(std::move(record))
    {
        m_handler->m_reserved[m_record.uploader] += m_record.size;
    }
    ~UploadSink() override
    {
        if (m_handler) {
            qint64 &reserved = m_handler->m_reserved[m_record.uploader];
            if ((reserved -= m_record.size) <= 0)
                m_handler->m_reserved.remove(m_record.uploader);
        }
    }

    std::optional<HttpResponse> write(QByteArrayView piece) override
    {
        if (m_upload->size() + piece.size() > m_record.size) // cannot happen: the body is Content-Length long
            return fileError(413, QStringLiteral("the body is longer than its Content-Length"));
        if (!m_upload->write(piece)) {
            qCWarning(Ops::lcStore, "upload of %s failed: the disk refused a write", qPrintable(m_record.name));
            m_handler->m_metrics->increment("confab_file_uploads_refused_total", "status=\"507\"");
            return fileError(507, QStringLiteral("the server cannot store the file now; retry later"));
        }
        return std::nullopt;
    }

    void finish(HttpConnection *connection, const HttpRequest &) override
    {
        m_handler->finishUpload(connection, std::move(m_upload), m_record);
    }

private:
    QPointer<FilesHandler> m_handler;
    std::unique_ptr<Files::FileUpload> m_upload;
    Chat::FileRecord m_record;
};

HttpBodyPlan FilesHandler::planUpload(const HttpRequest &head)
{
    HttpBodyPlan plan;
    const auto refuse = [this, &plan](const HttpResponse &response) {
        m_metrics->increment("confab_file_uploads_refused_total",
                             "status=\"" + QByteArray::number(response.status) + '"');
        plan.refusal = response;
        return std::move(plan);
    };
    std::optional<HttpResponse> refusal;
    const std::optional<QString> user = authenticate(head, false, &refusal);
    if (!user)
        return refuse(*refusal);
    const QString name = head.queryItem(QStringLiteral("name"));
    if (!isAcceptableName(name))
        return refuse(fileError(400, QStringLiteral("name: 1 to 255 bytes, no slashes or control characters")));
    const std::optional<QByteArray> type = mediaType(head.header("content-type"));
    if (!type)
        return refuse(fileError(400, QStringLiteral("Content-Type is not a media type")));
    const qint64 length = head.contentLength();
    if (length <= 0)
        return refuse(fileError(length == 0 ? 400 : 411,
                                QStringLiteral("send the file as the body, with its"
                                               " Content-Length; empty files are refused")));
    if (length > m_options.maxFileBytes)
        return refuse(fileError(413, QStringLiteral("files may be at most %1 MiB").arg(m_options.maxFileBytes >> 20)));
    const qint64 used = m_store->fileUsage(*user) + m_reserved.value(*user);
    if (!m_store->isAvailable())
        return refuse(fileError(503, QStringLiteral("the store is unreachable; retry")));
    if (used + length > m_options.quotaBytes)
        return refuse(fileError(
            507, QStringLiteral("over your quota: %1 of %2 MiB used").arg(used >> 20).arg(m_options.quotaBytes >> 20)));
    QString error;
    std::unique_ptr<Files::FileUpload> upload = m_files->beginUpload(&error);
    if (!upload) {
        qCWarning(Ops::lcStore, "cannot start an upload: %s", qPrintable(error));
        return refuse(fileError(507, QStringLiteral("the server cannot store the file now; retry later")));
    }
    Chat::FileRecord record { randomId(), {}, name, *type, length, *user, 0 };
    plan.sink = std::make_unique<UploadSink>(this, std::move(upload), std::move(record));
    return plan;
}

void FilesHandler::finishUpload(HttpConnection *connection, std::unique_ptr<Files::FileUpload> upload,
                                Chat::FileRecord record)
{
    // Syncing megabytes takes long: off the loop. The upload goes with the job and comes
    // back in its answer, so it is removed (if not committed) on this thread.
    auto pending = std::make_shared<std::unique_ptr<Files::FileUpload>>(std::move(upload));
    m_syncs.run(
        [pending] {
            QString error;
            return (*pending)->commit(&error) ? QVariant() : QVariant(error);
        },
        [this, pending, record, connection = QPointer<HttpConnection>(connection)](const QVariant &failure) mutable {
            const auto refuse = [this, &connection](int status, const QString &message) {
                m_metrics->increment("confab_file_uploads_refused_total",
                                     "status=\"" + QByteArray::number(status) + '"');
                if (connection)
                    connection->respond(fileError(status, message));
            };
            if (failure.isValid()) {
                qCWarning(Ops::lcStore, "upload of %s failed: %s", qPrintable(record.name),
                          qPrintable(failure.toString()));
                return refuse(507, QStringLiteral("the server cannot store the file now; retry later"));
            }
            // Recorded even when the client is gone (nobody learns the id): the record is
            // what garbage collection finds, once it is --file-unsent-hours old.
            record.sha256 = (*pending)->sha256();
            record.createdAt = QDateTime::currentMSecsSinceEpoch();
            if (!m_store->addFile(record)) {
                qCWarning(Ops::lcStore, "upload of %s: its record could not be stored", qPrintable(record.name));
                return refuse(503, QStringLiteral("the store cannot record the file now; retry"));
            }
            QString error;
            if (!(*pending)->ensureInPlace(&error)) {
                qCCritical(Ops::lcStore, "upload of %s: %s", qPrintable(record.name), qPrintable(error));
                return refuse(507, QStringLiteral("the server cannot store the file now; retry later"));
            }
            m_metrics->increment("confab_files_uploaded_total");
            m_metrics->increment("confab_file_upload_bytes_total", {}, double(record.size));
            if (!connection)
                return;
            connection->respond(
                HttpResponse::json(201,
                                   { { QStringLiteral("id"), QString::fromLatin1(record.id) },
                                     { QStringLiteral("name"), record.name },
                                     { QStringLiteral("size"), record.size },
                                     { QStringLiteral("type"), QString::fromLatin1(record.type) },
                                     { QStringLiteral("sha256"), QString::fromLatin1(record.sha256) } }));
        });
}

} // namespace Confab::Api
