// WebSocket framing (RFC 6455) as a server speaks it: reading the masked, possibly
// fragmented frames a client sends, and writing unmasked frames. Incremental: fed bytes
// as they arrive, it keeps only an unfinished frame between calls.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace Confab::WebSocket {

enum class Opcode : quint8 { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

// The close codes this server sends.
enum CloseCode : quint16 {
    NormalClosure = 1000,
    GoingAway = 1001,
    ProtocolError = 1002,
    InvalidPayload = 1007,
    MessageTooBig = 1009,
};

struct Message
{
    Opcode opcode; // Text and Binary are whole messages; Close, Ping and Pong control frames
    QByteArray payload;
};

class FrameReader
{
public:
    explicit FrameReader(qint64 maxMessageBytes)
        : m_maxMessageBytes(maxMessageBytes)
    {
    }

    // Appends the messages completed by `bytes` to `messages`. False on a protocol
    // violation (unmasked or reserved bits, bad opcode or fragment order, invalid UTF-8,
    // a message over the limit): closeCode() then says how to close, and nothing more
    // may be fed.
    bool feed(QByteArrayView bytes, QList<Message> *messages);
    CloseCode closeCode() const { return m_closeCode; }
    // Bytes held for an unfinished frame or message (memory accounting).
    qsizetype bufferedBytes() const { return m_partial.size() + m_fragments.size(); }

private:
    enum class Step { Done, NeedMore, Failed };
    Step readFrame(QByteArrayView bytes, qsizetype *consumed, QList<Message> *messages);
    bool fail(CloseCode code);

    qint64 m_maxMessageBytes;
    QByteArray m_partial;                            // an unfinished frame, bytes as received
    QByteArray m_fragments;                          // the message so far, when it came in several frames
    Opcode m_fragmentsOpcode = Opcode::Continuation; // Continuation: no message open
    CloseCode m_closeCode = NormalClosure;
    bool m_failed = false;
};

// An unmasked frame with FIN set; `prefix` (0: none) is a byte written before the payload
// (Engine.IO's packet type) so callers need not build the packet first.
QByteArray encodeFrame(Opcode opcode, QByteArrayView payload, char prefix = 0);
// A close frame carrying `code`.
QByteArray encodeClose(quint16 code);

} // namespace Confab::WebSocket
