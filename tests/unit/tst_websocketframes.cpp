// WebSocket framing and handshake (RFC 6455): what clients may send, what they may not,
// and the frames the server writes.
#include "websocket/frames.h"
#include "websocket/handshake.h"

#include <QTest>

using namespace Confab::WebSocket;

namespace {

// A client frame: masked as RFC 6455 requires (unless `masked` is false).
QByteArray clientFrame(quint8 first, const QByteArray &payload, bool masked = true)
{
    QByteArray frame(1, char(first));
    const quint8 maskBit = masked ? 0x80 : 0;
    if (payload.size() < 126) {
        frame.append(char(maskBit | payload.size()));
    } else if (payload.size() < 65536) {
        frame.append(char(maskBit | 126));
        frame.append(char(payload.size() >> 8)).append(char(payload.size() & 0xff));
    } else {
        frame.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(payload.size()) >> shift) & 0xff));
    }
    if (!masked)
        return frame + payload;
    const char key[4] = { '\x12', '\x34', '\x56', '\x78' };
    frame.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ key[i % 4]));
    return frame;
}

constexpr quint8 Fin = 0x80;

} // namespace

class tst_WebSocketFrames : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wholeTextFrame();
    void byteByByte();
    void fragmentsWithPingBetween();
    void extendedLengths();
    void violations_data();
    void violations();
    void oversizeRefusedOnHeader();
    void nothingAfterFailure();
    void serverFrameHeaders_data();
    void serverFrameHeaders();
    void acceptKeyFromRfc();
    void upgradeRefusals();
};

void tst_WebSocketFrames::wholeTextFrame()
{
    FrameReader reader(1000);
    QList<Message> messages;
    QVERIFY(reader.feed(clientFrame(Fin | 0x1, "42[\"hi\"]"), &messages));
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.first().opcode, Opcode::Text);
    QCOMPARE(messages.first().payload, QByteArray("42[\"hi\"]"));
    QCOMPARE(reader.bufferedBytes(), 0);
}

void tst_WebSocketFrames::byteByByte()
{
    const QByteArray stream = clientFrame(Fin | 0x1, "héllo") + clientFrame(Fin | 0x2, QByteArray("\x00\x01\x02", 3));
    FrameReader reader(1000);
    QList<Message> messages;
    for (char byte : stream)
        QVERIFY(reader.feed(QByteArrayView(&byte, 1), &messages));
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).payload, QByteArray("héllo"));
    QCOMPARE(messages.at(1).opcode, Opcode::Binary);
    QCOMPARE(messages.at(1).payload, QByteArray("\x00\x01\x02", 3));
    QCOMPARE(reader.bufferedBytes(), 0); // nothing kept between messages
}

void tst_WebSocketFrames::fragmentsWithPingBetween()
{
    FrameReader reader(1000);
    QList<Message> messages;
    const QByteArray stream = clientFrame(0x1, "4hel") + clientFrame(Fin | 0x9, "p") + clientFrame(0x0, "lo ")
        + clientFrame(Fin | 0x0, "you");
    QVERIFY(reader.feed(stream, &messages));
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).opcode, Opcode::Ping); // control frames may come between fragments
    QCOMPARE(messages.at(0).payload, QByteArray("p"));
    QCOMPARE(messages.at(1).opcode, Opcode::Text);
    QCOMPARE(messages.at(1).payload, QByteArray("4hello you"));
}

void tst_WebSocketFrames::extendedLengths()
{
    FrameReader reader(100000);
    QList<Message> messages;
    const QByteArray medium(300, 'm'), large(70000, 'L');
    const QByteArray stream = clientFrame(Fin | 0x1, medium) + clientFrame(Fin | 0x1, large);
    QVERIFY(reader.feed(stream, &messages));
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).payload, medium);
    QCOMPARE(messages.at(1).payload, large);
}

void tst_WebSocketFrames::violations_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("closeCode");
    QTest::newRow("unmasked") << clientFrame(Fin | 0x1, "x", false) << int(ProtocolError);
    QTest::newRow("reserved bit") << clientFrame(Fin | 0x40 | 0x1, "x") << int(ProtocolError);
    QTest::newRow("unknown opcode") << clientFrame(Fin | 0x3, "x") << int(ProtocolError);
    QTest::newRow("continuation first") << clientFrame(Fin | 0x0, "x") << int(ProtocolError);
    QTest::newRow("new message inside one")
        << QByteArray(clientFrame(0x1, "a") + clientFrame(Fin | 0x1, "b")) << int(ProtocolError);
    QTest::newRow("fragmented ping") << clientFrame(0x9, "p") << int(ProtocolError);
    QTest::newRow("long ping") << clientFrame(Fin | 0x9, QByteArray(126, 'p')) << int(ProtocolError);
    QTest::newRow("close with one byte") << clientFrame(Fin | 0x8, "x") << int(ProtocolError);
    QTest::newRow("invalid UTF-8") << clientFrame(Fin | 0x1, "\xff\xfe") << int(InvalidPayload);
    QTest::newRow("invalid UTF-8 across fragments")
        << QByteArray(clientFrame(0x1, "\xc3") + clientFrame(Fin | 0x0, "(")) << int(InvalidPayload);
    QTest::newRow("too big") << clientFrame(Fin | 0x2, QByteArray(101, 'b')) << int(MessageTooBig);
    QTest::newRow("too big in fragments")
        << QByteArray(clientFrame(0x2, QByteArray(60, 'b')) + clientFrame(Fin | 0x0, QByteArray(60, 'b')))
        << int(MessageTooBig);
}

void tst_WebSocketFrames::violations()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, closeCode);
    FrameReader reader(100);
    QList<Message> messages;
    QVERIFY(!reader.feed(bytes, &messages));
    QCOMPARE(int(reader.closeCode()), closeCode);
    QCOMPARE(reader.bufferedBytes(), 0);
}

void tst_WebSocketFrames::oversizeRefusedOnHeader()
{
    // A 64-bit length over the limit fails on the header alone: nothing is buffered for it.
    FrameReader reader(1000000);
    QByteArray header = clientFrame(Fin | 0x2, QByteArray(70000, 'x')).first(14);
    header[2] = 0x7f; // claim 2^63 - 1 ... bytes
    header[3] = header[4] = header[5] = header[6] = header[7] = header[8] = header[9] = char(0xff);
    QList<Message> messages;
    QVERIFY(!reader.feed(header, &messages));
    QCOMPARE(reader.closeCode(), MessageTooBig);
}

void tst_WebSocketFrames::nothingAfterFailure()
{
    FrameReader reader(1000);
    QList<Message> messages;
    QVERIFY(!reader.feed(clientFrame(Fin | 0x1, "x", false), &messages));
    QVERIFY(!reader.feed(clientFrame(Fin | 0x1, "fine"), &messages));
    QVERIFY(messages.isEmpty());
}

void tst_WebSocketFrames::serverFrameHeaders_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("headerBytes");
    QTest::newRow("125") << 125 << 2;
    QTest::newRow("126") << 126 << 4;
    QTest::newRow("65535") << 65535 << 4;
    QTest::newRow("65536") << 65536 << 10;
}

void tst_WebSocketFrames::serverFrameHeaders()
{
    QFETCH(int, length);
    QFETCH(int, headerBytes);
    const QByteArray frame = encodeFrame(Opcode::Text, QByteArray(length - 1, 'a'), '4');
    QCOMPARE(frame.size(), length + headerBytes);
    QCOMPARE(quint8(frame[0]), quint8(0x81)); // FIN, text
    QCOMPARE(quint8(frame[1]) & 0x80, 0);     // servers never mask
    QCOMPARE(frame.at(headerBytes), '4');
    QCOMPARE(encodeClose(1009), QByteArray("\x88\x02\x03\xf1", 4));
}

void tst_WebSocketFrames::acceptKeyFromRfc()
{
    // RFC 6455 section 1.3's example.
    QCOMPARE(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void tst_WebSocketFrames::upgradeRefusals()
{
    Confab::Transport::HttpRequest request;
    request.method = "GET";
    request.headers = { { "sec-websocket-version", "13" }, { "sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==" } };
    const auto accepted = acceptUpgrade(request);
    QVERIFY(std::holds_alternative<QByteArray>(accepted));
    QVERIFY(std::get<QByteArray>(accepted).contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));

    request.headers[0].second = "8";
    const auto oldVersion = acceptUpgrade(request);
    QCOMPARE(std::get<Confab::Transport::HttpResponse>(oldVersion).status, 426);

    request.headers[0].second = "13";
    request.headers[1].second = "c2hvcnQ=";
    QCOMPARE(std::get<Confab::Transport::HttpResponse>(acceptUpgrade(request)).status, 400);
}

QTEST_APPLESS_MAIN(tst_WebSocketFrames)
#include "tst_websocketframes.moc"
