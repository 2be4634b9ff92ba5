// chat: a realistic mix on one server. N users, each a member of a few of R rooms, each
// sending a message now and then (Poisson arrivals, a typing event first), sometimes
// fetching history or changing presence; optionally (protocol v2) editing 1 in
// --edit-every of their messages, another member reacting to 1 in --react-every, and
// receivers sending a read receipt for 1 in --receipt-every messages they get. Reports
// acknowledgement and delivery latency and deliveries per second, with the server's CPU
// (and CPU per message) and the generator's own.
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

struct Sent
{
    int64_t atNs = 0;
    int room = 0;
    bool isChange = false; // an edit or a reaction, not a message
};

struct ChatUser
{
    std::unique_ptr<WsConnection> connection;
    std::vector<int> rooms;
    std::map<int, Sent> sentByAck; // ack id → what was sent (messages and changes)
    int nextAckId = 1;
    int setupAcksLeft = 0;
    int64_t nextSendNs = 0;
    bool ready = false;
};

// One chat run: every user registered, connected and in its rooms, then the mix for
// the duration, then the report line.
class ChatRun
{
public:
    explicit ChatRun(const Options &options)
        : m_options(options)
    {
    }
    int run();

private:
    int prepare();
    std::string roomName(int room) const { return m_roomPrefix + std::to_string(room); }
    void connectUsers();
    void onUserMessage(ChatUser &user, std::string_view packet);
    void joinRooms(ChatUser &user);
    void onAck(ChatUser &user, std::string_view packet, int64_t now);
    void runMix();
    void act(ChatUser &user, int64_t now);
    void onAcked(ChatUser &user, const Sent &sent, std::string_view packet, int64_t now);
    void change(ChatUser &user, const std::string &event, const std::string &body, int room, int64_t now);
    void maybeSendReceipt(ChatUser &user, std::string_view packet);
    bool oneIn(int every) { return every > 0 && m_random() % unsigned(every) == 0; }
    void printReport(double seconds);

    const Options &m_options;
    Target m_target;
    int m_userCount = 0;
    int m_roomCount = 0;
    int m_roomsPerUser = 0;
    double m_durationS = 0;
    int m_serverPid = 0;
    int m_editEvery = 0, m_reactEvery = 0, m_receiptEvery = 0;
    std::vector<std::vector<int>> m_roomMembers; // room → users
    std::vector<std::string> m_tokens;
    std::string m_roomPrefix;

    std::mt19937 m_random { 42 };
    std::exponential_distribution<double> m_gapS;
    std::uniform_real_distribution<double> m_uniform { 0, 1 };
    // The loop first: the connections unregister from it when they go.
    EventLoop m_loop;
    std::vector<ChatUser> m_users;
    std::vector<int64_t> m_ackNs;
    std::vector<int64_t> m_deliveryNs;
    std::vector<int64_t> m_changeAckNs;
    int64_t m_sent = 0, m_acked = 0, m_failed = 0, m_delivered = 0, m_ready = 0;
    int64_t m_changes = 0, m_changesAcked = 0, m_updatesDelivered = 0, m_receipts = 0;
    bool m_measuring = false;
    double m_ownBefore = 0;
    double m_serverBefore = 0;
    int64_t m_deliveredBefore = 0;
};

// Reads the options and registers every user; 0, or the exit code.
int ChatRun::prepare()
{
    std::string error;
    if (!m_options.target(&m_target, &error))
        return fprintf(stderr, "confab-bench: %s\n", error.c_str()), 2;
    m_userCount = int(m_options.number("users", 200));
    m_roomCount = int(m_options.number("rooms", 20));
    m_roomsPerUser = std::min(m_roomCount, int(m_options.number("rooms-per-user", 3)));
    const double perUserPerSecond = m_options.number("messages-per-minute", 6) / 60.0;
    m_durationS = m_options.number("duration", 20);
    m_serverPid = int(m_options.number("server-pid", 0));
    m_editEvery = int(m_options.number("edit-every", 0));
    m_reactEvery = int(m_options.number("react-every", 0));
    m_receiptEvery = int(m_options.number("receipt-every", 0));
    const std::string prefix = "chat" + std::to_string(getpid()) + "-";
    for (int i = 0; i < m_userCount; ++i) {
        m_tokens.push_back(tokenFor(m_target.address, m_target.host, prefix + std::to_string(i)));
        if (m_tokens.back().empty())
            return fprintf(stderr, "confab-bench: cannot register at %s\n", m_target.host.c_str()), 1;
    }
    m_gapS = std::exponential_distribution<double>(perUserPerSecond);
    m_roomPrefix = "mix" + std::to_string(getpid()) + "-";
    return 0;
}

int ChatRun::run()
{
    if (const int failed = prepare())
        return failed;
    connectUsers();
    // Everyone set up first (bounded wait), then the mix.
    m_loop.run(EventLoop::nowNs() + 60'000'000'000, 10'000'000, [this] {
        if (m_ready == m_userCount)
            m_loop.stop();
    });
    const int64_t startNs = EventLoop::nowNs();
    for (ChatUser &user : m_users)
        user.nextSendNs = startNs + int64_t(m_gapS(m_random) * 1e9);
    m_measuring = true;
    m_ownBefore = ownCpuSeconds();
    m_serverBefore = processCpuSeconds(m_serverPid);
    m_deliveredBefore = m_delivered;
    m_loop.run(startNs + int64_t(m_durationS * 1e9), 2'000'000, [this] { runMix(); });
    printReport(double(EventLoop::nowNs() - startNs) / 1e9);
    return m_ready == m_userCount && m_failed == 0 ? 0 : 1;
}

// Each user in a few rooms, spread so that every room gets members.
void ChatRun::connectUsers()
{
    m_users.resize(static_cast<size_t>(m_userCount));
    m_roomMembers.resize(static_cast<size_t>(m_roomCount));
    for (int i = 0; i < m_userCount; ++i) {
        ChatUser &user = m_users[size_t(i)];
        for (int k = 0; k < m_roomsPerUser; ++k) {
            user.rooms.push_back((i + k * 7) % m_roomCount);
            m_roomMembers[size_t(user.rooms.back())].push_back(i);
        }
        user.connection = std::make_unique<WsConnection>(&m_loop, m_target.address, m_target.host, m_options.source(i));
        WsConnection *raw = user.connection.get();
        raw->onOpen = [raw, token = m_tokens[size_t(i)]] { raw->sendMessage("0{\"token\":\"" + token + "\"}"); };
        raw->onMessage = [this, i](std::string_view packet) { onUserMessage(m_users[size_t(i)], packet); };
        raw->onClose = [this] { ++m_failed; };
        raw->start();
    }
}

void ChatRun::onUserMessage(ChatUser &user, std::string_view packet)
{
    if (packet.rfind("0", 0) == 0 && user.setupAcksLeft == 0 && !user.ready)
        return joinRooms(user);
    const int64_t now = EventLoop::nowNs();
    if (packet.rfind("3", 0) == 0)
        return onAck(user, packet, now);
    // 2["message",{..."text":"t<ns>"...}]
    if (packet.rfind("2[\"message\"", 0) == 0) {
        const size_t at = packet.find("\"text\":\"t");
        if (at == std::string_view::npos)
            return;
        ++m_delivered;
        if (m_measuring)
            m_deliveryNs.push_back(now - std::atoll(std::string(packet.substr(at + 9, 20)).c_str()));
        maybeSendReceipt(user, packet);
    } else if (packet.rfind("2[\"message:update\"", 0) == 0) {
        ++m_updatesDelivered;
    }
}

// What a client with the room open does for some of what it is shown: "read up to here".
void ChatRun::maybeSendReceipt(ChatUser &user, std::string_view packet)
{
    if (!oneIn(m_receiptEvery))
        return;
    const size_t room = packet.find("\"room\":\"");
    const size_t seq = packet.find("\"seq\":");
    if (room == std::string_view::npos || seq == std::string_view::npos)
        return;
    const std::string_view name = packet.substr(room + 8, packet.find('"', room + 8) - room - 8);
    user.connection->sendMessage("2[\"receipt\",{\"room\":\"" + std::string(name) + "\",\"seq\":"
                                 + std::to_string(std::atoll(std::string(packet.substr(seq + 6, 20)).c_str()))
                                 + ",\"kind\":\"read\"}]");
    ++m_receipts;
}

// Create (or find taken) and join each room, in order on this socket.
void ChatRun::joinRooms(ChatUser &user)
{
    for (int room : user.rooms) {
        const std::string body = "{\"room\":\"" + roomName(room) + "\"}";
        user.connection->sendMessage("2" + std::to_string(user.nextAckId++) + "[\"room:create\"," + body + "]");
        user.connection->sendMessage("2" + std::to_string(user.nextAckId++) + "[\"room:join\"," + body + "]");
        user.setupAcksLeft += 2;
    }
}

// A message's ack (timed, counted as failed without a seq), or one of the set-up acks.
void ChatRun::onAck(ChatUser &user, std::string_view packet, int64_t now)
{
    const int ackId = std::atoi(std::string(packet.substr(1, 12)).c_str());
    const auto sent = user.sentByAck.find(ackId);
    if (sent != user.sentByAck.end()) {
        const Sent what = sent->second;
        user.sentByAck.erase(sent);
        onAcked(user, what, packet, now);
    } else if (!user.ready && --user.setupAcksLeft == 0) {
        user.ready = true;
        ++m_ready;
    }
}

// A message's ack: timed, then now and then edited by its sender or reacted to by
// another member of the room. A change's ack: timed. No seq (message) or rev (change): failed.
void ChatRun::onAcked(ChatUser &user, const Sent &sent, std::string_view packet, int64_t now)
{
    if (sent.isChange) {
        if (packet.find("\"rev\":") == std::string_view::npos)
            return void(++m_failed);
        ++m_changesAcked;
        if (m_measuring)
            m_changeAckNs.push_back(now - sent.atNs);
        return;
    }
    const size_t idAt = packet.find("\"id\":\"");
    if (packet.find("\"seq\":") == std::string_view::npos || idAt == std::string_view::npos)
        return void(++m_failed);
    ++m_acked;
    if (m_measuring)
        m_ackNs.push_back(now - sent.atNs);
    const std::string id(packet.substr(idAt + 6, packet.find('"', idAt + 6) - idAt - 6));
    const std::string target = "{\"room\":\"" + roomName(sent.room) + "\",\"id\":\"" + id + "\"";
    if (oneIn(m_editEvery))
        change(user, "message:edit", target + ",\"text\":\"edited\"}", sent.room, now);
    if (oneIn(m_reactEvery)) {
        const std::vector<int> &members = m_roomMembers[size_t(sent.room)];
        ChatUser &reactor = m_users[size_t(members[m_random() % members.size()])];
        change(reactor, "reaction:set", target + ",\"emoji\":\"👍\",\"on\":true}", sent.room, now);
    }
}

void ChatRun::change(ChatUser &user, const std::string &event, const std::string &body, int room, int64_t now)
{
    if (!user.ready)
        return;
    const int ackId = user.nextAckId++;
    user.sentByAck[ackId] = { now, room, true };
    user.connection->sendMessage("2" + std::to_string(ackId) + "[\"" + event + "\"," + body + "]");
    ++m_changes;
}

void ChatRun::runMix()
{
    const int64_t now = EventLoop::nowNs();
    for (ChatUser &user : m_users) {
        if (!user.ready || now < user.nextSendNs)
            continue;
        user.nextSendNs = now + int64_t(m_gapS(m_random) * 1e9);
        act(user, now);
    }
}

// A user's turn: typing, then a message to one of its rooms, and now and then more.
void ChatRun::act(ChatUser &user, int64_t now)
{
    const int roomIndex = user.rooms[size_t(m_random() % user.rooms.size())];
    const std::string room = roomName(roomIndex);
    user.connection->sendMessage("2[\"typing\",{\"room\":\"" + room + "\",\"active\":true}]");
    const int ackId = user.nextAckId++;
    user.sentByAck[ackId] = { now, roomIndex, false };
    user.connection->sendMessage("2" + std::to_string(ackId) + "[\"message:send\",{\"room\":\"" + room
                                 + "\",\"clientId\":\"c" + std::to_string(ackId) + "\",\"text\":\"t"
                                 + std::to_string(now) + "\"}]");
    ++m_sent;
    // Now and then: catch up on a room, or step away and back.
    const double dice = m_uniform(m_random);
    if (dice < 0.1)
        user.connection->sendMessage("2" + std::to_string(user.nextAckId++) + "[\"history:fetch\",{\"room\":\"" + room
                                     + "\",\"limit\":50}]");
    else if (dice < 0.15)
        user.connection->sendMessage(std::string("2[\"presence:set\",{\"status\":\"")
                                     + (dice < 0.125 ? "away" : "online") + "\"}]");
}

void ChatRun::printReport(double seconds)
{
    const double serverCpu = m_serverPid ? (processCpuSeconds(m_serverPid) - m_serverBefore) / seconds : 0.0;
    const double perSecond = double(m_acked + m_changesAcked) / seconds;
    printf("{\"edits+reactions\":%lld,\"changesAcked\":%lld,\"changeAckP99Ms\":%.2f,\"updatesDelivered\":%lld,"
           "\"receipts\":%lld,\"serverCpuMsPerMessage\":%.3f,",
           static_cast<long long>(m_changes), static_cast<long long>(m_changesAcked), percentileMs(m_changeAckNs, 0.99),
           static_cast<long long>(m_updatesDelivered), static_cast<long long>(m_receipts),
           perSecond > 0 ? serverCpu * 1000.0 / perSecond : 0.0);
    printf("\"scenario\":\"chat\",\"users\":%d,\"rooms\":%d,\"roomsPerUser\":%d,\"ready\":%lld,\"seconds\":%.1f,"
           "\"messagesSent\":%lld,\"acked\":%lld,\"failed\":%lld,\"ackP50Ms\":%.2f,\"ackP99Ms\":%.2f,"
           "\"deliveriesPerSecond\":%.0f,\"deliveryP50Ms\":%.2f,\"deliveryP99Ms\":%.2f,\"serverCpu\":%.2f,"
           "\"generatorCpu\":%.2f}\n",
           m_userCount, m_roomCount, m_roomsPerUser, static_cast<long long>(m_ready), seconds,
           static_cast<long long>(m_sent), static_cast<long long>(m_acked), static_cast<long long>(m_failed),
           percentileMs(m_ackNs, 0.5), percentileMs(m_ackNs, 0.99), double(m_delivered - m_deliveredBefore) / seconds,
           percentileMs(m_deliveryNs, 0.5), percentileMs(m_deliveryNs, 0.99), serverCpu,
           (ownCpuSeconds() - m_ownBefore) / seconds);
}

} // namespace

int runChat(const Options &options)
{
    return ChatRun(options).run();
}

} // namespace Confab::Bench
