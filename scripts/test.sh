#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, integration, PostgreSQL,
# Redis, deploy manifests). The last lines are ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
ctest --test-dir "${METROCAP_BUILD_DIR:-build}" --output-on-failure -j2 --timeout 900 "$@"
