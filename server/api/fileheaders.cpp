#include "api/fileheaders.h"

#include <QRegularExpression>
#include <QUrl>

#include <limits>

namespace Confab::Api::FileHeaders {

// A name to show and to offer when saving: never a path, never control characters.
bool isAcceptableName(const QString &name)
{
    if (name.trimmed().isEmpty() || name.toUtf8().size() > MaxNameBytes || name == u"." || name == u"..")
        return false;
    for (const QChar c : name) {
        if (c == u'/' || c == u'\\' || c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            return false;
    }
    return true;
}

// type/subtype as RFC 6838 allows them, parameters dropped, lower-cased; nothing when malformed.
std::optional<QByteArray> mediaType(const QByteArray &header)
{
    static const QRegularExpression valid(QStringLiteral("^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$"));
    if (header.trimmed().isEmpty())
        return QByteArray("application/octet-stream");
    const QByteArray type = header.split(';').first().trimmed().toLower();
    if (type.size() > MaxTypeBytes || !valid.match(QString::fromLatin1(type)).hasMatch())
        return std::nullopt;
    return type;
}

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

// One range of "bytes=first-last", "bytes=first-" or "bytes=-suffix". Nothing: serve the
// whole file (no Range, several ranges, or another unit); a zero length: unsatisfiable.
namespace {

// A run of decimal digits, saturated at the largest qint64 (a position past any file);
// nothing when empty or anything but digits (no sign, no spaces).
std::optional<qint64> position(QByteArrayView digits)
{
    if (digits.isEmpty())
        return std::nullopt;
    qint64 value = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value > (std::numeric_limits<qint64>::max() - 9) / 10 ? std::numeric_limits<qint64>::max()
                                                                      : value * 10 + (c - '0');
    }
    return value;
}

} // namespace

std::optional<ByteRange> byteRange(const QByteArray &header, qint64 size)
{
    if (!header.startsWith("bytes=") || header.contains(','))
        return std::nullopt;
    const QByteArray spec = header.mid(6).trimmed();
    const qsizetype dash = spec.indexOf('-');
    if (dash < 0)
        return std::nullopt;
    const std::optional<qint64> first = position(QByteArrayView(spec).first(dash));
    const QByteArrayView lastPart = QByteArrayView(spec).sliced(dash + 1);
    const std::optional<qint64> last = position(lastPart);
    if (dash == 0) { // the last `last` bytes
        if (!last)
            return std::nullopt; // malformed: ignored, as RFC 9110 allows
        const qint64 length = std::min(*last, size);
        if (length == 0)
            return ByteRange {}; // "-0", or an empty file: unsatisfiable
        return ByteRange { size - length, length };
    }
    if (!first || (!lastPart.isEmpty() && (!last || *last < *first)))
        return std::nullopt;
    if (*first >= size)
        return ByteRange {};
    const qint64 end = last ? std::min(*last, size - 1) : size - 1;
    return ByteRange { *first, end - *first + 1 };
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

} // namespace Confab::Api::FileHeaders
