#!/usr/bin/env bash
# Installs every Debian 12 package metrocap needs to build, run and test.
# Safe to run twice: apt skips what is already installed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libgrpc++-dev libgrpc-dev protobuf-compiler protobuf-compiler-grpc libprotobuf-dev
  libabsl-dev libhiredis-dev libgtest-dev libgmock-dev libsqlite3-dev libpq-dev libssl-dev
  libboost-dev libbenchmark-dev
  libzstd-dev  # the store's compressed data (common/store/stored_data.h)
  prometheus-cpp-dev  # metrics: the registry, series and the /metrics listener (common/metrics)
  clang-14 libclang-rt-14-dev
  golang-github-gogo-googleapis-dev grpc-proto
  redis-server postgresql
  chromium
  python3 python3-grpcio  # examples/python, run by the tests against the suite
  curl dpkg-dev  # tests/sanitizers: Debian's abseil source, rebuilt for the TSan run
)
# node and npm (the console's charting library, Google's AIP annotation protos, the test
# tools from the npm registry): a
# machine may already have a newer node with its own npm; otherwise take Debian's.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
