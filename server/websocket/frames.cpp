#include "websocket/frames.h"

#include <QtEndian>

#include <cstring>

namespace Confab::WebSocket {

namespace {

constexpr quint8 FinBit = 0x80;
constexpr quint8 ReservedBits = 0x70;
constexpr quint8 MaskBit = 0x80;

bool isKnownOpcode(quint8 opcode)
{
    return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}

void unmask(char *data, qsizetype length, const char *key)
{
    quint32 key32;
    std::memcpy(&key32, key, 4);
    const quint64 key64 = (quint64(key32) << 32) | key32;
    qsizetype i = 0;
    for (; i + 8 <= length; i += 8) {
        quint64 word;
        std::memcpy(&word, data + i, 8);
        word ^= key64;
        std::memcpy(data + i, &word, 8);
    }
    for (; i < length; ++i)
        data[i] ^= key[i % 4];
}

} // namespace

bool FrameReader::fail(CloseCode code)
{
    m_failed = true;
    m_closeCode = code;
    m_partial = QByteArray();
    m_fragments = QByteArray();
    return false;
}

bool FrameReader::feed(QByteArrayView bytes, QList<Message> *messages)
{
    if (m_failed)
        return false;
    // The common case parses straight from the caller's buffer; only an unfinished
    // frame is copied and kept.
    QByteArrayView input = bytes;
    if (!m_partial.isEmpty()) {
        m_partial.append(bytes);
        input = m_partial;
    }
    qsizetype offset = 0;
    for (;;) {
        qsizetype consumed = 0;
        const Step step = readFrame(input.sliced(offset), &consumed, messages);
        if (step == Step::Failed)
            return false;
        if (step == Step::NeedMore)
            break;
        offset += consumed;
    }
    if (input.data() == m_partial.constData()) {
        if (offset == m_partial.size())
            m_partial = QByteArray(); // idle connections hold no buffer
        else if (offset > 0)
            m_partial.remove(0, offset);
    } else if (offset < input.size()) {
        m_partial = input.sliced(offset).toByteArray();
    }
    return true;
}

FrameReader::Step FrameReader::readFrame(QByteArrayView bytes, qsizetype *consumed, QList<Message> *messages)
{
    if (bytes.size() < 2)
        return Step::NeedMore;
    const auto first = quint8(bytes[0]);
    const auto second = quint8(bytes[1]);
    const bool fin = first & FinBit;
    const quint8 opcode = first & 0x0F;
    if ((first & ReservedBits) || !isKnownOpcode(opcode) || !(second & MaskBit))
        return fail(ProtocolError), Step::Failed;
    const bool isControl = opcode & 0x8;
    quint64 length = second & 0x7F;
    qsizetype header = 2;
    if (length == 126) {
        if (bytes.size() < 4)
            return Step::NeedMore;
        length = qFromBigEndian<quint16>(bytes.data() + 2);
        header = 4;
    } else if (length == 127) {
        if (bytes.size() < 10)
            return Step::NeedMore;
        length = qFromBigEndian<quint64>(bytes.data() + 2);
        header = 10;
        if (length >> 63)
            return fail(ProtocolError), Step::Failed;
    }
    if (isControl && (!fin || length > 125))
        return fail(ProtocolError), Step::Failed;
    // Refuse an oversize message on its header, before buffering any of it.
    if (!isControl && quint64(m_fragments.size()) + length > quint64(m_maxMessageBytes))
        return fail(MessageTooBig), Step::Failed;
    header += 4; // the masking key
    if (quint64(bytes.size()) < header + length)
        return Step::NeedMore;

    QByteArray payload(bytes.data() + header, qsizetype(length));
    unmask(payload.data(), payload.size(), bytes.data() + header - 4);
    *consumed = header + qsizetype(length);

    const auto kind = Opcode(opcode);
    if (isControl) {
        if (kind == Opcode::Close && payload.size() == 1)
            return fail(ProtocolError), Step::Failed;
        messages->append({ kind, payload });
        return Step::Done;
    }
    const bool continues = kind == Opcode::Continuation;
    const bool messageOpen = m_fragmentsOpcode != Opcode::Continuation;
    if (continues != messageOpen)
        return fail(ProtocolError), Step::Failed;
    Opcode messageKind = kind;
    if (continues) {
        m_fragments.append(payload);
        messageKind = m_fragmentsOpcode;
        if (!fin)
            return Step::Done;
        payload = std::exchange(m_fragments, QByteArray());
        m_fragmentsOpcode = Opcode::Continuation;
    } else if (!fin) {
        m_fragments = payload;
        m_fragmentsOpcode = kind;
        return Step::Done;
    }
    if (messageKind == Opcode::Text && !QByteArrayView(payload).isValidUtf8())
        return fail(InvalidPayload), Step::Failed;
    messages->append({ messageKind, payload });
    return Step::Done;
}

QByteArray encodeFrame(Opcode opcode, QByteArrayView payload, char prefix)
{
    const qsizetype length = payload.size() + (prefix ? 1 : 0);
    QByteArray frame;
    frame.reserve(length + 10);
    frame.append(char(FinBit | quint8(opcode)));
    if (length < 126) {
        frame.append(char(length));
    } else if (length < 65536) {
        frame.append(char(126));
        frame.append(char(length >> 8));
        frame.append(char(length & 0xff));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(length) >> shift) & 0xff));
    }
    if (prefix)
        frame.append(prefix);
    frame.append(payload);
    return frame;
}

QByteArray encodeClose(quint16 code)
{
    const char payload[2] = { char(code >> 8), char(code & 0xff) };
    return encodeFrame(Opcode::Close, QByteArrayView(payload, 2));
}

} // namespace Confab::WebSocket
