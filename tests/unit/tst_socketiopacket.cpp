// Socket.IO packet codec and binary reassembly: tables of good and bad packets.
#include "socketio/binary.h"
#include "socketio/packet.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Confab::SocketIo;

class tst_SocketIoPacket : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void reject_data();
    void reject();
    void binaryAssembly();
    void tooManyAttachments();
};

void tst_SocketIoPacket::roundTrip_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<qint64>("id");
    QTest::addColumn<int>("attachments");
    QTest::newRow("connect main") << QByteArray("0") << int('0') << QStringLiteral("/") << NoAckId << 0;
    QTest::newRow("connect auth") << QByteArray(R"(0{"token":"123"})") << int('0') << QStringLiteral("/") << NoAckId
                                  << 0;
    QTest::newRow("connect custom") << QByteArray("0/custom,") << int('0') << QStringLiteral("/custom") << NoAckId << 0;
    QTest::newRow("disconnect") << QByteArray("1") << int('1') << QStringLiteral("/") << NoAckId << 0;
    QTest::newRow("event") << QByteArray(R"(2["message",1,"2",{"3":[true]}])") << int('2') << QStringLiteral("/")
                           << NoAckId << 0;
    QTest::newRow("event ack") << QByteArray(R"(2456["message-with-ack",1])") << int('2') << QStringLiteral("/")
                               << qint64(456) << 0;
    QTest::newRow("event nsp ack") << QByteArray(R"(2/admin,12["x"])") << int('2') << QStringLiteral("/admin")
                                   << qint64(12) << 0;
    QTest::newRow("ack") << QByteArray(R"(3456[1,"2"])") << int('3') << QStringLiteral("/") << qint64(456) << 0;
    QTest::newRow("connect error") << QByteArray(R"(4/random,{"message":"Invalid namespace"})") << int('4')
                                   << QStringLiteral("/random") << NoAckId << 0;
    QTest::newRow("binary event") << QByteArray(
        R"(52-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])")
                                  << int('5') << QStringLiteral("/") << NoAckId << 2;
    QTest::newRow("binary ack") << QByteArray(R"(61-/a,7[{"_placeholder":true,"num":0}])") << int('6')
                                << QStringLiteral("/a") << qint64(7) << 1;
}

void tst_SocketIoPacket::roundTrip()
{
    QFETCH(QByteArray, text);
    QFETCH(int, type);
    QFETCH(QString, nsp);
    QFETCH(qint64, id);
    QFETCH(int, attachments);
    const DecodeResult result = decodePacket(text);
    QVERIFY2(result.packet.has_value(), text.constData());
    QCOMPARE(int(result.packet->type), type);
    QCOMPARE(result.packet->nsp, nsp);
    QCOMPARE(result.packet->id, id);
    QCOMPARE(result.packet->attachmentCount, attachments);
    QCOMPARE(encodePacket(*result.packet), text);
}

void tst_SocketIoPacket::reject_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("error");
    QTest::newRow("empty") << QByteArray() << int(DecodeError::Empty);
    QTest::newRow("unknown type") << QByteArray("abc") << int(DecodeError::UnknownType);
    QTest::newRow("type 7") << QByteArray("7[]") << int(DecodeError::UnknownType);
    QTest::newRow("payload not array") << QByteArray("2{}") << int(DecodeError::InvalidPayload);
    QTest::newRow("event without name") << QByteArray("2[]") << int(DecodeError::InvalidPayload);
    QTest::newRow("event name not string") << QByteArray("2[1]") << int(DecodeError::InvalidPayload);
    QTest::newRow("invalid ack id") << QByteArray(R"(2abc["message-with-ack",1])") << int(DecodeError::BadJson);
    QTest::newRow("ack without id") << QByteArray("3[1]") << int(DecodeError::BadAckId);
    QTest::newRow("huge ack id") << QByteArray("21234567890123456[\"a\"]") << int(DecodeError::BadAckId);
    QTest::newRow("broken json") << QByteArray("2[\"a\"") << int(DecodeError::BadJson);
    QTest::newRow("binary without dash") << QByteArray("52[\"a\"]") << int(DecodeError::BadAttachmentCount);
    QTest::newRow("binary bad count") << QByteArray("5x-[\"a\"]") << int(DecodeError::BadAttachmentCount);
    QTest::newRow("disconnect with data") << QByteArray("1{}") << int(DecodeError::InvalidPayload);
    QTest::newRow("connect with array") << QByteArray("0[]") << int(DecodeError::InvalidPayload);
}

void tst_SocketIoPacket::reject()
{
    QFETCH(QByteArray, text);
    QFETCH(int, error);
    const DecodeResult result = decodePacket(text);
    QVERIFY(!result.packet.has_value());
    QCOMPARE(int(result.error), error);
}

void tst_SocketIoPacket::binaryAssembly()
{
    const DecodeResult header = decodePacket(R"(52-["m",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])");
    QVERIFY(header.packet);
    BinaryAssembler assembler;
    QVERIFY(assembler.start(*header.packet));
    QVERIFY(assembler.isWaiting());
    QVERIFY(!assembler.add("\x01\x02").has_value());
    const auto packet = assembler.add("\x03");
    QVERIFY(packet.has_value());
    QVERIFY(!assembler.isWaiting());
    QCOMPARE(packet->attachments, (QList<QByteArray> { "\x01\x02", "\x03" }));
    QCOMPARE(packet->data.toArray().at(1), placeholder(0));
}

void tst_SocketIoPacket::tooManyAttachments()
{
    const DecodeResult header = decodePacket(R"(5100-["m"])");
    QVERIFY(header.packet);
    BinaryAssembler assembler(64);
    QVERIFY(!assembler.start(*header.packet));
    QVERIFY(!assembler.isWaiting());
}

QTEST_GUILESS_MAIN(tst_SocketIoPacket)
#include "tst_socketiopacket.moc"
