#!/usr/bin/env bash
# The gateway benchmark: GetOrganisation on a warm cache, four ways, on this machine, in one
# run: (a) direct gRPC to membership, (b) gRPC through the gateway, (c) REST through the
# gateway (wrk), (d) gRPC through nginx grpc_pass to the same membership; plus (b) and (c)
# through a second gateway with authentication and rate limiting off. Concurrency 1, 16, 64;
# QPS, p50/p99 and server CPU time per request (utime+stime from /proc). Twice: unpinned,
# then pinned (every server on core 0, the load generator on core 1).
#
#   bench/gateway/run.sh [build-dir]        (default: build-bench, Release)
#   SECONDS_PER_RUN=8 CONCURRENCIES="1 16 64" MODES="unpinned pinned" bench/gateway/run.sh
#
# Prints a Markdown table per mode and leaves raw results in $OUT (default /tmp).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build-bench}
RUN_SECONDS=${SECONDS_PER_RUN:-8}
WARMUP=${WARMUP_SECONDS:-2}
CONCURRENCIES=${CONCURRENCIES:-"1 16 64"}
MODES=${MODES:-"unpinned pinned"}
OUT=${OUT:-$(mktemp -d /tmp/metrocap-gateway-bench.XXXXXX)}
ADMIN_TOKEN=bench-admin-token-0123456789
CREDENTIAL=bench-internal-credential-0123456789

"$ROOT/bench/gateway/install.sh"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >"$OUT/cmake.log"
ninja -C "$BUILD" -j2 metrocap-membership metrocap-gateway metrocap-gateway-loadgen >"$OUT/build.log"
MEMBERSHIP_BIN=$BUILD/services/membership/metrocap-membership
GATEWAY_BIN=$BUILD/gateway/metrocap-gateway
LOADGEN=$BUILD/bench/gateway/metrocap-gateway-loadgen

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
MEMBERSHIP_PORT=$(free_port); GW_HTTP=$(free_port); GW_GRPC=$(free_port)
GW2_HTTP=$(free_port); GW2_GRPC=$(free_port); NGINX_PORT=$(free_port)

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

env -i METROCAP_INTERNAL_CREDENTIAL=$CREDENTIAL METROCAP_ADMIN_TOKEN=$ADMIN_TOKEN \
  METROCAP_LISTEN_ADDRESS=127.0.0.1:$MEMBERSHIP_PORT METROCAP_DATA_DIR="$OUT/data" \
  METROCAP_MAX_THREADS=512 "$MEMBERSHIP_BIN" 2>"$OUT/membership.log" &
MEMBERSHIP_PID=$!; pids+=($MEMBERSHIP_PID)
start_gateway() {  # http grpc auth
  env -i METROCAP_INTERNAL_CREDENTIAL=$CREDENTIAL METROCAP_ADMIN_TOKEN=$ADMIN_TOKEN \
    METROCAP_MEMBERSHIP_ADDRESS=127.0.0.1:$MEMBERSHIP_PORT METROCAP_HTTP_LISTEN_ADDRESS=127.0.0.1:$1 \
    METROCAP_LISTEN_ADDRESS=127.0.0.1:$2 METROCAP_GATEWAY_AUTH=$3 \
    METROCAP_RATE_LIMIT_RPS=10000000 METROCAP_RATE_LIMIT_BURST=10000000 \
    "$GATEWAY_BIN" 2>"$OUT/gateway-$1.log" &
}
start_gateway "$GW_HTTP" "$GW_GRPC" true; GATEWAY_PID=$!; pids+=($GATEWAY_PID)
start_gateway "$GW2_HTTP" "$GW2_GRPC" false; GATEWAY2_PID=$!; pids+=($GATEWAY2_PID)

mkdir -p "$OUT/nginx/logs"
cat >"$OUT/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
error_log $OUT/nginx/logs/error.log warn;
pid $OUT/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $OUT/nginx/body;
  upstream membership {
    server 127.0.0.1:$MEMBERSHIP_PORT;
    keepalive 128;
    keepalive_requests 100000000;
    keepalive_timeout 600s;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT http2;
    keepalive_requests 100000000;
    keepalive_timeout 600s;
    location / { grpc_pass grpc://membership; }
  }
}
NGINX
nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" &
NGINX_PID=$!; pids+=($NGINX_PID)

for _ in $(seq 1 200); do
  if curl -sf -o /dev/null -H "Authorization: Bearer $ADMIN_TOKEN" \
      "http://127.0.0.1:$GW_HTTP/v1/regions" 2>/dev/null &&
     curl -sf -o /dev/null -H "Authorization: Bearer $ADMIN_TOKEN" \
      "http://127.0.0.1:$GW2_HTTP/v1/regions" 2>/dev/null; then break; fi
  sleep 0.1
done

admin() { curl -sf -X "$1" -H "Authorization: Bearer $ADMIN_TOKEN" "http://127.0.0.1:$GW_HTTP$2" -d "$3"; }
admin POST "/v1/regions?regionId=europe" '{"displayName":"Europe"}' >/dev/null
admin POST "/v1/organisations?organisationId=milan" \
  '{"displayName":"Città metropolitana di Milano","kind":"METROPOLITAN_AREA","countryCode":"IT","region":"regions/europe","population":"3214630"}' >/dev/null
admin POST "/v1/partners?partnerId=bench" '{"displayName":"Benchmark","role":"VIEWER"}' >/dev/null
KEY=$(admin POST "/v1/partners/bench/apiKeys" '{"displayName":"bench"}' |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')

cpu_ticks() {  # utime+stime of the given pids and their children threads
  local total=0
  for pid in "$@"; do
    read -r -a f < "/proc/$pid/stat"
    total=$((total + f[13] + f[14]))
  done
  echo $total
}
nginx_pids() { echo "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"; }
TICK=$(getconf CLK_TCK)

to_us() {  # wrk latency "1.23ms" -> microseconds
  python3 -c 'import sys,re; v=sys.argv[1]; m=re.match(r"([\d.]+)(us|ms|s)",v); n=float(m.group(1)); print(int(n*{"us":1,"ms":1000,"s":1000000}[m.group(2)]))' "$1"
}

run_grpc() {  # target key concurrency -> "qps p50 p99 ok errors"
  $LG "$LOADGEN" --target="$1" --key="$2" --concurrency="$3" --seconds="$RUN_SECONDS" \
    --warmup="$WARMUP" 2>>"$OUT/loadgen.err" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["qps"], r["p50_us"], r["p99_us"], r["ok"], r["errors"])'
}
run_rest() {  # port key concurrency
  local url="http://127.0.0.1:$1/v1/organisations/milan"
  $LG wrk -t1 -c"$3" -d"${WARMUP}s" -H "Authorization: Bearer $2" "$url" >/dev/null
  local out; out=$($LG wrk -t1 -c"$3" -d"${RUN_SECONDS}s" --latency -H "Authorization: Bearer $2" "$url")
  echo "$out" >>"$OUT/wrk.log"
  local qps p50 p99 total errors
  qps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(to_us "$(echo "$out" | awk '$1=="50%" {print $2}')")
  p99=$(to_us "$(echo "$out" | awk '$1=="99%" {print $2}')")
  total=$(echo "$out" | awk '/requests in/ {print $1}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}'); errors=${errors:-0}
  echo "$qps $p50 $p99 $total $errors"
}

echo "machine: $(nproc) CPUs, $(lscpu | awk -F: '/Model name/ {gsub(/^ +/,"",$2); print $2}'), kernel $(uname -r)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS="$OUT/results.tsv"
printf "mode\tpath\tconcurrency\tqps\tp50_us\tp99_us\trequests\terrors\tserver_cpu_us_per_req\n" >"$RESULTS"
for mode in $MODES; do
  LG=""
  if [ "$mode" = pinned ]; then
    for pid in $MEMBERSHIP_PID $GATEWAY_PID $GATEWAY2_PID $(nginx_pids); do
      taskset -a -p -c 0 "$pid" >/dev/null
    done
    LG="taskset -c 1"
  else
    for pid in $MEMBERSHIP_PID $GATEWAY_PID $GATEWAY2_PID $(nginx_pids); do
      taskset -a -p -c 0-$(($(nproc) - 1)) "$pid" >/dev/null
    done
  fi
  for c in $CONCURRENCIES; do
    for path in direct grpc_gateway rest_gateway nginx grpc_gateway_noauth rest_gateway_noauth; do
      case $path in
        direct) servers="$MEMBERSHIP_PID" ;;
        grpc_gateway|rest_gateway) servers="$MEMBERSHIP_PID $GATEWAY_PID" ;;
        grpc_gateway_noauth|rest_gateway_noauth) servers="$MEMBERSHIP_PID $GATEWAY2_PID" ;;
        nginx) servers="$MEMBERSHIP_PID $(nginx_pids)" ;;
      esac
      # Warm-up happens inside each run; CPU is counted over the whole run and divided by
      # the requests of the whole run (estimated from the measured QPS).
      before=$(cpu_ticks $servers); start=$(date +%s.%N)
      case $path in
        direct) r=$(run_grpc "127.0.0.1:$MEMBERSHIP_PORT" "$ADMIN_TOKEN" "$c") ;;
        grpc_gateway) r=$(run_grpc "127.0.0.1:$GW_GRPC" "$KEY" "$c") ;;
        grpc_gateway_noauth) r=$(run_grpc "127.0.0.1:$GW2_GRPC" "$ADMIN_TOKEN" "$c") ;;
        nginx) r=$(run_grpc "127.0.0.1:$NGINX_PORT" "$ADMIN_TOKEN" "$c") ;;
        rest_gateway) r=$(run_rest "$GW_HTTP" "$KEY" "$c") ;;
        rest_gateway_noauth) r=$(run_rest "$GW2_HTTP" "$ADMIN_TOKEN" "$c") ;;
      esac
      after=$(cpu_ticks $servers); end=$(date +%s.%N)
      read -r qps p50 p99 requests errors <<<"$r"
      cpu=$(python3 -c "import sys; q,t,s,e=map(float,sys.argv[1:]); n=q*(e-s); print(round((t/$TICK)*1e6/n,1) if n>0 else 0)" \
            "$qps" "$((after - before))" "$start" "$end")
      printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$mode" "$path" "$c" "$qps" "$p50" "$p99" \
        "$requests" "$errors" "$cpu" | tee -a "$RESULTS"
    done
  done
done

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$ROOT/bench/gateway/report.py" "$RESULTS"
echo "raw results: $RESULTS"
