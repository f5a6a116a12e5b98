#!/usr/bin/env bash
# Checks that the runtime stage of deploy/docker/Dockerfile installs every shared library
# the built binaries need: each library ldd resolves is mapped to its Debian package, which
# must be one the Dockerfile installs, a dependency of one, or part of debian:12-slim (the
# Essential packages and apt, with their dependencies). Lists installed but unused packages.
# Usage: check-runtime-libs.sh DOCKERFILE BINARY...
set -euo pipefail
dockerfile=$1
shift

# The package list of the last stage's apt-get install.
listed=$(awk '/^FROM /{stage=""} {stage=stage $0 "\n"} END{printf "%s", stage}' "$dockerfile" |
  sed -e ':a' -e '/\\$/N; s/\\\n//; ta' | grep 'apt-get install' |
  sed -e 's/.*--no-install-recommends//' -e 's/&&.*//' | tr -s ' ' '\n' | grep -v '^$' | sort -u)
[ -n "$listed" ] || { echo "no apt-get install list in the runtime stage of $dockerfile"; exit 1; }

base=$( (dpkg-query -W -f='${Package} ${Essential}\n' | awk '$2=="yes"{print $1}'; echo apt) | sort -u)
# shellcheck disable=SC2086
allowed=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances $listed $base 2>/dev/null | grep -v '^ ' | tr -d '<>' | sort -u)

# Every (library, resolved path) pair the binaries load.
status=0
pairs=""
for bin in "$@"; do
  [ -x "$bin" ] || { echo "FAIL: $bin is not built"; status=1; continue; }
  pairs+=$(ldd "$bin" | awk -v b="$(basename "$bin")" '/=>/{print b, $1, $3} /^\s*\/.*ld-linux/{print b, $1, $1}')$'\n'
done

# Debian 12 has merged /usr: dpkg may record a library under /lib or /usr/lib, so ask for
# every spelling at once (one dpkg call: it is slow to start).
candidates() {
  local real
  real=$(readlink -f "$1")
  printf '%s\n' "$1" "$real" "${1#/usr}" "/usr$1" "${real#/usr}" "/usr$real"
}
paths=$(awk 'NF==3 && $3!="not"{print $3}' <<<"$pairs" | sort -u)
owners=$(for p in $paths; do candidates "$p"; done | sort -u | xargs -r dpkg -S 2>/dev/null || true)

needed=""
while read -r bin lib path; do
  [ -n "$bin" ] || continue
  if [ "$path" = "not" ]; then
    echo "FAIL: $bin: $lib is not found on this machine"
    status=1
    continue
  fi
  pkg=""
  for c in $(candidates "$path"); do
    pkg=$(awk -v p="$c" '{split($0, a, ": "); if (a[2] == p) {sub(/:.*/, "", a[1]); print a[1]; exit}}' <<<"$owners")
    [ -n "$pkg" ] && break
  done
  if [ -z "$pkg" ]; then
    echo "FAIL: $bin: no Debian package owns $path"
    status=1
    continue
  fi
  needed="$needed $pkg"
  if ! grep -qx "$pkg" <<<"$allowed"; then
    echo "FAIL: $bin needs $lib from $pkg, which the runtime stage does not install"
    status=1
  fi
done <<<"$pairs"

needed=$(tr ' ' '\n' <<<"$needed" | grep -v '^$' | sort -u)
echo "packages the binaries need: $(tr '\n' ' ' <<<"$needed")"
for p in $listed; do
  [ "$p" = ca-certificates ] && continue
  grep -qx "$p" <<<"$needed" || echo "note: $p is installed but no checked binary links it yet"
done
[ "$status" -eq 0 ] && echo "runtime libraries: 1 passed, 0 failed" || echo "runtime libraries: 0 passed, 1 failed"
exit "$status"
