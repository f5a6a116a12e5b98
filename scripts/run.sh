#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole metrocap suite in the foreground on
# its embedded default (SQLite files under the data directory, no external server), loads
# the demo data, prints where each component listens, and stops cleanly on Ctrl-C.
# Safe to run again: the build is incremental and loading the demo data twice changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh
bash scripts/build.sh suite

data_dir=${METROCAP_DATA_DIR:-./var}
mkdir -p "$data_dir/log"
data_dir=$(cd "$data_dir" && pwd)
bin="$root/${METROCAP_BUILD_DIR:-build}"

# Secrets are made once per data directory and kept there (mode 600).
secrets="$data_dir/secrets.env"
if [ ! -f "$secrets" ]; then
  umask 077
  {
    echo "METROCAP_INTERNAL_CREDENTIAL=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    echo "METROCAP_ADMIN_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  } > "$secrets"
fi
set -a
# shellcheck disable=SC1090
. "$secrets"
export METROCAP_DATA_DIR="$data_dir"
export METROCAP_MEMBERSHIP_ADDRESS=${METROCAP_MEMBERSHIP_ADDRESS:-127.0.0.1:50051}
export METROCAP_ASSESSMENT_ADDRESS=${METROCAP_ASSESSMENT_ADDRESS:-127.0.0.1:50052}
export METROCAP_ROADMAPS_ADDRESS=${METROCAP_ROADMAPS_ADDRESS:-127.0.0.1:50053}
export METROCAP_HUBS_ADDRESS=${METROCAP_HUBS_ADDRESS:-127.0.0.1:50054}
gateway_grpc=${METROCAP_GATEWAY_GRPC_ADDRESS:-127.0.0.1:9090}
gateway_http=${METROCAP_GATEWAY_HTTP_ADDRESS:-127.0.0.1:8080}
set +a

pids=()
stop() {
  echo
  echo "stopping metrocap..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "stopped."
  exit 0
}
trap stop INT TERM

# start <component> <binary> <grpc address> [extra env...]
start() {
  local component=$1 binary=$2 address=$3
  shift 3
  if [ ! -x "$binary" ]; then
    echo "  $component: not built yet, skipped"
    return
  fi
  env METROCAP_LISTEN_ADDRESS="$address" "$@" "$binary" >>"$data_dir/log/$component.log" 2>&1 &
  pids+=($!)
  # Ready when grpc.health.v1 reports SERVING (polled, with a deadline).
  local deadline=$((SECONDS + 60))
  until "$bin/tools/metrocapctl" --address="$address" health >/dev/null 2>&1; do
    if ! kill -0 "${pids[-1]}" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      echo "  $component failed to start; see $data_dir/log/$component.log:" >&2
      tail -5 "$data_dir/log/$component.log" >&2
      stop
    fi
    sleep 0.2
  done
  echo "  $component: gRPC $address"
}

echo "starting metrocap (data in $data_dir, logs in $data_dir/log)"
start membership "$bin/services/membership/metrocap-membership" "$METROCAP_MEMBERSHIP_ADDRESS"
start assessment "$bin/services/assessment/metrocap-assessment" "$METROCAP_ASSESSMENT_ADDRESS"
start roadmaps "$bin/services/roadmaps/metrocap-roadmaps" "$METROCAP_ROADMAPS_ADDRESS"
start hubs "$bin/services/hubs/metrocap-hubs" "$METROCAP_HUBS_ADDRESS"
start gateway "$bin/gateway/metrocap-gateway" "$gateway_grpc" \
  METROCAP_HTTP_LISTEN_ADDRESS="$gateway_http"
[ -x "$bin/gateway/metrocap-gateway" ] && echo "  gateway: HTTP http://$gateway_http"

# Each service's data after membership's (assessments name its organisations). The loader
# creates what is missing and makes the `transitions` each item names (publish, submit,
# validate; see data/assessment/README.md), as the admin (METROCAP_ADMIN_TOKEN). A failed
# load is reported and the suite keeps running, so the cause can be looked at through it.
echo "loading demo data"
for service in membership assessment roadmaps hubs; do
  [ -f "data/$service/ORDER" ] || continue
  var="METROCAP_${service^^}_ADDRESS"
  [ -x "$bin/services/$service/metrocap-$service" ] || continue
  if ! "$bin/tools/metrocapctl" --address="${!var}" load "data/$service"; then
    echo "  loading data/$service stopped at the error above; the rest of its data is not loaded" >&2
  fi
done

# The demo's whole chain (docs/hubs.md): the hubs deliverer turns the insights data/hubs
# published into proposals on the MICAD roadmaps within moments; the Barcelona one is then
# accepted, once, so `:trace` on its roadmap shows revision -> proposal -> insight -> session.
# Waiting for the proposal (polled, with a deadline) is what makes this deterministic.
proposal=organisations/barcelona-metropolitan-area/roadmaps/twin-transition/proposals/micad-barcelona-living-lab-needs-digital-skills
if [ -x "$bin/services/hubs/metrocap-hubs" ]; then
  state=""
  deadline=$((SECONDS + 30))
  while [ -z "$state" ] && [ $SECONDS -lt $deadline ]; do
    state=$("$bin/tools/metrocapctl" --address="$METROCAP_ROADMAPS_ADDRESS" call \
      RoadmapService/GetRevisionProposal "{\"name\":\"$proposal\"}" 2>/dev/null |
      sed -n 's/.*"state": "\(.*\)".*/\1/p') || true
    [ -n "$state" ] || sleep 0.2
  done
  if [ "$state" = OPEN ]; then
    "$bin/tools/metrocapctl" --address="$METROCAP_ROADMAPS_ADDRESS" call \
      RoadmapService/AcceptRevisionProposal \
      "{\"name\":\"$proposal\",\"note\":\"Accepted for the demo by scripts/run.sh: the digital-skills action starts with the Living Lab's participants (illustrative).\"}" \
      >/dev/null && echo "  accepted $proposal"
  elif [ -z "$state" ]; then
    echo "  $proposal was not delivered within 30 s; see $data_dir/log/hubs.log" >&2
  fi
fi

# A demo API key for the admin partner, made once, for REST calls through the gateway.
key_file="$data_dir/demo-api-key"
if [ ! -s "$key_file" ]; then
  (umask 077; "$bin/tools/metrocapctl" --address="$METROCAP_MEMBERSHIP_ADDRESS" call \
    MembershipService/CreateApiKey \
    '{"parent":"partners/metropolis-secretariat","apiKeyId":"demo","apiKey":{"displayName":"demo key made by scripts/run.sh"}}' \
    | sed -n 's/.*"secret": "\(.*\)".*/\1/p' > "$key_file")
fi
echo
echo "metrocap is running. Admin token: METROCAP_ADMIN_TOKEN in $secrets"
echo "Demo API key (partners/metropolis-secretariat, ADMIN): $(cat "$key_file")"
echo "Admin console: http://$gateway_http/console/ (paste the demo API key)"
echo "Press Ctrl-C to stop."
wait
