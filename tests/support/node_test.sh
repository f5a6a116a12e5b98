#!/usr/bin/env bash
# Runs node tests (node's test runner) that may import the shared suite harness
# (tests/support/suite.mjs) and pinned npm packages. TEST_DIR's *.mjs go to WORK_DIR/<name
# of TEST_DIR>/ and tests/support's *.mjs to WORK_DIR/support/, so `../support/suite.mjs`
# resolves as it does in the source tree; TEST_DIR's package.json and package-lock.json, if
# it has them, are installed with `npm ci` into WORK_DIR (found by node from the tests'
# parent directory; again only when the lockfile changes; never into the source tree).
# Usage: tests/support/node_test.sh TEST_DIR WORK_DIR TEST_FILE...
set -euo pipefail
support=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
test_dir=$(cd "${1:?test directory}" && pwd)
work=${2:?work directory}
shift 2
for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is missing: run scripts/install-deps.sh" >&2
    exit 1
  fi
done
name=$(basename "$test_dir")
mkdir -p "$work/$name" "$work/support"
cp "$support"/*.mjs "$work/support/"
cp "$test_dir"/*.mjs "$work/$name/"
if [ -f "$test_dir/package-lock.json" ]; then
  cp "$test_dir/package.json" "$test_dir/package-lock.json" "$work/"
  lock_sum=$(sha256sum "$test_dir/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$work/.installed" 2>/dev/null)" != "$lock_sum" ]; then
    (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    echo "$lock_sum" >"$work/.installed"
  fi
fi
cd "$work/$name"
exec node --test --test-reporter=spec "$@"
