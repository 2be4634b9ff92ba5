// Password hashes and login tokens.
#include "auth/passwordhash.h"
#include "auth/tokens.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Confab::Auth;

class tst_Auth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void passwordRoundTrip();
    void passwordRejectsGarbage_data();
    void passwordRejectsGarbage();
    void tokenRoundTrip();
    void tokenRejects();
    void tokenRotation();
    void secretFile();
};

void tst_Auth::passwordRoundTrip()
{
    const QByteArray stored = hashPassword(QStringLiteral("correct horse"), { 10, 8, 1 });
    QVERIFY(stored.startsWith("scrypt$10$8$1$"));
    QVERIFY(verifyPassword(QStringLiteral("correct horse"), stored));
    QVERIFY(!verifyPassword(QStringLiteral("correct horsE"), stored));
    QVERIFY(hashPassword(QStringLiteral("correct horse"), { 10, 8, 1 }) != stored); // salted
}

void tst_Auth::passwordRejectsGarbage_data()
{
    QTest::addColumn<QByteArray>("stored");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("other scheme") << QByteArray("bcrypt$10$8$1$c2FsdA==$aGFzaA==");
    QTest::newRow("missing part") << QByteArray("scrypt$10$8$1$c2FsdA==");
    QTest::newRow("absurd cost") << QByteArray("scrypt$40$8$1$c2FsdA==$aGFzaA==");
    QTest::newRow("wrong hash") << QByteArray("scrypt$10$8$1$c2FsdA==$aGFzaA==");
}

void tst_Auth::passwordRejectsGarbage()
{
    QFETCH(QByteArray, stored);
    QVERIFY(!verifyPassword(QStringLiteral("anything"), stored));
}

void tst_Auth::tokenRoundTrip()
{
    const TokenSigner signer("0123456789abcdef0123456789abcdef");
    const QByteArray token = signer.issue(QStringLiteral("alice"), 1000, 60);
    QCOMPARE(token.count('.'), 2);
    const auto claims = signer.verify(token, 1030);
    QVERIFY(claims.has_value());
    QCOMPARE(claims->user, QStringLiteral("alice"));
    QCOMPARE(claims->issuedAt, 1000);
    QCOMPARE(claims->expiresAt, 1060);
}

void tst_Auth::tokenRejects()
{
    const TokenSigner signer("0123456789abcdef0123456789abcdef");
    const QByteArray token = signer.issue(QStringLiteral("alice"), 1000, 60);
    QVERIFY(!signer.verify(token, 1060).has_value()); // expired
    QVERIFY(!TokenSigner("another secret of some length!!").verify(token, 1000).has_value());
    QByteArray tampered = token;
    tampered[token.indexOf('.') + 3] = tampered[token.indexOf('.') + 3] == 'A' ? 'B' : 'A';
    QVERIFY(!signer.verify(tampered, 1000).has_value());
    QVERIFY(!signer.verify("a.b.c", 1000).has_value());
    QVERIFY(!signer.verify(QByteArray(), 1000).has_value());
    // "alg":"none" with an empty signature.
    const QByteArray none
        = QByteArray(R"({"alg":"none"})").toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + '.'
        + token.split('.')[1] + '.';
    QVERIFY(!signer.verify(none, 1000).has_value());
}

void tst_Auth::tokenRotation()
{
    const TokenSigner old("old secret, 32 bytes long ......");
    const QByteArray token = old.issue(QStringLiteral("bob"), 1000, 60);
    QVERIFY(TokenSigner("new secret, 32 bytes long ......", "old secret, 32 bytes long ......").verify(token, 1000));
    QVERIFY(!TokenSigner("new secret, 32 bytes long ......").verify(token, 1000));
}

void tst_Auth::secretFile()
{
    QTemporaryDir dir;
    QString error;
    const QString path = dir.filePath(QStringLiteral("secret"));
    const auto created = TokenSigner::loadOrCreateSecret(path, &error);
    QVERIFY2(created.has_value(), qPrintable(error));
    QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
    QCOMPARE(TokenSigner::loadOrCreateSecret(path, &error), created);
    QFile::setPermissions(path, QFile::permissions(path) | QFileDevice::ReadOther);
    QVERIFY(!TokenSigner::loadOrCreateSecret(path, &error).has_value());
    QVERIFY(error.contains(QLatin1String("readable by other users")));
}

QTEST_GUILESS_MAIN(tst_Auth)
#include "tst_auth.moc"
