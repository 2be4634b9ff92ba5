// Engine.IO packet and payload codecs: tables of good and bad input.
#include "engineio/handshake.h"
#include "engineio/packet.h"

#include <QTest>

using namespace Confab::EngineIo;

Q_DECLARE_METATYPE(Confab::EngineIo::Packet)

class tst_EngineIoPacket : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decodeText_data();
    void decodeText();
    void payloadRoundTrip_data();
    void payloadRoundTrip();
    void badPayload_data();
    void badPayload();
    void handshakeRoundTrip();
    void handshakeRejectsGarbage_data();
    void handshakeRejectsGarbage();
};

void tst_EngineIoPacket::decodeText_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("message") << QByteArray("4hello") << true << int('4') << QByteArray("hello");
    QTest::newRow("ping") << QByteArray("2") << true << int('2') << QByteArray();
    QTest::newRow("probe") << QByteArray("2probe") << true << int('2') << QByteArray("probe");
    QTest::newRow("noop") << QByteArray("6") << true << int('6') << QByteArray();
    QTest::newRow("utf8") << QByteArray("4h\xc3\xa9") << true << int('4') << QByteArray("h\xc3\xa9");
    QTest::newRow("empty") << QByteArray() << false << 0 << QByteArray();
    QTest::newRow("unknown type") << QByteArray("abc") << false << 0 << QByteArray();
    QTest::newRow("type 7") << QByteArray("7") << false << 0 << QByteArray();
}

void tst_EngineIoPacket::decodeText()
{
    QFETCH(QByteArray, frame);
    QFETCH(bool, valid);
    const auto packet = decodeTextPacket(frame);
    QCOMPARE(packet.has_value(), valid);
    if (!valid)
        return;
    QFETCH(int, type);
    QFETCH(QByteArray, data);
    QCOMPARE(int(packet->type), type);
    QCOMPARE(packet->data, data);
    QVERIFY(!packet->isBinary);
    QCOMPARE(encodeTextPacket(packet->type, packet->data), frame);
}

void tst_EngineIoPacket::payloadRoundTrip_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QList<Packet>>("packets");
    QTest::newRow("one") << QByteArray("4hello") << QList<Packet> { Packet::text(PacketType::Message, "hello") };
    QTest::newRow("three") << QByteArray("4test1\x1e"
                                         "4test2\x1e"
                                         "4test3")
                           << QList<Packet> { Packet::text(PacketType::Message, "test1"),
                                              Packet::text(PacketType::Message, "test2"),
                                              Packet::text(PacketType::Message, "test3") };
    QTest::newRow("binary") << QByteArray("4hello\x1e"
                                          "bAQIDBA==")
                            << QList<Packet> { Packet::text(PacketType::Message, "hello"),
                                               Packet::binary(QByteArray("\x01\x02\x03\x04", 4)) };
    QTest::newRow("empty message") << QByteArray("4") << QList<Packet> { Packet::text(PacketType::Message) };
}

void tst_EngineIoPacket::payloadRoundTrip()
{
    QFETCH(QByteArray, payload);
    QFETCH(QList<Packet>, packets);
    const auto decoded = decodePayload(payload);
    QVERIFY(decoded.has_value());
    QCOMPARE(*decoded, packets);
    QCOMPARE(encodePayload(packets), payload);
}

void tst_EngineIoPacket::badPayload_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("garbage") << QByteArray("abc");
    QTest::newRow("trailing separator") << QByteArray("4a\x1e");
    QTest::newRow("bad base64") << QByteArray("b!!!");
    QTest::newRow("one bad among good") << QByteArray("4a\x1e"
                                                      "9b");
}

void tst_EngineIoPacket::badPayload()
{
    QFETCH(QByteArray, payload);
    QVERIFY(!decodePayload(payload).has_value());
}

void tst_EngineIoPacket::handshakeRoundTrip()
{
    Handshake handshake;
    handshake.sid = "abc123";
    handshake.upgrades = { QStringLiteral("websocket") };
    handshake.pingInterval = 300;
    handshake.pingTimeout = 200;
    handshake.maxPayload = 1000000;
    const QByteArray json = handshake.toJson();
    QCOMPARE(
        json,
        QByteArray(
            R"({"maxPayload":1000000,"pingInterval":300,"pingTimeout":200,"sid":"abc123","upgrades":["websocket"]})"));
    const auto parsed = Handshake::fromJson(json);
    QVERIFY(parsed.has_value());
    QCOMPARE(parsed->sid, handshake.sid);
    QCOMPARE(parsed->upgrades, handshake.upgrades);
    QCOMPARE(parsed->pingInterval, 300);
    QCOMPARE(parsed->pingTimeout, 200);
}

void tst_EngineIoPacket::handshakeRejectsGarbage_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("not json") << QByteArray("{");
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("no sid") << QByteArray(R"({"pingInterval":1,"pingTimeout":1})");
    QTest::newRow("zero interval") << QByteArray(R"({"sid":"a","pingInterval":0,"pingTimeout":1})");
    QTest::newRow("string interval") << QByteArray(R"({"sid":"a","pingInterval":"1","pingTimeout":1})");
}

void tst_EngineIoPacket::handshakeRejectsGarbage()
{
    QFETCH(QByteArray, json);
    QVERIFY(!Handshake::fromJson(json).has_value());
}

QTEST_GUILESS_MAIN(tst_EngineIoPacket)
#include "tst_engineiopacket.moc"
