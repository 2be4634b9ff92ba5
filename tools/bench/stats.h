// Figures for the generator's report: latency percentiles, and CPU time of this process
// and of the server under test (so every figure comes with who was busy).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace Confab::Bench {

// p in [0, 1] over unsorted samples (sorted in place).
double percentileMs(std::vector<int64_t> &samplesNs, double p);
// User + system CPU seconds of this process, or of another one from /proc (0 when unknown).
double ownCpuSeconds();
double processCpuSeconds(int pid);
// Resident set size of a process in KiB, from /proc (0 when unknown).
int64_t residentKb(int pid);

} // namespace Confab::Bench
