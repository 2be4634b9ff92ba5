#include "auth/passwordhash.h"

#include <QList>
#include <QRandomGenerator>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace Confab::Auth {

namespace {

constexpr int KeyLength = 32;

QByteArray derive(const QByteArray &password, const QByteArray &salt, int log2N, int r, int p)
{
    QByteArray key(KeyLength, Qt::Uninitialized);
    const uint64_t n = uint64_t(1) << log2N;
    const uint64_t maxMemory = 128 * n * uint64_t(r) * uint64_t(p) + (16 << 20);
    if (EVP_PBE_scrypt(password.constData(), size_t(password.size()),
                       reinterpret_cast<const unsigned char *>(salt.constData()), size_t(salt.size()), n, uint64_t(r),
                       uint64_t(p), maxMemory, reinterpret_cast<unsigned char *>(key.data()), size_t(key.size()))
        != 1)
        return {};
    return key;
}

} // namespace

QByteArray hashPassword(const QString &password, const ScryptCost &cost)
{
    QByteArray salt(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(salt.data()), salt.size() / 4);
    const QByteArray key = derive(password.toUtf8(), salt, cost.log2N, cost.r, cost.p);
    return "scrypt$" + QByteArray::number(cost.log2N) + '$' + QByteArray::number(cost.r) + '$'
        + QByteArray::number(cost.p) + '$' + salt.toBase64() + '$' + key.toBase64();
}

bool verifyPassword(const QString &password, const QByteArray &stored)
{
    const QList<QByteArray> parts = stored.split('$');
    if (parts.size() != 6 || parts[0] != "scrypt")
        return false;
    const int log2N = parts[1].toInt();
    const int r = parts[2].toInt();
    const int p = parts[3].toInt();
    if (log2N < 1 || log2N > 22 || r < 1 || r > 32 || p < 1 || p > 16)
        return false;
    const QByteArray expected = QByteArray::fromBase64(parts[5]);
    const QByteArray key = derive(password.toUtf8(), QByteArray::fromBase64(parts[4]), log2N, r, p);
    return key.size() == expected.size() && !key.isEmpty()
        && CRYPTO_memcmp(key.constData(), expected.constData(), size_t(key.size())) == 0;
}

} // namespace Confab::Auth
