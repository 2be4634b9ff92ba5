// storm: clients held on a cluster through its load balancers, one node killed. Reports
// how long until every client that lost its node is connected again (each reconnecting
// like a stock Socket.IO client: 1 s doubling to 5 s, ±50 % jitter), whether any message
// the cluster acknowledged during the storm is missing from the room's history, and the
// highest load level the nodes reported meanwhile.
#include "eventloop.h"
#include "httpapi.h"
#include "options.h"
#include "scenarios.h"
#include "stats.h"
#include "wsconnection.h"

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <vector>

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

// A child: holds `count` clients over the targets; every 100 ms reports "up <child> <n>";
// for each client back after losing its connection, "back <ms>".
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
        client.connection = std::make_unique<WsConnection>(&loop, target.address, target.host,
                                                           options.source(firstIndex + index));
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

volatile sig_atomic_t stopPublishing = 0;

// The publisher: sends messages with acks at `rate` per second to one room, re-sends the
// unacknowledged ones with the same clientId after reconnecting (idempotent), and once
// told to stop (SIGUSR1), reads the room's history and reports
// "published <n> acked <n> lost <n>": lost = acknowledged but missing from the history.
void publish(const Options &options, const std::vector<Target> &targets, const std::string &token, int reportFd)
{
    signal(SIGUSR1, [](int) { stopPublishing = 1; });
    EventLoop loop;
    std::mt19937 random { uint32_t(getpid()) };
    const std::string room = "storm-" + std::to_string(getppid());
    const double rate = options.number("publish-rate", 20);
    std::unique_ptr<WsConnection> connection;
    bool ready = false;
    int attempts = 0, targetIndex = 0, nextAckId = 1, published = 0;
    int64_t retryAtNs = 1, nextSendNs = 0;
    std::map<int, int> pendingByAckId;   // ack id → message number
    std::set<int> unacked;               // message numbers sent, not acknowledged
    std::set<int> acked;
    std::string history;                 // the history replies, concatenated
    int historyAckId = -1;
    int64_t afterSeq = 0;
    bool fetching = false, done = false;
    int64_t stopDeadlineNs = 0;

    auto sendMessage = [&](int number) {
        const int ackId = nextAckId++;
        pendingByAckId[ackId] = number;
        connection->sendMessage("2" + std::to_string(ackId) + "[\"message:send\",{\"room\":\"" + room
                                + "\",\"clientId\":\"storm-" + std::to_string(number) + "\",\"text\":\"m"
                                + std::to_string(number) + "\"}]");
    };
    auto fetchHistory = [&] {
        historyAckId = nextAckId++;
        connection->sendMessage("2" + std::to_string(historyAckId) + "[\"history:fetch\",{\"room\":\"" + room
                                + "\",\"afterSeq\":" + std::to_string(afterSeq) + ",\"limit\":200}]");
    };
    auto open = [&] {
        retryAtNs = 0;
        ready = false;
        pendingByAckId.clear();
        const Target &target = targets[size_t(targetIndex++ % int(targets.size()))];
        connection = std::make_unique<WsConnection>(&loop, target.address, target.host, options.source(0));
        WsConnection *raw = connection.get();
        raw->onOpen = [raw, &token] { raw->sendMessage("0{\"token\":\"" + token + "\"}"); };
        raw->onMessage = [&](std::string_view packet) {
            if (packet.rfind("0", 0) == 0 && !ready) {
                ready = true;
                attempts = 0;
                connection->sendMessage("20[\"room:create\",{\"room\":\"" + room + "\"}]");
                for (int number : unacked) // after a reconnect: the same clientIds again
                    sendMessage(number);
                if (fetching)
                    fetchHistory();
                return;
            }
            if (packet.rfind("3", 0) != 0)
                return;
            const int ackId = std::atoi(std::string(packet.substr(1, 12)).c_str());
            const std::string body(packet.substr(packet.find('[')));
            if (ackId == historyAckId) {
                history += body;
                // Pages of 200, ascending: go on after the last seq seen.
                const size_t last = body.rfind("\"seq\":");
                if (last != std::string::npos && body.find("\"seq\":") != std::string::npos
                    && std::count(body.begin(), body.end(), '{') > 200) {
                    afterSeq = std::atoll(body.c_str() + last + 6);
                    fetchHistory();
                } else {
                    int lost = 0;
                    for (int number : acked)
                        lost += history.find("\"clientId\":\"storm-" + std::to_string(number) + "\"") == std::string::npos;
                    report(reportFd, "published " + std::to_string(published) + " acked " + std::to_string(acked.size())
                                         + " lost " + std::to_string(lost) + " unacked " + std::to_string(unacked.size()));
                    done = true;
                    loop.stop();
                }
                return;
            }
            const auto pending = pendingByAckId.find(ackId);
            if (pending == pendingByAckId.end())
                return;
            if (body.find("\"seq\":") != std::string::npos) { // ok (or a duplicate of an earlier send)
                acked.insert(pending->second);
                unacked.erase(pending->second);
            }
            pendingByAckId.erase(pending);
        };
        raw->onClose = [&] {
            ready = false;
            retryAtNs = EventLoop::nowNs() + reconnectDelayNs(attempts++, random);
        };
        if (!raw->start())
            raw->onClose();
    };
    loop.run(INT64_MAX, 5'000'000, [&] {
        const int64_t now = EventLoop::nowNs();
        if (retryAtNs != 0 && retryAtNs <= now) {
            connection.reset();
            open();
            return;
        }
        if (stopPublishing && stopDeadlineNs == 0)
            stopDeadlineNs = now + 20'000'000'000; // time for the last acks
        if (!ready || done)
            return;
        if (!stopPublishing && now >= nextSendNs) {
            nextSendNs = now + int64_t(1e9 / rate);
            unacked.insert(++published);
            sendMessage(published);
        }
        if (stopPublishing && !fetching && (unacked.empty() || now > stopDeadlineNs)) {
            fetching = true;
            fetchHistory();
        }
    });
}

double loadLevel(const Target &node)
{
    const HttpAnswer answer = request(node.address, node.host, "GET", "/metrics");
    const size_t at = answer.body.find("\nconfab_load_level ");
    return answer.status == 200 && at != std::string::npos ? std::atof(answer.body.c_str() + at + 19) : -1;
}

} // namespace

int runStorm(const Options &options)
{
    std::vector<Target> balancers, nodes;
    std::string error;
    if (!options.targets(&balancers, &error, "urls") || !options.targets(&nodes, &error, "node-urls"))
        return fprintf(stderr, "confab-bench: %s\n", error.c_str()), 2;
    const int count = int(options.number("clients", 1000));
    const int processes = std::max(1, int(options.number("processes", 1)));
    const int killPid = int(options.number("kill-pid", 0));
    const double timeoutS = options.number("timeout", 60);
    const std::string token = tokenFor(balancers[0].address, balancers[0].host, "storm" + std::to_string(getpid()));
    if (token.empty())
        return fprintf(stderr, "confab-bench: cannot register at %s\n", balancers[0].host.c_str()), 1;

    int reports[2];
    if (pipe(reports) != 0)
        return 1;
    const double cpuBefore = ownCpuSeconds();
    std::vector<pid_t> children;
    for (int i = 0; i <= processes; ++i) {
        const pid_t child = fork();
        if (child == 0) {
            close(reports[0]);
            if (i == processes)
                publish(options, balancers, token, reports[1]);
            else
                holdClients(options, balancers, token, count / processes + (i < count % processes ? 1 : 0),
                            i * (count / processes + 1), i, reports[1]);
            _exit(0);
        }
        children.push_back(child);
    }
    close(reports[1]);
    const pid_t publisher = children.back();

    std::vector<int> up(size_t(processes), 0);
    std::vector<int64_t> backNs;
    std::string publishReport;
    std::string pending;
    double maxLevel = 0;
    int64_t lastLevelCheck = 0;
    // Reads report lines for up to `ms`; returns false once the pipe is closed.
    auto pump = [&](int ms) {
        pollfd poller { reports[0], POLLIN, 0 };
        if (poll(&poller, 1, ms) <= 0)
            return true;
        char buffer[65536];
        const ssize_t got = read(reports[0], buffer, sizeof buffer);
        if (got <= 0)
            return false;
        pending.append(buffer, size_t(got));
        for (size_t end; (end = pending.find('\n')) != std::string::npos; pending.erase(0, end + 1)) {
            std::istringstream line(pending.substr(0, end));
            std::string kind;
            line >> kind;
            if (kind == "up") {
                int child = 0, n = 0;
                line >> child >> n;
                up[size_t(child)] = n;
            } else if (kind == "back") {
                int64_t ms = 0;
                line >> ms;
                backNs.push_back(ms * 1'000'000);
            } else if (kind == "published") {
                publishReport = pending.substr(0, end);
            }
        }
        return true;
    };
    auto totalUp = [&] { int sum = 0; for (int n : up) sum += n; return sum; };
    auto watchLoad = [&] {
        const int64_t now = EventLoop::nowNs();
        if (now - lastLevelCheck < 250'000'000)
            return;
        lastLevelCheck = now;
        for (const Target &node : nodes)
            maxLevel = std::max(maxLevel, loadLevel(node));
    };

    const int64_t startNs = EventLoop::nowNs();
    while (totalUp() < count && EventLoop::nowNs() - startNs < int64_t(timeoutS * 1e9) && pump(100)) { }
    const double connectSeconds = double(EventLoop::nowNs() - startNs) / 1e9;
    const int connectedBefore = totalUp();
    // Settle with the publisher running, then kill the node.
    for (int64_t until = EventLoop::nowNs() + int64_t(options.number("settle", 3) * 1e9); EventLoop::nowNs() < until;)
        pump(100), watchLoad();
    const int64_t killNs = EventLoop::nowNs();
    if (killPid > 0)
        kill(killPid, SIGKILL);
    int lowest = count;
    int64_t allBackNs = 0;
    int64_t lastProgress = killNs;
    while (EventLoop::nowNs() - killNs < int64_t(timeoutS * 1e9) && pump(50)) {
        watchLoad();
        if (options.number("progress", 0) != 0 && EventLoop::nowNs() - lastProgress >= 1'000'000'000) {
            lastProgress = EventLoop::nowNs();
            fprintf(stderr, "storm: %.0f s after the kill: %d of %d connected\n", double(lastProgress - killNs) / 1e9,
                    totalUp(), connectedBefore);
        }
        lowest = std::min(lowest, totalUp());
        // Back: as many up as before, after the drop has been seen.
        if (lowest < connectedBefore && totalUp() >= connectedBefore) {
            allBackNs = EventLoop::nowNs() - killNs;
            break;
        }
    }
    kill(publisher, SIGUSR1);
    for (int64_t until = EventLoop::nowNs() + 40'000'000'000; publishReport.empty() && EventLoop::nowNs() < until;)
        pump(100);
    for (const pid_t child : children)
        kill(child, SIGTERM);
    for (const pid_t child : children)
        waitpid(child, nullptr, 0);

    rusage childUsage {};
    getrusage(RUSAGE_CHILDREN, &childUsage); // the client processes and the publisher
    const double generatorCpu = ownCpuSeconds() - cpuBefore + double(childUsage.ru_utime.tv_sec + childUsage.ru_stime.tv_sec)
        + double(childUsage.ru_utime.tv_usec + childUsage.ru_stime.tv_usec) / 1e6;
    long published = 0, acked = 0, lost = -1, unacked = 0;
    sscanf(publishReport.c_str(), "published %ld acked %ld lost %ld unacked %ld", &published, &acked, &lost, &unacked);
    const size_t dropped = backNs.size() + size_t(std::max(0, connectedBefore - totalUp()));
    printf("{\"scenario\":\"storm\",\"clients\":%d,\"connected\":%d,\"connectSeconds\":%.1f,\"dropped\":%zu,"
           "\"allBack\":%s,\"allBackSeconds\":%.2f,\"backP50Ms\":%.0f,\"backP99Ms\":%.0f,\"backMaxMs\":%.0f,"
           "\"published\":%ld,\"acked\":%ld,\"unacked\":%ld,\"lostAcked\":%ld,\"maxLoadLevel\":%.0f,\"generatorCpu\":%.2f}\n",
           count, connectedBefore, connectSeconds, dropped, allBackNs > 0 ? "true" : "false", double(allBackNs) / 1e9,
           percentileMs(backNs, 0.5), percentileMs(backNs, 0.99), percentileMs(backNs, 1.0), published, acked, unacked, lost,
           maxLevel, generatorCpu / (double(EventLoop::nowNs() - startNs) / 1e9));
    return allBackNs > 0 && lost == 0 ? 0 : 1;
}

} // namespace Confab::Bench
