#!/usr/bin/env bash
# Runs the console's browser test (browser.test.mjs) with node's test runner:
# playwright-core from the npm registry (pinned by package-lock.json, installed with
# `npm ci` into WORK_DIR, never into the source tree) drives Debian's chromium.
# Usage: tests/console/run.sh WORK_DIR   (ctest passes a directory in the build tree and the
# binaries' paths in the environment; see CMakeLists.txt).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=${1:?work directory}
chromium=${METROCAP_CHROMIUM:-/usr/bin/chromium}
for tool in node npm "$chromium"; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is missing: run scripts/install-deps.sh" >&2
    exit 1
  fi
done
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here"/*.mjs "$work/"
lock_sum=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$work/.installed" 2>/dev/null)" != "$lock_sum" ]; then
  (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >"$work/.installed"
fi
rm -rf "${CONSOLE_SCREENSHOT_DIR:?}"
cd "$work"
exec node --test --test-reporter=spec browser.test.mjs
