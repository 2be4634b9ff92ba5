// confab-bench: a load generator that speaks Engine.IO v4 / Socket.IO v5 over WebSocket,
// so it drives confabd and the stock Node.js Socket.IO server alike. Prints one JSON
// object per run. See docs/BENCHMARKS.md for the figures and the commands.
#include "options.h"
#include "scenarios.h"

#include <cstdio>
#include <string>

using namespace Confab::Bench;

namespace {

int usage()
{
    fputs("usage: confab-bench SCENARIO [--key value]...\n\n"
          "  fanout       --subscribers N --rate MSGS_PER_S --size BYTES --duration S --warmup S --window N\n"
          "               [--publish-url URL: publisher on another cluster node]\n"
          "  connections  --count N --processes P --hold S\n"
          "  storm        --urls LB,LB,... --node-urls N,N,... --clients N --processes P --kill-pid PID\n"
          "               [--settle S --timeout S --publish-rate MSGS_PER_S]\n"
          "  chat         --users N --rooms R --rooms-per-user K --messages-per-minute M --duration S\n"
          "               [--edit-every N --react-every N --receipt-every N: 1 in N messages]\n\n"
          "common: --url http://127.0.0.1:7480  --server-pid PID (server CPU and memory)  --sources N\n"
          "        (spread connections over 127.0.0.1..127.0.0.N, each with its own ephemeral ports)\n",
          stderr);
    return 64;
}

} // namespace

int main(int argc, char **argv)
{
    Options options;
    std::string error;
    if (!options.parse(argc, argv, &error))
        return usage();
    if (options.scenario == "fanout")
        return runFanout(options);
    if (options.scenario == "connections")
        return runConnections(options);
    if (options.scenario == "storm")
        return runStorm(options);
    if (options.scenario == "chat")
        return runChat(options);
    return usage();
}
