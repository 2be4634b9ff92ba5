// What a file request's client-controlled parts are allowed to be: names that are never
// paths, media types normalised or refused, Range as RFC 9110 reads it, If-None-Match
// lists, and a Content-Disposition that stays one header with the exact name encoded.
#include "api/fileheaders.h"

#include <QTest>

using namespace Confab::Api::FileHeaders;

class tst_FileHeaders : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void names_data();
    void names();
    void mediaTypes();
    void ranges_data();
    void ranges();
    void etags();
    void disposition();
};

void tst_FileHeaders::names_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("acceptable");
    QTest::newRow("plain") << QStringLiteral("report.pdf") << true;
    QTest::newRow("spaces and accents") << QStringLiteral("Été 2026 (final).png") << true;
    QTest::newRow("emoji") << QStringLiteral("🎉.gif") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("blank") << QStringLiteral("   ") << false;
    QTest::newRow("dot") << QStringLiteral(".") << false;
    QTest::newRow("dot dot") << QStringLiteral("..") << false;
    QTest::newRow("slash") << QStringLiteral("../etc/passwd") << false;
    QTest::newRow("backslash") << QStringLiteral("..\\boot.ini") << false;
    QTest::newRow("newline") << QStringLiteral("a\nb") << false;
    QTest::newRow("right-to-left override") << QStringLiteral("gnp\u202E.exe") << false;
    QTest::newRow("too long") << QString(256, u'a') << false;
    QTest::newRow("longest") << QString(255, u'a') << true;
}

void tst_FileHeaders::names()
{
    QFETCH(QString, name);
    QFETCH(bool, acceptable);
    QCOMPARE(isAcceptableName(name), acceptable);
}

void tst_FileHeaders::mediaTypes()
{
    QCOMPARE(mediaType(""), QByteArray("application/octet-stream"));
    QCOMPARE(mediaType("Image/PNG; charset=x"), QByteArray("image/png"));
    QCOMPARE(mediaType("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
             QByteArray("application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
    QVERIFY(!mediaType("text"));
    QVERIFY(!mediaType("text/html/x"));
    QVERIFY(!mediaType("text/ html"));
    QVERIFY(!mediaType("text/html\r\nX-Evil: 1"));
    QVERIFY(!mediaType("a/" + QByteArray(200, 'b')));
    QVERIFY(isInlineType("image/png") && isInlineType("image/webp"));
    QVERIFY(!isInlineType("image/svg+xml")); // scripts inside: never inline
    QVERIFY(!isInlineType("text/html"));
}

void tst_FileHeaders::ranges_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qint64>("first"); // -1: the whole file
    QTest::addColumn<qint64>("length");
    QTest::newRow("none") << QByteArray() << qint64(-1) << qint64(0);
    QTest::newRow("first-last") << QByteArray("bytes=10-19") << qint64(10) << qint64(10);
    QTest::newRow("open end") << QByteArray("bytes=990-") << qint64(990) << qint64(10);
    QTest::newRow("last past the end") << QByteArray("bytes=995-5000") << qint64(995) << qint64(5);
    QTest::newRow("suffix") << QByteArray("bytes=-100") << qint64(900) << qint64(100);
    QTest::newRow("suffix larger than the file") << QByteArray("bytes=-5000") << qint64(0) << qint64(1000);
    QTest::newRow("start past the end: 416") << QByteArray("bytes=1000-") << qint64(0) << qint64(0);
    QTest::newRow("empty suffix: 416") << QByteArray("bytes=-0") << qint64(0) << qint64(0);
    QTest::newRow("several: whole") << QByteArray("bytes=0-1,5-6") << qint64(-1) << qint64(0);
    QTest::newRow("other unit: whole") << QByteArray("items=0-1") << qint64(-1) << qint64(0);
    QTest::newRow("reversed: ignored") << QByteArray("bytes=20-10") << qint64(-1) << qint64(0);
    QTest::newRow("garbage: ignored") << QByteArray("bytes=a-b") << qint64(-1) << qint64(0);
    QTest::newRow("negative suffix: ignored") << QByteArray("bytes=--5") << qint64(-1) << qint64(0);
    QTest::newRow("signed start: ignored") << QByteArray("bytes=+5-10") << qint64(-1) << qint64(0);
    QTest::newRow("huge suffix: the whole file")
        << QByteArray("bytes=-99999999999999999999999") << qint64(0) << qint64(1000);
    QTest::newRow("huge end: to the end")
        << QByteArray("bytes=10-99999999999999999999999") << qint64(10) << qint64(990);
    QTest::newRow("huge start: 416") << QByteArray("bytes=99999999999999999999999-") << qint64(0) << qint64(0);
}

void tst_FileHeaders::ranges()
{
    QFETCH(QByteArray, header);
    QFETCH(qint64, first);
    QFETCH(qint64, length);
    const auto range = byteRange(header, 1000);
    QCOMPARE(range.has_value(), first >= 0);
    if (!range)
        return;
    QCOMPARE(range->first, first);
    QCOMPARE(range->length, length);
}

void tst_FileHeaders::etags()
{
    QVERIFY(etagMatches("\"abc\"", "\"abc\""));
    QVERIFY(etagMatches("\"x\", W/\"abc\"", "\"abc\""));
    QVERIFY(etagMatches("*", "\"abc\""));
    QVERIFY(!etagMatches("\"abcd\"", "\"abc\""));
    QVERIFY(!etagMatches("", "\"abc\""));
}

void tst_FileHeaders::disposition()
{
    QCOMPARE(contentDisposition(QStringLiteral("photo.png"), true),
             QByteArray("inline; filename=\"photo.png\"; filename*=UTF-8''photo.png"));
    const QByteArray tricky = contentDisposition(QStringLiteral("Été \"quoted\".html"), false);
    QVERIFY(tricky.startsWith("attachment; filename=\"_t_ _quoted_.html\"; filename*=UTF-8''"));
    QCOMPARE(QByteArray::fromPercentEncoding(tricky.mid(tricky.indexOf("''") + 2)),
             QStringLiteral("Été \"quoted\".html").toUtf8());
    QCOMPARE(tricky.count('"'), 2);
}

QTEST_GUILESS_MAIN(tst_FileHeaders)
#include "tst_fileheaders.moc"
