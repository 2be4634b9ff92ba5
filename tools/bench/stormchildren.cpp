// The storm scenario's children: the client holders and the publisher. Both reconnect
// like a stock Socket.IO client (1 s doubling to 5 s, ±50 % jitter) when their node goes.
#include "stormchildren.h"

#include "eventloop.h"
#include "wsconnection.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>

namespace Confab::Bench {

namespace {

constexpr int MaxHandshakesInFlight = 256; // per process

void report(int fd, const std::string &line)
{
    const std::string text = line + "\n";
    if (write(fd, text.data(), text.size()) < 0)
        _exit(1);
}

// socket.io-client's default schedule: 1 s, doubling, at most 5 s, randomized by half.
int64_t reconnectDelayNs(int attempt, std::mt19937 &random)
{
    const double base = std::min(5000.0, 1000.0 * double(1 << std::min(attempt, 3)));
    std::uniform_real_distribution<double> jitter(0.5, 1.5);
    return int64_t(base * jitter(random) * 1e6);
}

struct StormClient
{
    std::unique_ptr<WsConnection> connection;
    int target = 0;
    bool connected = false;
    bool everConnected = false;
    int attempts = 0;
    int64_t downSinceNs = 0; // when it lost a working connection (0: not lost)
    int64_t retryAtNs = 0;   // when to try again (0: not waiting)
};

volatile sig_atomic_t stopPublishing = 0;

// The publisher: sends messages with acks at `rate` per second to one room, re-sends the
// unacknowledged ones with the same clientId after reconnecting (idempotent), and once
// told to stop (SIGUSR1), reads the room's history and reports what is missing.
class StormPublisher
{
public:
    StormPublisher(const Options &options, const std::vector<Target> &targets, const std::string &token, int reportFd);
    void run();

private:
    void open();
    void onMessage(std::string_view packet);
    void onConnected();
    void onHistoryPage(const std::string &body);
    void tick();
    void sendMessage(int number);
    void fetchHistory();

    const Options &m_options;
    const std::vector<Target> &m_targets;
    const std::string &m_token;
    const int m_reportFd;
    // The loop first: the connection unregisters from it when it goes.
    EventLoop m_loop;
    std::mt19937 m_random { uint32_t(getpid()) };
    const std::string m_room = "storm-" + std::to_string(getppid());
    const double m_rate;
    std::unique_ptr<WsConnection> m_connection;
    bool m_ready = false;
    int m_attempts = 0, m_targetIndex = 0, m_nextAckId = 1, m_published = 0;
    int64_t m_retryAtNs = 1, m_nextSendNs = 0;
    std::map<int, int> m_pendingByAckId; // ack id → message number
    std::set<int> m_unacked;             // message numbers sent, not acknowledged
    std::set<int> m_acked;
    std::string m_history; // the history replies, concatenated
    int m_historyAckId = -1;
    int64_t m_afterSeq = 0;
    bool m_fetching = false, m_done = false;
    int64_t m_stopDeadlineNs = 0;
};

StormPublisher::StormPublisher(const Options &options, const std::vector<Target> &targets, const std::string &token,
                               int reportFd)
    : m_options(options)
    , m_targets(targets)
    , m_token(token)
    , m_reportFd(reportFd)
    , m_rate(options.number("publish-rate", 20))
{
}

void StormPublisher::run()
{
    m_loop.run(INT64_MAX, 5'000'000, [this] { tick(); });
}

void StormPublisher::sendMessage(int number)
{
    const int ackId = m_nextAckId++;
    m_pendingByAckId[ackId] = number;
    m_connection->sendMessage("2" + std::to_string(ackId) + "[\"message:send\",{\"room\":\"" + m_room
                              + "\",\"clientId\":\"storm-" + std::to_string(number) + "\",\"text\":\"m"
                              + std::to_string(number) + "\"}]");
}

void StormPublisher::fetchHistory()
{
    m_historyAckId = m_nextAckId++;
    m_connection->sendMessage("2" + std::to_string(m_historyAckId) + "[\"history:fetch\",{\"room\":\"" + m_room
                              + "\",\"afterSeq\":" + std::to_string(m_afterSeq) + ",\"limit\":200}]");
}

// Connects to the next target in turn; a failed or lost connection schedules the next try.
void StormPublisher::open()
{
    m_retryAtNs = 0;
    m_ready = false;
    m_pendingByAckId.clear();
    const Target &target = m_targets[size_t(m_targetIndex++ % int(m_targets.size()))];
    m_connection = std::make_unique<WsConnection>(&m_loop, target.address, target.host, m_options.source(0));
    WsConnection *raw = m_connection.get();
    raw->onOpen = [raw, this] { raw->sendMessage("0{\"token\":\"" + m_token + "\"}"); };
    raw->onMessage = [this](std::string_view packet) { onMessage(packet); };
    raw->onClose = [this] {
        m_ready = false;
        m_retryAtNs = EventLoop::nowNs() + reconnectDelayNs(m_attempts++, m_random);
    };
    if (!raw->start())
        raw->onClose();
}

// (Re)connected: the room, then the unacknowledged messages again with the same clientIds.
void StormPublisher::onConnected()
{
    m_ready = true;
    m_attempts = 0;
    m_connection->sendMessage("20[\"room:create\",{\"room\":\"" + m_room + "\"}]");
    for (int number : m_unacked)
        sendMessage(number);
    if (m_fetching)
        fetchHistory();
}

void StormPublisher::onMessage(std::string_view packet)
{
    if (packet.rfind("0", 0) == 0 && !m_ready)
        return onConnected();
    if (packet.rfind("3", 0) != 0)
        return;
    const int ackId = std::atoi(std::string(packet.substr(1, 12)).c_str());
    const std::string body(packet.substr(packet.find('[')));
    if (ackId == m_historyAckId)
        return onHistoryPage(body);
    const auto pending = m_pendingByAckId.find(ackId);
    if (pending == m_pendingByAckId.end())
        return;
    if (body.find("\"seq\":") != std::string::npos) { // ok (or a duplicate of an earlier send)
        m_acked.insert(pending->second);
        m_unacked.erase(pending->second);
    }
    m_pendingByAckId.erase(pending);
}

// Pages of 200, ascending: goes on after the last seq seen; after the last page, the report.
void StormPublisher::onHistoryPage(const std::string &body)
{
    m_history += body;
    const size_t last = body.rfind("\"seq\":");
    if (last != std::string::npos && body.find("\"seq\":") != std::string::npos
        && std::count(body.begin(), body.end(), '{') > 200) {
        m_afterSeq = std::atoll(body.c_str() + last + 6);
        fetchHistory();
        return;
    }
    int lost = 0;
    for (int number : m_acked)
        lost += m_history.find("\"clientId\":\"storm-" + std::to_string(number) + "\"") == std::string::npos;
    report(m_reportFd,
           "published " + std::to_string(m_published) + " acked " + std::to_string(m_acked.size()) + " lost "
               + std::to_string(lost) + " unacked " + std::to_string(m_unacked.size()));
    m_done = true;
    m_loop.stop();
}

// Every 5 ms: reconnect when due, publish at the rate, and once stopped (and the last
// acks are in, or 20 s passed) read the history.
void StormPublisher::tick()
{
    const int64_t now = EventLoop::nowNs();
    if (m_retryAtNs != 0 && m_retryAtNs <= now) {
        m_connection.reset();
        open();
        return;
    }
    if (stopPublishing && m_stopDeadlineNs == 0)
        m_stopDeadlineNs = now + 20'000'000'000; // time for the last acks
    if (!m_ready || m_done)
        return;
    if (!stopPublishing && now >= m_nextSendNs) {
        m_nextSendNs = now + int64_t(1e9 / m_rate);
        m_unacked.insert(++m_published);
        sendMessage(m_published);
    }
    if (stopPublishing && !m_fetching && (m_unacked.empty() || now > m_stopDeadlineNs)) {
        m_fetching = true;
        fetchHistory();
    }
}

} // namespace

void holdClients(const Options &options, const std::vector<Target> &targets, const std::string &token, int count,
                 int firstIndex, int child, int reportFd)
{
    EventLoop loop;
    std::mt19937 random { uint32_t(getpid()) };
    std::vector<StormClient> clients(static_cast<size_t>(count));
    int up = 0, inFlight = 0;
    auto open = [&](int index) {
        StormClient &client = clients[size_t(index)];
        const Target &target = targets[size_t((firstIndex + index) % int(targets.size()))];
        client.retryAtNs = 0;
        client.connection
            = std::make_unique<WsConnection>(&loop, target.address, target.host, options.source(firstIndex + index));
        WsConnection *raw = client.connection.get();
        ++inFlight;
        raw->onOpen = [raw, &token] { raw->sendMessage("0{\"token\":\"" + token + "\"}"); };
        raw->onMessage = [&, index](std::string_view packet) {
            StormClient &c = clients[size_t(index)];
            if (c.connected || packet.rfind("0", 0) != 0)
                return;
            c.connected = true;
            c.everConnected = true;
            c.attempts = 0;
            --inFlight;
            ++up;
            if (c.downSinceNs != 0) {
                report(reportFd, "back " + std::to_string((EventLoop::nowNs() - c.downSinceNs) / 1'000'000));
                c.downSinceNs = 0;
            }
        };
        raw->onClose = [&, index] {
            StormClient &c = clients[size_t(index)];
            if (c.connected) {
                c.connected = false;
                --up;
                c.downSinceNs = EventLoop::nowNs();
            } else {
                --inFlight;
            }
            c.retryAtNs = EventLoop::nowNs() + reconnectDelayNs(c.attempts++, random);
        };
        if (!raw->start())
            raw->onClose();
    };
    int next = 0;
    loop.run(INT64_MAX, 20'000'000, [&] {
        const int64_t now = EventLoop::nowNs();
        // First connections, then reconnections whose time has come; a bounded number at once.
        while (next < count && inFlight < MaxHandshakesInFlight)
            open(next++);
        for (int i = 0; i < next && inFlight < MaxHandshakesInFlight; ++i) {
            StormClient &client = clients[size_t(i)];
            if (client.retryAtNs != 0 && client.retryAtNs <= now) {
                client.connection.reset();
                open(i);
            }
        }
        static int64_t lastReport = 0;
        if (now - lastReport >= 100'000'000) {
            lastReport = now;
            report(reportFd, "up " + std::to_string(child) + " " + std::to_string(up));
        }
    });
}

void publish(const Options &options, const std::vector<Target> &targets, const std::string &token, int reportFd)
{
    signal(SIGUSR1, [](int) { stopPublishing = 1; });
    StormPublisher(options, targets, token, reportFd).run();
}

} // namespace Confab::Bench
