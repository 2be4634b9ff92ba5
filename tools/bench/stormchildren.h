// The storm scenario's child processes (see storm.cpp): the ones holding the clients and
// the publisher. Each writes report lines to reportFd and runs until killed.
#pragma once

#include "options.h"

#include <string>
#include <vector>

namespace Confab::Bench {

// Holds `count` clients over the targets; every 100 ms reports "up <child> <n>"; for each
// client back after losing its connection, "back <ms>".
void holdClients(const Options &options, const std::vector<Target> &targets, const std::string &token, int count,
                 int firstIndex, int child, int reportFd);
// Publishes to one room until SIGUSR1, then reports
// "published <n> acked <n> lost <n> unacked <n>" (lost: acknowledged but missing from the history).
void publish(const Options &options, const std::vector<Target> &targets, const std::string &token, int reportFd);

} // namespace Confab::Bench
