// GET /api/v1/files/<id>: who may see a file, conditional requests (ETag), one byte range,
// and a Content-Disposition that lets a browser show only the listed image types inline.
#include "api/fileshandler.h"

#include "api/fileheaders.h"
#include "chat/store.h"
#include "files/filestore.h"
#include "ops/logging.h"
#include "ops/metrics.h"
#include "transport/httpconnection.h"

#include <QFile>

namespace Confab::Api {

using Transport::HttpConnection;
using Transport::HttpRequest;
using Transport::HttpResponse;

using namespace FileHeaders;

void FilesHandler::download(HttpConnection *connection, const HttpRequest &request, const QByteArray &id)
{
    const auto answer = [this, connection](HttpResponse response) {
        m_metrics->increment("confab_file_downloads_total", "status=\"" + QByteArray::number(response.status) + '"');
        connection->respond(response);
    };
    std::optional<HttpResponse> refusal;
    const std::optional<QString> user = authenticate(request, true, &refusal);
    if (!user)
        return answer(*refusal);
    // Not found and not allowed look the same: ids of others' files are not confirmed.
    const HttpResponse notFound = fileError(404, QStringLiteral("no such file"));
    const std::optional<Chat::FileRecord> file = id.size() <= 64 ? m_store->findFile(id) : std::nullopt;
    if (!m_store->isAvailable())
        return answer(fileError(503, QStringLiteral("the store is unreachable; retry")));
    if (!file || !maySee(*user, *file))
        return answer(notFound);

    const QByteArray etag = '"' + file->sha256 + '"';
    const bool isInline = isInlineType(file->type);
    HttpResponse response;
    response.setHeader("ETag", etag);
    // Revalidated every time (a 304 is cheap): who may see a file can change.
    response.setHeader("Cache-Control", "private, no-cache");
    if (etagMatches(request.header("if-none-match"), etag)) {
        response.status = 304;
        return answer(response);
    }
    auto bytes = std::make_shared<QFile>(m_files->pathOf(file->sha256));
    if (!bytes->open(QIODevice::ReadOnly)) {
        qCWarning(Ops::lcStore, "file %s (%s) cannot be read: %s", id.constData(), file->sha256.constData(),
                  qPrintable(bytes->errorString()));
        return answer(fileError(500, QStringLiteral("the file cannot be read")));
    }
    response.setHeader("Content-Type", isInline ? file->type : QByteArray("application/octet-stream"));
    response.setHeader("Content-Disposition", contentDisposition(file->name, isInline));
    response.setHeader("Accept-Ranges", "bytes");
    const qint64 size = bytes->size();
    ByteRange range { 0, size };
    if (const std::optional<ByteRange> asked = byteRange(request.header("range"), size)) {
        if (asked->length == 0) {
            HttpResponse unsatisfiable = fileError(416, QStringLiteral("the range is outside the file"));
            unsatisfiable.setHeader("Content-Range", "bytes */" + QByteArray::number(size));
            return answer(unsatisfiable);
        }
        range = *asked;
        response.status = 206;
        response.setHeader("Content-Range",
                           "bytes " + QByteArray::number(range.first) + '-'
                               + QByteArray::number(range.first + range.length - 1) + '/' + QByteArray::number(size));
    }
    bytes->seek(range.first);
    response.bodyDevice = bytes;
    response.bodyLength = range.length;
    answer(response);
}

} // namespace Confab::Api
