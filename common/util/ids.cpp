#include "util/ids.h"

#include <QRandomGenerator>

#include <array>

namespace Confab {

QByteArray randomId()
{
    std::array<quint32, 4> words;
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    const QByteArray bytes(reinterpret_cast<const char *>(words.data()), 15);
    QByteArray id = bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    // An id is an argument on command lines (confab-cli edit ROOM ID): one starting
    // with '-' would read as options there. Those six bits come from another alphabet.
    if (id.startsWith('-'))
        id[0] = char('A' + (words[3] >> 24) % 26); // the one byte of the four words not encoded
    return id;
}

} // namespace Confab
