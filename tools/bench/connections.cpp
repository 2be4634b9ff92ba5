// connections: hold N idle Socket.IO connections (heartbeats answered) and report the
// server's memory per connection. Past this machine's open-file limit per process, split
// the connections over --processes children, each with its own loop.
#include "eventloop.h"
#include "httpapi.h"
#include "options.h"
#include "scenarios.h"
#include "stats.h"
#include "wsconnection.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace Confab::Bench {

namespace {

// Opens count connections (256 handshakes in flight) and keeps them; writes "ready N\n"
// to reportFd once all are connected (or the deadline passed), then holds until killed.
void holdConnections(const Options &options, const Target &target, const std::string &token, int count, int firstIndex,
                     int reportFd)
{
    EventLoop loop;
    std::vector<std::unique_ptr<WsConnection>> connections;
    int connected = 0, started = 0, failed = 0;
    std::function<void()> startMore = [&] {
        while (started < count && started - connected - failed < 256) {
            auto connection = std::make_unique<WsConnection>(&loop, target.address, target.host,
                                                             options.source(firstIndex + started));
            WsConnection *raw = connection.get();
            const bool engineOnly = options.number("engine-only", 0) != 0; // Engine.IO only: no namespace
            raw->onOpen = [&, raw, engineOnly] {
                if (!engineOnly)
                    return raw->sendMessage("0{\"token\":\"" + token + "\"}");
                ++connected;
                startMore();
            };
            raw->onMessage = [&, counted = false](std::string_view packet) mutable {
                if (!counted && packet.rfind("0", 0) == 0) {
                    counted = true;
                    ++connected;
                    startMore();
                }
            };
            raw->onClose = [&] {
                ++failed;
                startMore();
            };
            if (!raw->start())
                ++failed;
            connections.push_back(std::move(connection));
            ++started;
        }
    };
    startMore();
    bool reported = false;
    const int64_t deadline = EventLoop::nowNs() + 300'000'000'000;
    loop.run(INT64_MAX, 100'000'000, [&] {
        if (!reported && (connected + failed == count || EventLoop::nowNs() > deadline)) {
            reported = true;
            const std::string line = "ready " + std::to_string(connected) + " " + std::to_string(failed) + "\n";
            if (write(reportFd, line.data(), line.size()) < 0)
                loop.stop();
        }
    });
}

} // namespace

int runConnections(const Options &options)
{
    Target target;
    std::string error;
    if (!options.target(&target, &error))
        return fprintf(stderr, "confab-bench: %s\n", error.c_str()), 2;
    const int count = int(options.number("count", 1000));
    const int processes = std::max(1, int(options.number("processes", 1)));
    const double holdS = options.number("hold", 10);
    const int serverPid = int(options.number("server-pid", 0));
    const std::string token = tokenFor(target.address, target.host, "benchidle" + std::to_string(getpid()));
    if (token.empty())
        return fprintf(stderr, "confab-bench: cannot register at %s\n", target.host.c_str()), 1;

    const int64_t baselineKb = residentKb(serverPid);
    int reports[2];
    if (pipe(reports) != 0)
        return 1;
    std::vector<pid_t> children;
    for (int i = 0; i < processes; ++i) {
        const int share = count / processes + (i < count % processes ? 1 : 0);
        const pid_t child = fork();
        if (child == 0) {
            close(reports[0]);
            holdConnections(options, target, token, share, i * (count / processes + 1), reports[1]);
            _exit(0);
        }
        children.push_back(child);
    }
    close(reports[1]);
    int connected = 0, failed = 0;
    FILE *lines = fdopen(reports[0], "r");
    for (int i = 0; i < processes; ++i) {
        int ok = 0, bad = 0;
        if (fscanf(lines, " ready %d %d", &ok, &bad) == 2) {
            connected += ok;
            failed += bad;
        }
    }
    // Let the server settle (buffers shrink after the handshakes), then hold.
    usleep(2'000'000);
    const int64_t heldKb = residentKb(serverPid);
    const double cpuBefore = processCpuSeconds(serverPid);
    usleep(useconds_t(holdS * 1e6));
    const int64_t afterHoldKb = residentKb(serverPid);
    const double serverCpu = processCpuSeconds(serverPid) - cpuBefore;
    for (const pid_t child : children)
        kill(child, SIGTERM);
    for (const pid_t child : children)
        waitpid(child, nullptr, 0);
    printf("{\"scenario\":\"connections\",\"requested\":%d,\"connected\":%d,\"failed\":%d,\"processes\":%d,"
           "\"serverBaselineKb\":%lld,\"serverHeldKb\":%lld,\"serverAfterHoldKb\":%lld,\"kbPerConnection\":%.2f,"
           "\"holdSeconds\":%.0f,\"serverCpuWhileIdle\":%.3f}\n",
           count, connected, failed, processes, static_cast<long long>(baselineKb), static_cast<long long>(heldKb),
           static_cast<long long>(afterHoldKb), connected ? double(heldKb - baselineKb) / connected : 0.0, holdS,
           holdS > 0 ? serverCpu / holdS : 0.0);
    return connected == count ? 0 : 1;
}

} // namespace Confab::Bench
