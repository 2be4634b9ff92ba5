#include "wsconnection.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace Confab::Bench {

WsConnection::WsConnection(EventLoop *loop, const sockaddr_in &server, const std::string &hostHeader,
                           in_addr_t sourceAddress)
    : m_loop(loop)
    , m_server(server)
    , m_hostHeader(hostHeader)
    , m_source(sourceAddress)
    , m_handler([this](uint32_t events) { handleEvents(events); })
{
}

WsConnection::~WsConnection()
{
    if (m_fd >= 0) {
        m_loop->unwatch(m_fd);
        ::close(m_fd);
    }
}

bool WsConnection::start()
{
    m_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return false;
    const int one = 1;
    setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (m_source != htonl(INADDR_ANY)) {
        // Other loopback sources each bring their own ~28,000 ephemeral ports.
        setsockopt(m_fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        sockaddr_in local {};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = m_source;
        if (bind(m_fd, reinterpret_cast<sockaddr *>(&local), sizeof local) != 0)
            return false;
    }
    if (connect(m_fd, reinterpret_cast<const sockaddr *>(&m_server), sizeof m_server) != 0 && errno != EINPROGRESS)
        return false;
    m_out = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: " + m_hostHeader
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: Y29uZmFiLWJlbmNoLWtleQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n\r\n";
    m_wantWrite = true;
    m_loop->watch(m_fd, EPOLLIN | EPOLLOUT, &m_handler);
    return true;
}

void WsConnection::handleEvents(uint32_t events)
{
    if (events & (EPOLLERR | EPOLLHUP))
        return fail();
    if (events & EPOLLOUT) {
        if (m_state == State::Connecting)
            m_state = State::Upgrading;
        flush();
    }
    if (events & EPOLLIN)
        readAll();
}

void WsConnection::readAll()
{
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::read(m_fd, buffer, sizeof buffer);
        if (got > 0) {
            m_in.append(buffer, size_t(got));
            if (size_t(got) < sizeof buffer)
                break;
            continue;
        }
        if (got == 0 || (errno != EAGAIN && errno != EINTR))
            return fail();
        break;
    }
    if (m_state == State::Upgrading) {
        const size_t end = m_in.find("\r\n\r\n");
        if (end == std::string::npos)
            return;
        if (m_in.compare(0, 12, "HTTP/1.1 101") != 0)
            return fail();
        m_inOffset = end + 4;
        m_state = State::Open;
    }
    parseFrames();
}

void WsConnection::parseFrames()
{
    while (m_state == State::Open) {
        const size_t available = m_in.size() - m_inOffset;
        if (available < 2)
            break;
        const auto *bytes = reinterpret_cast<const uint8_t *>(m_in.data() + m_inOffset);
        const uint8_t opcode = bytes[0] & 0x0f;
        uint64_t length = bytes[1] & 0x7f;
        size_t header = 2;
        if (length == 126) {
            if (available < 4)
                break;
            length = (uint64_t(bytes[2]) << 8) | bytes[3];
            header = 4;
        } else if (length == 127) {
            if (available < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | bytes[2 + i];
            header = 10;
        }
        if (available < header + length)
            break;
        const std::string_view payload(m_in.data() + m_inOffset + header, size_t(length));
        m_inOffset += header + size_t(length);
        if (opcode == 0x1)
            handleText(payload);
        else if (opcode == 0x9)
            sendFrame(0xA, payload);
        else if (opcode == 0x8)
            return fail();
    }
    if (m_inOffset == m_in.size()) {
        m_in.clear();
        m_inOffset = 0;
    } else if (m_inOffset > 65536) {
        m_in.erase(0, m_inOffset);
        m_inOffset = 0;
    }
}

void WsConnection::handleText(std::string_view text)
{
    if (text.empty())
        return;
    switch (text[0]) {
    case '0':
        if (onOpen)
            onOpen();
        break;
    case '2':
        sendFrame(0x1, "3"); // Engine.IO pong
        break;
    case '4':
        if (onMessage)
            onMessage(text.substr(1));
        break;
    default: break;
    }
}

void WsConnection::sendMessage(std::string_view socketIoPacket)
{
    std::string packet;
    packet.reserve(socketIoPacket.size() + 1);
    packet += '4';
    packet += socketIoPacket;
    sendFrame(0x1, packet);
}

void WsConnection::sendFrame(uint8_t opcode, std::string_view payload)
{
    if (m_state == State::Closed)
        return;
    // Clients must mask; an all-zero key is a valid key and spares the XOR.
    char header[14];
    size_t length = 0;
    header[length++] = char(0x80 | opcode);
    if (payload.size() < 126) {
        header[length++] = char(0x80 | payload.size());
    } else if (payload.size() < 65536) {
        header[length++] = char(0x80 | 126);
        header[length++] = char(payload.size() >> 8);
        header[length++] = char(payload.size() & 0xff);
    } else {
        header[length++] = char(0x80 | 127);
        for (int i = 7; i >= 0; --i)
            header[length++] = char((uint64_t(payload.size()) >> (8 * i)) & 0xff);
    }
    for (int i = 0; i < 4; ++i)
        header[length++] = 0;
    m_out.append(header, length);
    m_out.append(payload);
    flush();
}

void WsConnection::flush()
{
    while (!m_out.empty() && m_state != State::Connecting) {
        const ssize_t written = ::send(m_fd, m_out.data(), m_out.size(), MSG_NOSIGNAL);
        if (written > 0) {
            m_out.erase(0, size_t(written));
            continue;
        }
        if (written < 0 && errno != EAGAIN && errno != EINTR)
            return fail();
        break;
    }
    const bool wantWrite = !m_out.empty() || m_state == State::Connecting;
    if (wantWrite != m_wantWrite) {
        m_wantWrite = wantWrite;
        m_loop->modify(m_fd, EPOLLIN | (wantWrite ? EPOLLOUT : 0u), &m_handler);
    }
}

void WsConnection::close()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    if (m_fd >= 0) {
        m_loop->unwatch(m_fd);
        ::close(m_fd);
        m_fd = -1;
    }
}

void WsConnection::fail()
{
    const bool wasOpen = m_state != State::Closed;
    close();
    if (wasOpen && onClose)
        onClose();
}

} // namespace Confab::Bench
