#!/usr/bin/env bash
# Configures and builds metrocap into ./build (Ninja, ccache, -j2). Safe to run again:
# only what changed is rebuilt. Arguments: [target...] (default: everything) and
# --install <prefix> to also install the binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${METROCAP_BUILD_DIR:-build}
jobs=${METROCAP_BUILD_JOBS:-2}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Relative paths in the cache key, so clones in other directories share the cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(pwd)}
# ...and without the working directory in the key (ccache hashes it by default when debug
# info is on), so a fresh clone or a worktree hits what another checkout compiled.
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
targets=()
prefix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --install) prefix=${2:?install prefix}; shift 2 ;;
    *) targets+=(--target "$1"); shift ;;
  esac
done
cmake --build "$build_dir" -j "$jobs" "${targets[@]}"
if [ -n "$prefix" ]; then
  cmake --install "$build_dir" --prefix "$prefix"
fi
