// Chat protocol v1 validators: tables of accepted and refused input.
#include "chat/validation.h"
#include "util/tokenbucket.h"

#include <QTest>

using namespace Confab::Chat;

class tst_Validation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void usernames_data();
    void usernames();
    void roomNames_data();
    void roomNames();
    void directRooms();
    void texts_data();
    void texts();
    void passwords();
    void tokenBucket();
};

void tst_Validation::usernames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << QStringLiteral("alice") << true;
    QTest::newRow("punctuation") << QStringLiteral("a.b_c-d") << true;
    QTest::newRow("two chars") << QStringLiteral("ab") << true;
    QTest::newRow("32 chars") << QString(32, QLatin1Char('a')) << true;
    QTest::newRow("one char") << QStringLiteral("a") << false;
    QTest::newRow("33 chars") << QString(33, QLatin1Char('a')) << false;
    QTest::newRow("upper case") << QStringLiteral("Alice") << false;
    QTest::newRow("space") << QStringLiteral("al ice") << false;
    QTest::newRow("colon") << QStringLiteral("a:b") << false;
    QTest::newRow("non-ascii") << QStringLiteral("zoë") << false;
}

void tst_Validation::usernames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(isValidUsername(name), valid);
}

void tst_Validation::roomNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << QStringLiteral("general") << true;
    QTest::newRow("digits first") << QStringLiteral("2024-plans") << true;
    QTest::newRow("64 chars") << QString(64, QLatin1Char('a')) << true;
    QTest::newRow("65 chars") << QString(65, QLatin1Char('a')) << false;
    QTest::newRow("dash first") << QStringLiteral("-x") << false;
    QTest::newRow("dot") << QStringLiteral("a.b") << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("dm name") << QStringLiteral("dm:alice:bob") << false;
}

void tst_Validation::roomNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(isValidRoomName(name), valid);
}

void tst_Validation::directRooms()
{
    QCOMPARE(directRoomName(QStringLiteral("bob"), QStringLiteral("alice")), QStringLiteral("dm:alice:bob"));
    QCOMPARE(directRoomName(QStringLiteral("alice"), QStringLiteral("bob")), QStringLiteral("dm:alice:bob"));
    QVERIFY(isDirectRoomName(QStringLiteral("dm:alice:bob")));
    QVERIFY(!isDirectRoomName(QStringLiteral("dm:bob:alice"))); // not in canonical order
    QVERIFY(!isDirectRoomName(QStringLiteral("dm:alice")));
    QVERIFY(!isDirectRoomName(QStringLiteral("dm:Alice:bob")));
    QVERIFY(isValidRoomReference(QStringLiteral("dm:alice:bob")));
    QVERIFY(isValidRoomReference(QStringLiteral("general")));
    QVERIFY(!isValidRoomReference(QStringLiteral("x:y:z")));
}

void tst_Validation::texts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << QStringLiteral("hello") << true;
    QTest::newRow("emoji") << QStringLiteral("👋🏽") << true;
    QTest::newRow("4000 chars") << QString(4000, QLatin1Char('x')) << true;
    QTest::newRow("4000 emoji") << QString(QStringLiteral("😀")).repeated(4000) << true; // 8000 UTF-16 units
    QTest::newRow("4001 chars") << QString(4001, QLatin1Char('x')) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("lone high surrogate") << QString(QChar(0xd800)) << false;
    QTest::newRow("lone low surrogate") << QString(QChar(0xdc00)) << false;
}

void tst_Validation::texts()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QCOMPARE(isValidText(text), valid);
}

void tst_Validation::passwords()
{
    QVERIFY(!isValidPassword(QStringLiteral("1234567")));
    QVERIFY(isValidPassword(QStringLiteral("12345678")));
    QVERIFY(isValidPassword(QString(1024, QLatin1Char('p'))));
    QVERIFY(!isValidPassword(QString(1025, QLatin1Char('p'))));
    QVERIFY(!isValidPassword(QString(600, QChar(0xe9)))); // 1200 bytes in UTF-8
}

void tst_Validation::tokenBucket()
{
    Confab::TokenBucket bucket(10, 3); // 10/s, burst 3
    QVERIFY(bucket.tryTake(0));
    QVERIFY(bucket.tryTake(0));
    QVERIFY(bucket.tryTake(0));
    QVERIFY(!bucket.tryTake(0));
    QCOMPARE(bucket.msUntilAvailable(0), 100);
    QVERIFY(!bucket.tryTake(50));
    QVERIFY(bucket.tryTake(100));
    QVERIFY(bucket.tryTake(10000));
    QVERIFY(bucket.tryTake(10000));
    QVERIFY(bucket.tryTake(10000));
    QVERIFY(!bucket.tryTake(10000)); // refill stops at the burst
}

QTEST_GUILESS_MAIN(tst_Validation)
#include "tst_validation.moc"
