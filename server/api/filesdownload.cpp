// GET /api/v1/files/<id>: who may see a file, conditional requests (ETag), one byte range,
// and a Content-Disposition that lets a browser show only the listed image types inline.
#include "api/fileshandler.h"

#include "chat/store.h"
#include "files/filestore.h"
#include "ops/logging.h"
#include "ops/metrics.h"
#include "transport/httpconnection.h"

#include <QFile>
#include <QUrl>

namespace Confab::Api {

using Transport::HttpConnection;
using Transport::HttpRequest;
using Transport::HttpResponse;

namespace {

bool isInlineType(const QByteArray &type)
{
    return type == "image/png" || type == "image/jpeg" || type == "image/gif" || type == "image/webp";
}

// RFC 6266: a plain ASCII fallback and the exact name percent-encoded (RFC 8187).
QByteArray contentDisposition(const QString &name, bool isInline)
{
    QByteArray fallback;
    for (const QChar c : name)
        fallback.append(c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\' ? char(c.unicode()) : '_');
    return (isInline ? "inline" : "attachment") + QByteArray("; filename=\"") + fallback + "\"; filename*=UTF-8''"
        + QUrl::toPercentEncoding(name);
}

struct ByteRange
{
    qint64 first = 0;
    qint64 length = 0;
};

// One range of "bytes=first-last", "bytes=first-" or "bytes=-suffix". Nothing: serve the
// whole file (no Range, several ranges, or another unit); a zero length: unsatisfiable.
std::optional<ByteRange> byteRange(const QByteArray &header, qint64 size)
{
    if (!header.startsWith("bytes=") || header.contains(','))
        return std::nullopt;
    const QByteArray spec = header.mid(6).trimmed();
    const qsizetype dash = spec.indexOf('-');
    if (dash < 0)
        return std::nullopt;
    bool firstOk = false;
    bool lastOk = false;
    const qint64 first = spec.left(dash).toLongLong(&firstOk);
    const qint64 last = spec.mid(dash + 1).toLongLong(&lastOk);
    if (dash == 0) { // the last `last` bytes
        if (!lastOk || last <= 0)
            return ByteRange {};
        const qint64 length = std::min(last, size);
        return ByteRange { size - length, length };
    }
    if (!firstOk || first < 0 || (dash + 1 < spec.size() && (!lastOk || last < first)))
        return std::nullopt; // malformed: ignored, as RFC 9110 allows
    if (first >= size)
        return ByteRange {};
    const qint64 end = dash + 1 < spec.size() ? std::min(last, size - 1) : size - 1;
    return ByteRange { first, end - first + 1 };
}

bool etagMatches(const QByteArray &ifNoneMatch, const QByteArray &etag)
{
    if (ifNoneMatch.trimmed() == "*")
        return true;
    for (QByteArray candidate : ifNoneMatch.split(',')) {
        candidate = candidate.trimmed();
        if (candidate.startsWith("W/"))
            candidate = candidate.mid(2);
        if (candidate == etag)
            return true;
    }
    return false;
}

} // namespace

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
