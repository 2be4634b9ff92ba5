// fanout: N subscribers in one room, one publisher at a fixed rate. Reports deliveries
// per second and delivery latency (publisher's send to subscriber's receipt, one clock).
#include "eventloop.h"
#include "httpapi.h"
#include "options.h"
#include "scenarios.h"
#include "stats.h"
#include "wsconnection.h"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <memory>
#include <vector>

namespace Confab::Bench {

namespace {

constexpr int MaxHandshakesInFlight = 256;

// One fan-out run: set-up (publisher creates the room, subscribers join), then the
// measured publishing, then the report line.
class FanoutRun
{
public:
    explicit FanoutRun(const Options &options)
        : m_options(options)
    {
    }
    int run();

private:
    int prepare();
    void authenticate(WsConnection *connection, const std::string &token);
    void startPublisher();
    void startSubscribers();
    void onSubscriberMessage(WsConnection *connection, bool *joined, std::string_view packet);
    void onDelivery(std::string_view packet);
    void publish();
    void publishDue(int64_t now);
    void printReport();

    const Options &m_options;
    Target m_target;
    Target m_publishTarget;
    int m_subscribers = 0;
    double m_rate = 0;
    double m_warmupS = 0;
    double m_durationS = 0;
    int m_size = 0;
    int m_window = 0;
    int m_serverPid = 0;
    std::string m_room;
    std::string m_publisherToken;
    std::string m_subscriberToken;

    // The loop first: the connections unregister from it when they go.
    EventLoop m_loop;
    std::unique_ptr<WsConnection> m_publisher;
    std::vector<std::unique_ptr<WsConnection>> m_connections;
    bool m_publisherReady = false;
    int m_started = 0;
    int m_ready = 0;

    bool m_measuring = false;
    int64_t m_deliveries = 0;
    int64_t m_acked = 0;
    std::vector<int64_t> m_latencies;

    int64_t m_sent = 0;
    int64_t m_sentAtStart = 0;
    int64_t m_skipped = 0;
    int64_t m_startNs = 0;
    int64_t m_measureFromNs = 0;
    double m_ownCpuAtStart = 0;
    double m_serverCpuAtStart = 0;
    double m_ownCpu = 0;
    double m_serverCpu = 0;
    std::string m_padding;
};

// Reads the options and registers both users; 0, or the exit code.
int FanoutRun::prepare()
{
    std::string error;
    if (!m_options.target(&m_target, &error))
        return fprintf(stderr, "confab-bench: %s\n", error.c_str()), 2;
    // --publish-url: the publisher on another node of a cluster (subscribers stay on --url).
    m_publishTarget = m_target;
    if (!m_options.text("publish-url", "").empty() && !m_options.target(&m_publishTarget, &error, "publish-url"))
        return fprintf(stderr, "confab-bench: %s\n", error.c_str()), 2;
    m_subscribers = int(m_options.number("subscribers", 1000));
    m_rate = m_options.number("rate", 1000);
    m_warmupS = m_options.number("warmup", 2);
    m_durationS = m_options.number("duration", 10);
    m_size = int(m_options.number("size", 100));
    m_window = int(m_options.number("window", 2000));
    m_serverPid = int(m_options.number("server-pid", 0));
    const std::string suffix = std::to_string(getpid());
    m_room = "bench-" + suffix;
    m_publisherToken = tokenFor(m_publishTarget.address, m_publishTarget.host, "benchpub" + suffix);
    m_subscriberToken = tokenFor(m_target.address, m_target.host, "benchsub" + suffix);
    if (m_publisherToken.empty() || m_subscriberToken.empty())
        return fprintf(stderr, "confab-bench: cannot register at %s\n", m_target.host.c_str()), 1;
    return 0;
}

int FanoutRun::run()
{
    if (const int failed = prepare())
        return failed;
    m_latencies.reserve(size_t(std::min(50e6, m_rate * double(m_subscribers) * m_durationS)));
    startPublisher();
    const int64_t setupDeadline = EventLoop::nowNs() + 120'000'000'000;
    m_loop.run(setupDeadline, 1'000'000, [this] {
        if (m_publisherReady && m_started == 0)
            startSubscribers();
        if (m_ready == m_subscribers)
            m_loop.stop();
    });
    if (m_ready < m_subscribers)
        return fprintf(stderr, "confab-bench: only %d of %d subscribers joined\n", m_ready, m_subscribers), 1;
    publish();
    printReport();
    return 0;
}

void FanoutRun::authenticate(WsConnection *connection, const std::string &token)
{
    connection->onOpen = [connection, token] { connection->sendMessage("0{\"token\":\"" + token + "\"}"); };
}

// The publisher creates the room; after that, its acks count how far the server is behind.
void FanoutRun::startPublisher()
{
    m_publisher
        = std::make_unique<WsConnection>(&m_loop, m_publishTarget.address, m_publishTarget.host, m_options.source(0));
    authenticate(m_publisher.get(), m_publisherToken);
    m_publisher->onMessage = [this](std::string_view packet) {
        if (packet.rfind("0", 0) == 0 && !m_publisherReady)
            m_publisher->sendMessage("20[\"room:create\",{\"room\":\"" + m_room + "\"}]");
        else if (packet.rfind("30", 0) == 0 && !m_publisherReady)
            m_publisherReady = true;
        else if (packet[0] == '3')
            ++m_acked;
    };
    m_publisher->start();
}

// Subscribers connect once the room exists, up to 256 handshakes in flight; each one
// that has joined makes room for the next.
void FanoutRun::startSubscribers()
{
    while (m_started < m_subscribers && m_started - m_ready < MaxHandshakesInFlight) {
        auto connection
            = std::make_unique<WsConnection>(&m_loop, m_target.address, m_target.host, m_options.source(m_started + 1));
        WsConnection *raw = connection.get();
        authenticate(raw, m_subscriberToken);
        raw->onMessage = [this, raw, joined = false](std::string_view packet) mutable {
            onSubscriberMessage(raw, &joined, packet);
        };
        raw->start();
        m_connections.push_back(std::move(connection));
        ++m_started;
    }
}

void FanoutRun::onSubscriberMessage(WsConnection *connection, bool *joined, std::string_view packet)
{
    if (!*joined && packet.rfind("0", 0) == 0) {
        connection->sendMessage("21[\"room:join\",{\"room\":\"" + m_room + "\"}]");
    } else if (!*joined && packet.rfind("31", 0) == 0) {
        *joined = true;
        ++m_ready;
        startSubscribers();
    } else {
        onDelivery(packet);
    }
}

// A message carries its send time ("t=<ns>"): the latency is one clock's difference.
void FanoutRun::onDelivery(std::string_view packet)
{
    if (packet.rfind("2[\"message\"", 0) != 0)
        return;
    const size_t mark = packet.find("t=");
    int64_t sentNs = 0;
    if (mark == std::string_view::npos
        || std::from_chars(packet.data() + mark + 2, packet.data() + packet.size(), sentNs).ec != std::errc())
        return;
    if (!m_measuring)
        return;
    ++m_deliveries;
    if (m_latencies.size() < m_latencies.capacity())
        m_latencies.push_back(EventLoop::nowNs() - sentNs);
}

// Publishes at the rate through the warm-up and the measured duration.
void FanoutRun::publish()
{
    m_padding.assign(size_t(std::max(0, m_size - 24)), 'x');
    m_startNs = EventLoop::nowNs();
    m_measureFromNs = m_startNs + int64_t(m_warmupS * 1e9);
    const int64_t endNs = m_measureFromNs + int64_t(m_durationS * 1e9);
    m_loop.run(endNs, 1'000'000, [this] {
        const int64_t now = EventLoop::nowNs();
        if (!m_measuring && now >= m_measureFromNs) {
            m_measuring = true;
            m_ownCpuAtStart = ownCpuSeconds();
            m_serverCpuAtStart = processCpuSeconds(m_serverPid);
            m_sentAtStart = m_sent;
        }
        publishDue(now);
    });
    m_ownCpu = ownCpuSeconds() - m_ownCpuAtStart;
    m_serverCpu = m_serverPid ? processCpuSeconds(m_serverPid) - m_serverCpuAtStart : 0;
}

// Sends what the rate says is due by now, with at most `window` messages unacknowledged.
void FanoutRun::publishDue(int64_t now)
{
    char packet[64 + 4096];
    const int64_t due = int64_t(m_rate * double(now - m_startNs) / 1e9);
    while (m_sent < due) {
        if (m_sent - m_acked >= m_window) {
            m_skipped += due - m_sent; // the server is not keeping up: count, do not queue
            m_sent = due;
            break;
        }
        const int length
            = snprintf(packet, sizeof packet,
                       "2%lld[\"message:send\",{\"room\":\"%s\",\"clientId\":\"c%lld\",\"text\":\"t=%lld %s\"}]",
                       static_cast<long long>(m_sent), m_room.c_str(), static_cast<long long>(m_sent),
                       static_cast<long long>(EventLoop::nowNs()), m_padding.c_str());
        m_publisher->sendMessage(std::string_view(packet, size_t(std::min<int>(length, int(sizeof packet) - 1))));
        ++m_sent;
    }
}

// The JSON line; percentileMs sorts the samples in place, which is fine once the run is over.
void FanoutRun::printReport()
{
    const double perSecond = double(m_deliveries) / m_durationS;
    printf("{\"scenario\":\"fanout\",\"subscribers\":%d,\"rate\":%.0f,\"sizeBytes\":%d,\"seconds\":%.1f,"
           "\"published\":%lld,\"skippedBehind\":%lld,\"deliveriesPerSecond\":%.0f,\"expectedPerSecond\":%.0f,"
           "\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"p999Ms\":%.2f,\"generatorCpu\":%.2f,\"serverCpu\":%.2f}\n",
           m_subscribers, m_rate, m_size, m_durationS, static_cast<long long>(m_sent - m_sentAtStart),
           static_cast<long long>(m_skipped), perSecond, m_rate * m_subscribers, percentileMs(m_latencies, 0.5),
           percentileMs(m_latencies, 0.99), percentileMs(m_latencies, 0.999), m_ownCpu / m_durationS,
           m_serverCpu / m_durationS);
}

} // namespace

int runFanout(const Options &options)
{
    return FanoutRun(options).run();
}

} // namespace Confab::Bench
