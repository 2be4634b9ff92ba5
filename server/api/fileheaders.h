// The pieces of a file request a client controls, checked and answered: the upload's name
// and media type, and a download's Range, If-None-Match and Content-Disposition. Pure
// functions, so the fuzzer (tests/fuzz/fuzz_fileheaders.cpp) can reach every one.
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace Confab::Api::FileHeaders {

constexpr qsizetype MaxNameBytes = 255;
constexpr qsizetype MaxTypeBytes = 127;

// A name to show and to offer when saving: never a path, never control characters.
bool isAcceptableName(const QString &name);
// type/subtype as RFC 6838 allows them, parameters dropped, lower-cased; an absent one is
// application/octet-stream; nothing when malformed.
std::optional<QByteArray> mediaType(const QByteArray &header);
// The types served inline; everything else (HTML, SVG, text) is an attachment.
bool isInlineType(const QByteArray &type);
// RFC 6266: a plain ASCII fallback and the exact name percent-encoded (RFC 8187).
QByteArray contentDisposition(const QString &name, bool isInline);

struct ByteRange
{
    qint64 first = 0;
    qint64 length = 0; // 0: unsatisfiable (416)
};
// One range of "bytes=first-last", "bytes=first-" or "bytes=-suffix" within a file of
// `size` bytes. Nothing: serve the whole file (no Range, several ranges, another unit, or
// malformed, which RFC 9110 lets a server ignore).
std::optional<ByteRange> byteRange(const QByteArray &header, qint64 size);
// If-None-Match against the file's ETag (weak or strong, a list, or *).
bool etagMatches(const QByteArray &ifNoneMatch, const QByteArray &etag);

} // namespace Confab::Api::FileHeaders
