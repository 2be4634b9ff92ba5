#pragma once

namespace Confab::Bench {

class Options;

int runFanout(const Options &options);
int runConnections(const Options &options);
int runStorm(const Options &options);
int runChat(const Options &options);

} // namespace Confab::Bench
