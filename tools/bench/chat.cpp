// chat: a realistic mix on one server. N users, each a member of a few of R rooms, each
// sending a message now and then (Poisson arrivals, a typing event first), sometimes
// fetching history or changing presence. Reports acknowledgement and delivery latency
// and deliveries per second, with the server's CPU and the generator's own.
#include "eventloop.h"
#include "httpapi.h"
#include "options.h"
#include "scenarios.h"
#include "stats.h"
#include "wsconnection.h"

#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <vector>

namespace Confab::Bench {

namespace {

struct ChatUser
{
    std::unique_ptr<WsConnection> connection;
    std::vector<int> rooms;
    std::map<int, int64_t> sentAtByAck; // ack id → send time (messages only)
    int nextAckId = 1;
    int setupAcksLeft = 0;
    int64_t nextSendNs = 0;
    bool ready = false;
};

} // namespace

int runChat(const Options &options)
{
    Target target;
    std::string error;
    if (!options.target(&target, &error))
        return fprintf(stderr, "confab-bench: %s\n", error.c_str()), 2;
    const int userCount = int(options.number("users", 200));
    const int roomCount = int(options.number("rooms", 20));
    const int roomsPerUser = std::min(roomCount, int(options.number("rooms-per-user", 3)));
    const double perUserPerSecond = options.number("messages-per-minute", 6) / 60.0;
    const double durationS = options.number("duration", 20);
    const int serverPid = int(options.number("server-pid", 0));
    const std::string prefix = "chat" + std::to_string(getpid()) + "-";

    std::vector<std::string> tokens;
    for (int i = 0; i < userCount; ++i) {
        tokens.push_back(tokenFor(target.address, target.host, prefix + std::to_string(i)));
        if (tokens.back().empty())
            return fprintf(stderr, "confab-bench: cannot register at %s\n", target.host.c_str()), 1;
    }

    EventLoop loop;
    std::mt19937 random { 42 };
    std::exponential_distribution<double> gapS(perUserPerSecond);
    std::uniform_real_distribution<double> uniform(0, 1);
    std::vector<ChatUser> users(static_cast<size_t>(userCount));
    std::vector<int64_t> ackNs, deliveryNs;
    int64_t sent = 0, acked = 0, failed = 0, delivered = 0, ready = 0;
    bool measuring = false;
    const std::string roomPrefix = "mix" + std::to_string(getpid()) + "-";
    auto roomName = [&](int room) { return roomPrefix + std::to_string(room); };

    for (int i = 0; i < userCount; ++i) {
        ChatUser &user = users[size_t(i)];
        for (int k = 0; k < roomsPerUser; ++k)
            user.rooms.push_back((i + k * 7) % roomCount);
        user.connection = std::make_unique<WsConnection>(&loop, target.address, target.host, options.source(i));
        WsConnection *raw = user.connection.get();
        raw->onOpen = [raw, token = tokens[size_t(i)]] { raw->sendMessage("0{\"token\":\"" + token + "\"}"); };
        raw->onMessage = [&, i](std::string_view packet) {
            ChatUser &u = users[size_t(i)];
            const int64_t now = EventLoop::nowNs();
            if (packet.rfind("0", 0) == 0 && u.setupAcksLeft == 0 && !u.ready) {
                // Create (or find taken) and join each room, in order on this socket.
                for (int room : u.rooms) {
                    const std::string body = "{\"room\":\"" + roomName(room) + "\"}";
                    u.connection->sendMessage("2" + std::to_string(u.nextAckId++) + "[\"room:create\"," + body + "]");
                    u.connection->sendMessage("2" + std::to_string(u.nextAckId++) + "[\"room:join\"," + body + "]");
                    u.setupAcksLeft += 2;
                }
                return;
            }
            if (packet.rfind("3", 0) == 0) {
                const int ackId = std::atoi(std::string(packet.substr(1, 12)).c_str());
                const auto sentAt = u.sentAtByAck.find(ackId);
                if (sentAt != u.sentAtByAck.end()) {
                    if (packet.find("\"seq\":") != std::string_view::npos) {
                        ++acked;
                        if (measuring)
                            ackNs.push_back(now - sentAt->second);
                    } else {
                        ++failed;
                    }
                    u.sentAtByAck.erase(sentAt);
                } else if (!u.ready && --u.setupAcksLeft == 0) {
                    u.ready = true;
                    ++ready;
                }
                return;
            }
            // 2["message",{..."text":"t<ns>"...}]
            if (packet.rfind("2[\"message\"", 0) == 0) {
                const size_t at = packet.find("\"text\":\"t");
                if (at == std::string_view::npos)
                    return;
                ++delivered;
                if (measuring)
                    deliveryNs.push_back(now - std::atoll(std::string(packet.substr(at + 9, 20)).c_str()));
            }
        };
        raw->onClose = [&] { ++failed; };
        raw->start();
    }

    // Everyone set up first (bounded wait), then the mix.
    loop.run(EventLoop::nowNs() + 60'000'000'000, 10'000'000, [&] {
        if (ready == userCount)
            loop.stop();
    });
    const int64_t startNs = EventLoop::nowNs();
    for (ChatUser &user : users)
        user.nextSendNs = startNs + int64_t(gapS(random) * 1e9);
    measuring = true;
    const double ownBefore = ownCpuSeconds(), serverBefore = processCpuSeconds(serverPid);
    const int64_t deliveredBefore = delivered;
    loop.run(startNs + int64_t(durationS * 1e9), 2'000'000, [&] {
        const int64_t now = EventLoop::nowNs();
        for (ChatUser &user : users) {
            if (!user.ready || now < user.nextSendNs)
                continue;
            user.nextSendNs = now + int64_t(gapS(random) * 1e9);
            const std::string room = roomName(user.rooms[size_t(random() % user.rooms.size())]);
            user.connection->sendMessage("2[\"typing\",{\"room\":\"" + room + "\",\"active\":true}]");
            const int ackId = user.nextAckId++;
            user.sentAtByAck[ackId] = now;
            user.connection->sendMessage("2" + std::to_string(ackId) + "[\"message:send\",{\"room\":\"" + room
                                         + "\",\"clientId\":\"c" + std::to_string(ackId) + "\",\"text\":\"t"
                                         + std::to_string(now) + "\"}]");
            ++sent;
            // Now and then: catch up on a room, or step away and back.
            const double dice = uniform(random);
            if (dice < 0.1)
                user.connection->sendMessage("2" + std::to_string(user.nextAckId++) + "[\"history:fetch\",{\"room\":\"" + room
                                             + "\",\"limit\":50}]");
            else if (dice < 0.15)
                user.connection->sendMessage(std::string("2[\"presence:set\",{\"status\":\"")
                                             + (dice < 0.125 ? "away" : "online") + "\"}]");
        }
    });
    const double seconds = double(EventLoop::nowNs() - startNs) / 1e9;
    printf("{\"scenario\":\"chat\",\"users\":%d,\"rooms\":%d,\"roomsPerUser\":%d,\"ready\":%lld,\"seconds\":%.1f,"
           "\"messagesSent\":%lld,\"acked\":%lld,\"failed\":%lld,\"ackP50Ms\":%.2f,\"ackP99Ms\":%.2f,"
           "\"deliveriesPerSecond\":%.0f,\"deliveryP50Ms\":%.2f,\"deliveryP99Ms\":%.2f,\"serverCpu\":%.2f,\"generatorCpu\":%.2f}\n",
           userCount, roomCount, roomsPerUser, static_cast<long long>(ready), seconds, static_cast<long long>(sent),
           static_cast<long long>(acked), static_cast<long long>(failed), percentileMs(ackNs, 0.5), percentileMs(ackNs, 0.99),
           double(delivered - deliveredBefore) / seconds, percentileMs(deliveryNs, 0.5), percentileMs(deliveryNs, 0.99),
           serverPid ? (processCpuSeconds(serverPid) - serverBefore) / seconds : 0.0, (ownCpuSeconds() - ownBefore) / seconds);
    return ready == userCount && failed == 0 ? 0 : 1;
}

} // namespace Confab::Bench
