// libFuzzer target: the HTTP request-head parser and the accessors a handler uses.
#include "transport/httprequest.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView head(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto result = Confab::Transport::parseRequestHead(head);
    if (result.request) {
        (void)result.request->contentLength();
        (void)result.request->wantsKeepAlive();
        (void)result.request->isWebSocketUpgrade();
        (void)result.request->queryItem(QStringLiteral("sid"));
    }
    return 0;
}
