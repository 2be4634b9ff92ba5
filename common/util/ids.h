// Random identifiers for sessions, sockets and messages.
#pragma once

#include <QByteArray>

namespace Confab {

// 20 characters of URL-safe base64 from 15 random bytes (120 bits).
QByteArray randomId();

} // namespace Confab
