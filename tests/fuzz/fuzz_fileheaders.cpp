// libFuzzer target: the upload path's head and query (name, Content-Type) and a download's
// Range and If-None-Match, as a client sends them. Beyond not crashing, what comes out must
// keep its promises: an accepted name is never a path, a media type is one token pair, a
// range lies inside the file, and a Content-Disposition is one header line.
#include "api/fileheaders.h"
#include "transport/httprequest.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Confab::Api::FileHeaders;

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView head(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto result = Confab::Transport::parseRequestHead(head);
    if (!result.request)
        return 0;
    const Confab::Transport::HttpRequest &request = *result.request;

    const QString name = request.queryItem(QStringLiteral("name"));
    if (isAcceptableName(name)) {
        require(!name.contains(u'/') && !name.contains(u'\\') && name != u".." && name != u".");
        for (const bool isInline : { true, false }) {
            const QByteArray disposition = contentDisposition(name, isInline);
            require(!disposition.contains('\r') && !disposition.contains('\n') && disposition.count('"') == 2);
        }
    }
    if (const auto type = mediaType(request.header("content-type"))) {
        require(type->count('/') == 1 && type->size() <= MaxTypeBytes && *type == type->toLower());
        require(!type->contains(';') && !type->contains(' '));
    }
    // The file's size from the body's length header, as a download knows its own.
    const qint64 length = request.contentLength();
    const qint64 fileSize = length > 0 ? length % (qint64(1) << 40) : 0;
    if (const auto range = byteRange(request.header("range"), fileSize)) {
        require(range->first >= 0 && range->length >= 0);
        require(range->length == 0 || range->first + range->length <= fileSize);
    }
    (void)etagMatches(request.header("if-none-match"), request.header("etag"));
    return 0;
}
