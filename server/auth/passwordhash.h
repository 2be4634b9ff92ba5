// Password hashing with scrypt (OpenSSL 3), a memory-hard KDF. The stored form names
// its parameters, so they can be raised later without breaking old hashes:
//   scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>
#pragma once

#include <QByteArray>
#include <QString>

namespace Confab::Auth {

struct ScryptCost
{
    int log2N = 15; // 32 MiB with r = 8
    int r = 8;
    int p = 1;
};

QByteArray hashPassword(const QString &password, const ScryptCost &cost = {});
// Constant-time comparison of the derived key.
bool verifyPassword(const QString &password, const QByteArray &stored);

} // namespace Confab::Auth
