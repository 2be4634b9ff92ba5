// One Engine.IO v4 connection over WebSocket, non-blocking, for the load generator:
// the HTTP upgrade, WebSocket framing (written by hand: the generator must cost less per
// frame than the server it measures), Engine.IO pings answered, and Socket.IO text
// packets in and out. Binary frames are not needed by any scenario.
#pragma once

#include "eventloop.h"

#include <netinet/in.h>

#include <functional>
#include <string>
#include <string_view>

namespace Confab::Bench {

class WsConnection
{
public:
    enum class State { Connecting, Upgrading, Open, Closed };

    // Called with each Engine.IO message packet's data (the Socket.IO packet, "4" stripped).
    std::function<void(std::string_view packet)> onMessage;
    std::function<void()> onOpen; // Engine.IO open packet received
    std::function<void()> onClose;

    WsConnection(EventLoop *loop, const sockaddr_in &server, const std::string &hostHeader, in_addr_t sourceAddress);
    ~WsConnection();
    WsConnection(const WsConnection &) = delete;
    WsConnection &operator=(const WsConnection &) = delete;

    bool start();
    // Sends an Engine.IO message (a Socket.IO packet such as `40{...}` or `42[...]`).
    void sendMessage(std::string_view socketIoPacket);
    void close();
    State state() const { return m_state; }

private:
    void handleEvents(uint32_t events);
    void readAll();
    void parseFrames();
    void handleText(std::string_view text);
    void sendFrame(uint8_t opcode, std::string_view payload);
    void flush();
    void fail();

    EventLoop *m_loop;
    sockaddr_in m_server;
    std::string m_hostHeader;
    in_addr_t m_source;
    int m_fd = -1;
    State m_state = State::Connecting;
    std::string m_in;
    size_t m_inOffset = 0;
    std::string m_out;
    bool m_wantWrite = false;
    EventLoop::Handler m_handler;
};

} // namespace Confab::Bench
