// Login tokens: HS256 JWTs signed with the node's token secret, so every node that
// shares the secret accepts them. A previous secret may be kept for rotation.
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace Confab::Auth {

struct TokenClaims
{
    QString user;
    qint64 issuedAt = 0; // seconds since the epoch
    qint64 expiresAt = 0;
};

class TokenSigner
{
public:
    TokenSigner(const QByteArray &secret, const QByteArray &previousSecret = {});

    QByteArray issue(const QString &user, qint64 nowSeconds, qint64 ttlSeconds) const;
    // Nothing when the token is malformed, signed with another key, or expired.
    std::optional<TokenClaims> verify(const QByteArray &token, qint64 nowSeconds) const;

    // Reads a secret file, or creates one with 32 random bytes (mode 0600) if absent.
    static std::optional<QByteArray> loadOrCreateSecret(const QString &path, QString *error);

private:
    QByteArray m_secret;
    QByteArray m_previousSecret;
};

} // namespace Confab::Auth
