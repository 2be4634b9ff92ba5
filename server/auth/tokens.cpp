#include "auth/tokens.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

#include <openssl/crypto.h>

namespace Confab::Auth {

namespace {

constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray sign(const QByteArray &signingInput, const QByteArray &secret)
{
    return QMessageAuthenticationCode::hash(signingInput, secret, QCryptographicHash::Sha256).toBase64(Base64Url);
}

bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

} // namespace

TokenSigner::TokenSigner(const QByteArray &secret, const QByteArray &previousSecret)
    : m_secret(secret)
    , m_previousSecret(previousSecret)
{
}

QByteArray TokenSigner::issue(const QString &user, qint64 nowSeconds, qint64 ttlSeconds) const
{
    static const QByteArray header = QByteArray(R"({"alg":"HS256","typ":"JWT"})").toBase64(Base64Url);
    const QJsonObject claims { { QStringLiteral("sub"), user },
                               { QStringLiteral("iat"), nowSeconds },
                               { QStringLiteral("exp"), nowSeconds + ttlSeconds } };
    const QByteArray signingInput
        = header + '.' + QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(Base64Url);
    return signingInput + '.' + sign(signingInput, m_secret);
}

std::optional<TokenClaims> TokenSigner::verify(const QByteArray &token, qint64 nowSeconds) const
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3 || token.size() > 4096)
        return std::nullopt;
    const QByteArray signingInput = parts[0] + '.' + parts[1];
    const bool signedByCurrent = sameBytes(sign(signingInput, m_secret), parts[2]);
    const bool signedByPrevious
        = !m_previousSecret.isEmpty() && sameBytes(sign(signingInput, m_previousSecret), parts[2]);
    if (!signedByCurrent && !signedByPrevious)
        return std::nullopt;
    const auto header = QJsonDocument::fromJson(QByteArray::fromBase64(parts[0], QByteArray::Base64UrlEncoding));
    if (header.object().value(QStringLiteral("alg")).toString() != QLatin1String("HS256"))
        return std::nullopt;
    const QJsonObject claims
        = QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding)).object();
    TokenClaims result { claims.value(QStringLiteral("sub")).toString(),
                         qint64(claims.value(QStringLiteral("iat")).toDouble()),
                         qint64(claims.value(QStringLiteral("exp")).toDouble()) };
    if (result.user.isEmpty() || result.expiresAt <= nowSeconds)
        return std::nullopt;
    return result;
}

std::optional<QByteArray> TokenSigner::loadOrCreateSecret(const QString &path, QString *error)
{
    QFile file(path);
    if (file.exists()) {
        if (QFileInfo(path).permissions() & (QFileDevice::ReadOther | QFileDevice::WriteOther)) {
            *error = QStringLiteral("%1 is readable by other users; chmod 600 it").arg(path);
            return std::nullopt;
        }
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
            return std::nullopt;
        }
        const QByteArray secret = file.readAll().trimmed();
        if (secret.size() < 16) {
            *error = QStringLiteral("%1 holds fewer than 16 bytes").arg(path);
            return std::nullopt;
        }
        return secret;
    }
    QByteArray random(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(random.data()), random.size() / 4);
    const QByteArray secret = random.toBase64();
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) || file.write(secret + '\n') < 0) {
        *error = QStringLiteral("cannot create %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    return secret;
}

} // namespace Confab::Auth
