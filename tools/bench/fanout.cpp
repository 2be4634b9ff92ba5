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

int runFanout(const Options &options)
{
    Target target;
    std::string error;
    if (!options.target(&target, &error))
        return fprintf(stderr, "confab-bench: %s\n", error.c_str()), 2;
    // --publish-url: the publisher on another node of a cluster (subscribers stay on --url).
    Target publishTarget = target;
    if (!options.text("publish-url", "").empty() && !options.target(&publishTarget, &error, "publish-url"))
        return fprintf(stderr, "confab-bench: %s\n", error.c_str()), 2;
    const int subscribers = int(options.number("subscribers", 1000));
    const double rate = options.number("rate", 1000);
    const double warmupS = options.number("warmup", 2);
    const double durationS = options.number("duration", 10);
    const int size = int(options.number("size", 100));
    const int window = int(options.number("window", 2000));
    const int serverPid = int(options.number("server-pid", 0));
    const std::string suffix = std::to_string(getpid());
    const std::string room = "bench-" + suffix;
    const std::string publisherToken = tokenFor(publishTarget.address, publishTarget.host, "benchpub" + suffix);
    const std::string subscriberToken = tokenFor(target.address, target.host, "benchsub" + suffix);
    if (publisherToken.empty() || subscriberToken.empty())
        return fprintf(stderr, "confab-bench: cannot register at %s\n", target.host.c_str()), 1;

    EventLoop loop;
    int ready = 0;
    bool measuring = false;
    int64_t deliveries = 0;
    int64_t acked = 0;
    std::vector<int64_t> latencies;
    latencies.reserve(size_t(std::min(50e6, rate * double(subscribers) * durationS)));

    auto authenticate = [](WsConnection *connection, const std::string &token) {
        connection->onOpen = [connection, token] { connection->sendMessage("0{\"token\":\"" + token + "\"}"); };
    };
    std::vector<std::unique_ptr<WsConnection>> connections;
    auto publisher = std::make_unique<WsConnection>(&loop, publishTarget.address, publishTarget.host, options.source(0));
    authenticate(publisher.get(), publisherToken);
    bool publisherReady = false;
    publisher->onMessage = [&](std::string_view packet) {
        if (packet.rfind("0", 0) == 0 && !publisherReady)
            publisher->sendMessage("20[\"room:create\",{\"room\":\"" + room + "\"}]");
        else if (packet.rfind("30", 0) == 0 && !publisherReady)
            publisherReady = true;
        else if (packet[0] == '3')
            ++acked;
    };
    publisher->start();

    auto onDelivery = [&](std::string_view packet) {
        if (packet.rfind("2[\"message\"", 0) != 0)
            return;
        const size_t mark = packet.find("t=");
        int64_t sentNs = 0;
        if (mark == std::string_view::npos
            || std::from_chars(packet.data() + mark + 2, packet.data() + packet.size(), sentNs).ec != std::errc())
            return;
        if (!measuring)
            return;
        ++deliveries;
        if (latencies.size() < latencies.capacity())
            latencies.push_back(EventLoop::nowNs() - sentNs);
    };
    // Subscribers connect once the room exists, up to 256 handshakes in flight.
    int started = 0;
    std::function<void()> startMore = [&] {
        while (started < subscribers && started - ready < 256) {
            auto connection = std::make_unique<WsConnection>(&loop, target.address, target.host, options.source(started + 1));
            WsConnection *raw = connection.get();
            authenticate(raw, subscriberToken);
            raw->onMessage = [&, raw, joined = false](std::string_view packet) mutable {
                if (!joined && packet.rfind("0", 0) == 0) {
                    raw->sendMessage("21[\"room:join\",{\"room\":\"" + room + "\"}]");
                } else if (!joined && packet.rfind("31", 0) == 0) {
                    joined = true;
                    ++ready;
                    startMore();
                } else {
                    onDelivery(packet);
                }
            };
            raw->start();
            connections.push_back(std::move(connection));
            ++started;
        }
    };
    const int64_t setupDeadline = EventLoop::nowNs() + 120'000'000'000;
    loop.run(setupDeadline, 1'000'000, [&] {
        if (publisherReady && started == 0)
            startMore();
        if (ready == subscribers)
            loop.stop();
    });
    if (ready < subscribers)
        return fprintf(stderr, "confab-bench: only %d of %d subscribers joined\n", ready, subscribers), 1;

    // Publish at the rate, with at most `window` messages unacknowledged.
    const std::string padding(size_t(std::max(0, size - 24)), 'x');
    int64_t sent = 0;
    const int64_t startNs = EventLoop::nowNs();
    const int64_t measureFromNs = startNs + int64_t(warmupS * 1e9);
    const int64_t endNs = measureFromNs + int64_t(durationS * 1e9);
    double ownCpuAtStart = 0, serverCpuAtStart = 0;
    int64_t sentAtStart = 0, skipped = 0;
    char packet[64 + 4096];
    loop.run(endNs, 1'000'000, [&] {
        const int64_t now = EventLoop::nowNs();
        if (!measuring && now >= measureFromNs) {
            measuring = true;
            ownCpuAtStart = ownCpuSeconds();
            serverCpuAtStart = processCpuSeconds(serverPid);
            sentAtStart = sent;
        }
        const int64_t due = int64_t(rate * double(now - startNs) / 1e9);
        while (sent < due) {
            if (sent - acked >= window) {
                skipped += due - sent; // the server is not keeping up: count, do not queue
                sent = due;
                break;
            }
            const int length = snprintf(packet, sizeof packet,
                                        "2%lld[\"message:send\",{\"room\":\"%s\",\"clientId\":\"c%lld\",\"text\":\"t=%lld %s\"}]",
                                        static_cast<long long>(sent), room.c_str(), static_cast<long long>(sent),
                                        static_cast<long long>(EventLoop::nowNs()), padding.c_str());
            publisher->sendMessage(std::string_view(packet, size_t(std::min<int>(length, int(sizeof packet) - 1))));
            ++sent;
        }
    });
    const double ownCpu = ownCpuSeconds() - ownCpuAtStart;
    const double serverCpu = serverPid ? processCpuSeconds(serverPid) - serverCpuAtStart : 0;
    const double perSecond = double(deliveries) / durationS;
    printf("{\"scenario\":\"fanout\",\"subscribers\":%d,\"rate\":%.0f,\"sizeBytes\":%d,\"seconds\":%.1f,"
           "\"published\":%lld,\"skippedBehind\":%lld,\"deliveriesPerSecond\":%.0f,\"expectedPerSecond\":%.0f,"
           "\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"p999Ms\":%.2f,\"generatorCpu\":%.2f,\"serverCpu\":%.2f}\n",
           subscribers, rate, size, durationS, static_cast<long long>(sent - sentAtStart), static_cast<long long>(skipped),
           perSecond, rate * subscribers, percentileMs(latencies, 0.5), percentileMs(latencies, 0.99),
           percentileMs(latencies, 0.999), ownCpu / durationS, serverCpu / durationS);
    return 0;
}

} // namespace Confab::Bench
