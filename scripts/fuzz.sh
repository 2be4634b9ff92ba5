#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for SECONDS (default 60) on its
# committed seed corpus (new finds go to a scratch copy, not into the repository).
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
command -v clang++ >/dev/null && dpkg-query -W libclang-rt-14-dev >/dev/null 2>&1 || {
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq clang libclang-rt-14-dev >/dev/null
}
build=${CONFAB_FUZZ_BUILD_DIR:-build-fuzz}
CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONFAB_FUZZ=ON >/dev/null
cmake --build "$build" --target fuzz_all --parallel "$(nproc)"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in httprequest engineio socketio chatvalidation websocket fileheaders; do
  mkdir -p "$scratch/$target"
  echo "fuzz_$target: ${seconds}s"
  "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 \
    -artifact_prefix="$scratch/$target-" "$scratch/$target" "tests/fuzz/corpus/$target" 2>&1 | tail -3
done
echo "fuzz: all targets ran ${seconds}s without a crash"
