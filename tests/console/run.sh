#!/usr/bin/env bash
# Runs the console's browser test (browser.test.mjs) with node's test runner:
# playwright-core from the npm registry (pinned by package-lock.json, installed with
# `npm ci` into WORK_DIR by tests/support/node_test.sh, never into the source tree) drives
# Debian's chromium against the suite tests/support/suite.mjs starts.
# Usage: tests/console/run.sh WORK_DIR   (ctest passes a directory in the build tree and the
# binaries' paths in the environment; see CMakeLists.txt).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=${1:?work directory}
chromium=${METROCAP_CHROMIUM:-/usr/bin/chromium}
if ! command -v "$chromium" >/dev/null; then
  echo "$chromium is missing: run scripts/install-deps.sh" >&2
  exit 1
fi
rm -rf "${CONSOLE_SCREENSHOT_DIR:?}"
exec bash "$here/../support/node_test.sh" "$here" "$work" browser.test.mjs
