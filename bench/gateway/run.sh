#!/usr/bin/env bash
# The gateway benchmark (issue #17): GetOrganisation on a warm cache, every path and every
# peer it is judged against, in one run:
#   fixed        gRPC to a fixed-reply callback server (bench/gateway/fixed_reply.cc): the floor
#   direct       gRPC straight to membership
#   direct_quiet the same to a second membership process on the same data whose access log
#                keeps one successful call in a million: what the access log costs
#   grpc         gRPC through metrocap's gateway (partner API key: auth + rate limiting on)
#   grpc_noauth  the same through a second gateway with auth and rate limiting off
#   nginx        gRPC through nginx grpc_pass to the same membership
#   rest         REST through metrocap's gateway (wrk; partner API key)
#   rest_noauth  the same through the gateway without auth and rate limiting
#   grpcgw       REST through grpc-gateway (Go, Debian's packages, generated from
#                membership.proto) to the same membership
# Every server runs pinned to core 0 (all threads), the load generators (loadgen for gRPC, wrk
# for REST) pinned to core 1, with the same concurrency, warm-up and measured window. Server
# CPU is utime+stime of the processes on the path, counted over the measured window only and
# divided by the requests answered in it. ROUNDS rounds; the report gives medians and spread.
#
#   bench/gateway/run.sh [build-dir]        (default: build, as scripts/build.sh makes it)
#   SECONDS_PER_RUN=8 WARMUP_SECONDS=2 CONCURRENCIES="64" ROUNDS=3 bench/gateway/run.sh
#   WRITE_DOC=0 ...                        (print the report only; default writes it into
#                                           docs/benchmarks.md between its gateway markers)
#
# Raw results stay in $OUT (default a new directory under /tmp).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build}
RUN_SECONDS=${SECONDS_PER_RUN:-8}
WARMUP=${WARMUP_SECONDS:-2}
CONCURRENCIES=${CONCURRENCIES:-64}
ROUNDS=${ROUNDS:-3}
PATHS=${PATHS:-"fixed direct direct_quiet grpc grpc_noauth nginx rest rest_noauth grpcgw"}
WRITE_DOC=${WRITE_DOC:-1}
OUT=${OUT:-$(mktemp -d /tmp/metrocap-gateway-bench.XXXXXX)}
ADMIN_TOKEN=bench-admin-token-0123456789
CREDENTIAL=bench-internal-credential-0123456789

"$ROOT/bench/gateway/install.sh"
METROCAP_BUILD_DIR=$BUILD bash "$ROOT/scripts/build.sh" metrocap-membership metrocap-gateway \
  metrocap-gateway-loadgen metrocap-fixed-reply >"$OUT/build.log"
MEMBERSHIP_BIN=$BUILD/services/membership/metrocap-membership
GATEWAY_BIN=$BUILD/gateway/metrocap-gateway
LOADGEN=$BUILD/bench/gateway/metrocap-gateway-loadgen
FIXED_BIN=$BUILD/bench/gateway/metrocap-fixed-reply

# grpc-gateway, GOPATH mode, from Debian's Go packages only: the Go code generated from
# membership.proto (protoc-gen-go with its grpc plugin, protoc-gen-grpc-gateway) beside
# bench/gateway/grpc_gateway/main.go.
GOPATH_DIR=$OUT/go
GO_PKG=$GOPATH_DIR/src/metrocap/membership/v1
mkdir -p "$GO_PKG" "$GOPATH_DIR/src/metrocapgw"
maps="Mgoogle/api/annotations.proto=google.golang.org/genproto/googleapis/api/annotations"
maps+=",Mgoogle/api/http.proto=google.golang.org/genproto/googleapis/api/annotations"
maps+=",Mgoogle/api/field_behavior.proto=google.golang.org/genproto/googleapis/api/annotations"
maps+=",Mgoogle/api/resource.proto=google.golang.org/genproto/googleapis/api/annotations"
maps+=",Mgoogle/type/date.proto=google.golang.org/genproto/googleapis/type/date"
maps+=",Mgoogle/protobuf/empty.proto=github.com/golang/protobuf/ptypes/empty"
maps+=",Mgoogle/protobuf/timestamp.proto=github.com/golang/protobuf/ptypes/timestamp"
maps+=",Mgoogle/protobuf/field_mask.proto=google.golang.org/genproto/protobuf/field_mask"
maps+=",Mmetrocap/membership/v1/membership.proto=metrocap/membership/v1"
# field_behavior.proto and resource.proto come from the build tree's google-proto-files
# (cmake/MetrocapProto.cmake), as for the C++ build.
protoc -I "$ROOT/protos" -I /usr/share/gocode/src/github.com/gogo/googleapis -I /usr/include \
  -I "$BUILD/protos/node/node_modules/google-proto-files" \
  --go_out="plugins=grpc,$maps:$GOPATH_DIR/src" --grpc-gateway_out="$maps:$GOPATH_DIR/src" \
  metrocap/membership/v1/membership.proto
cp "$ROOT/bench/gateway/grpc_gateway/main.go" "$GOPATH_DIR/src/metrocapgw/"
GO111MODULE=off GOPATH="$GOPATH_DIR:/usr/share/gocode" GOFLAGS= \
  go build -o "$OUT/grpc-gateway" metrocapgw

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
MEMBERSHIP_PORT=$(free_port); GW_HTTP=$(free_port); GW_GRPC=$(free_port)
GW2_HTTP=$(free_port); GW2_GRPC=$(free_port); NGINX_PORT=$(free_port)
FIXED_PORT=$(free_port); GRPCGW_PORT=$(free_port); QUIET_PORT=$(free_port)

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
"$FIXED_BIN" --listen=127.0.0.1:$FIXED_PORT >/dev/null 2>"$OUT/fixed-reply.log" &
FIXED_PID=$!; pids+=($FIXED_PID)
"$OUT/grpc-gateway" --listen=127.0.0.1:$GRPCGW_PORT --backend=127.0.0.1:$MEMBERSHIP_PORT \
  2>"$OUT/grpc-gateway.log" &
GRPCGW_PID=$!; pids+=($GRPCGW_PID)

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

ready=0
for _ in $(seq 1 300); do
  if curl -sf -o /dev/null -H "Authorization: Bearer $ADMIN_TOKEN" \
      "http://127.0.0.1:$GW_HTTP/v1/regions" 2>/dev/null &&
     curl -sf -o /dev/null -H "Authorization: Bearer $ADMIN_TOKEN" \
      "http://127.0.0.1:$GW2_HTTP/v1/regions" 2>/dev/null &&
     curl -sf -o /dev/null -H "Authorization: Bearer $ADMIN_TOKEN" \
      "http://127.0.0.1:$GRPCGW_PORT/v1/regions" 2>/dev/null; then ready=1; break; fi
  sleep 0.1
done
[ $ready = 1 ] || { echo "servers did not become ready in 30 s (logs in $OUT)" >&2; exit 1; }

admin() { curl -sf -X "$1" -H "Authorization: Bearer $ADMIN_TOKEN" "http://127.0.0.1:$GW_HTTP$2" -d "$3"; }
admin POST "/v1/regions?regionId=europe" '{"displayName":"Europe"}' >/dev/null
admin POST "/v1/organisations?organisationId=milan" \
  '{"displayName":"Città metropolitana di Milano","kind":"METROPOLITAN_AREA","countryCode":"IT","region":"regions/europe","population":"3214630"}' >/dev/null
admin POST "/v1/partners?partnerId=bench" '{"displayName":"Benchmark","role":"VIEWER"}' >/dev/null
KEY=$(admin POST "/v1/partners/bench/apiKeys" '{"displayName":"bench"}' |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')

# The second membership, started once the data exists (it reads the same SQLite file).
env -i METROCAP_INTERNAL_CREDENTIAL=$CREDENTIAL METROCAP_ADMIN_TOKEN=$ADMIN_TOKEN \
  METROCAP_LISTEN_ADDRESS=127.0.0.1:$QUIET_PORT METROCAP_DATA_DIR="$OUT/data" \
  METROCAP_MAX_THREADS=512 METROCAP_ACCESS_LOG_SAMPLE=1000000 "$MEMBERSHIP_BIN" \
  2>"$OUT/membership-quiet.log" &
QUIET_PID=$!; pids+=($QUIET_PID)
for _ in $(seq 1 300); do grep -q '"serving"' "$OUT/membership-quiet.log" && break; sleep 0.1; done

nginx_pids() { echo "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"; }
cpu_us() {  # utime+stime (all threads) of the given pids, in microseconds
  local total=0 tick; tick=$(getconf CLK_TCK)
  for pid in "$@"; do
    local stat; stat=$(<"/proc/$pid/stat")
    read -r -a f <<<"${stat##*) }"
    total=$((total + f[11] + f[12]))
  done
  echo $((total * 1000000 / tick))
}
to_us() {  # wrk latency "1.23ms" -> microseconds
  python3 -c 'import sys,re; v=sys.argv[1]; m=re.match(r"([\d.]+)(us|ms|s)",v); n=float(m.group(1)); print(int(n*{"us":1,"ms":1000,"s":1000000}[m.group(2)]))' "$1"
}

# Each prints "qps p50_us p99_us requests errors cpu_us": the measured window only.
run_grpc() {  # target key concurrency servers...
  local target=$1 key=$2 c=$3; shift 3
  taskset -c 1 "$LOADGEN" --target="$target" --key="$key" --concurrency="$c" \
    --seconds="$RUN_SECONDS" --warmup="$WARMUP" --cpu-pids="$(echo "$@" | tr ' ' ',')" \
    2>>"$OUT/loadgen.err" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["qps"], r["p50_us"], r["p99_us"], r["ok"], r["errors"], r["cpu_us"])'
}
run_rest() {  # port key concurrency servers...
  local url="http://127.0.0.1:$1/v1/organisations/milan" key=$2 c=$3; shift 3
  # The warm-up is a run of its own: wrk has no measured window inside a run.
  taskset -c 1 wrk -t1 -c"$c" -d"${WARMUP}s" -H "Authorization: Bearer $key" "$url" >/dev/null
  local before after out
  before=$(cpu_us "$@")
  out=$(taskset -c 1 wrk -t1 -c"$c" -d"${RUN_SECONDS}s" --latency -H "Authorization: Bearer $key" "$url")
  after=$(cpu_us "$@")
  echo "$out" >>"$OUT/wrk.log"
  local qps p50 p99 total errors
  qps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(to_us "$(echo "$out" | awk '$1=="50%" {print $2}')")
  p99=$(to_us "$(echo "$out" | awk '$1=="99%" {print $2}')")
  total=$(echo "$out" | awk '/requests in/ {print $1}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}'); errors=${errors:-0}
  echo "$qps $p50 $p99 $((total - errors)) $errors $((after - before))"
}

for pid in $MEMBERSHIP_PID $QUIET_PID $GATEWAY_PID $GATEWAY2_PID $FIXED_PID $GRPCGW_PID $(nginx_pids); do
  taskset -a -p -c 0 "$pid" >/dev/null
done

{
  echo "machine: $(nproc) CPUs, $(lscpu | awk -F: '/Model name/ {gsub(/^ +/,"",$2); print $2}'), kernel $(uname -r)"
  echo "settings: ${ROUNDS} rounds, concurrency ${CONCURRENCIES}, ${WARMUP} s warm-up + ${RUN_SECONDS} s measured per point"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt"
RESULTS="$OUT/results.tsv"
printf "round\tpath\tconcurrency\tqps\tp50_us\tp99_us\trequests\terrors\tcpu_us_per_req\n" >"$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for c in $CONCURRENCIES; do
    for path in $PATHS; do
      case $path in
        fixed) r=$(run_grpc "127.0.0.1:$FIXED_PORT" "" "$c" $FIXED_PID) ;;
        direct) r=$(run_grpc "127.0.0.1:$MEMBERSHIP_PORT" "$ADMIN_TOKEN" "$c" $MEMBERSHIP_PID) ;;
        direct_quiet) r=$(run_grpc "127.0.0.1:$QUIET_PORT" "$ADMIN_TOKEN" "$c" $QUIET_PID) ;;
        grpc) r=$(run_grpc "127.0.0.1:$GW_GRPC" "$KEY" "$c" $MEMBERSHIP_PID $GATEWAY_PID) ;;
        grpc_noauth) r=$(run_grpc "127.0.0.1:$GW2_GRPC" "$ADMIN_TOKEN" "$c" $MEMBERSHIP_PID $GATEWAY2_PID) ;;
        nginx) r=$(run_grpc "127.0.0.1:$NGINX_PORT" "$ADMIN_TOKEN" "$c" $MEMBERSHIP_PID $(nginx_pids)) ;;
        rest) r=$(run_rest "$GW_HTTP" "$KEY" "$c" $MEMBERSHIP_PID $GATEWAY_PID) ;;
        rest_noauth) r=$(run_rest "$GW2_HTTP" "$ADMIN_TOKEN" "$c" $MEMBERSHIP_PID $GATEWAY2_PID) ;;
        grpcgw) r=$(run_rest "$GRPCGW_PORT" "$ADMIN_TOKEN" "$c" $MEMBERSHIP_PID $GRPCGW_PID) ;;
        *) echo "unknown path $path" >&2; exit 2 ;;
      esac
      read -r qps p50 p99 requests errors cpu <<<"$r"
      per_req=$(python3 -c "import sys; n,c=map(float,sys.argv[1:]); print(round(c/n,1) if n else 0)" "$requests" "$cpu")
      printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$round" "$path" "$c" "$qps" "$p50" "$p99" \
        "$requests" "$errors" "$per_req" | tee -a "$RESULTS"
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

python3 "$ROOT/bench/gateway/report.py" "$RESULTS" "$OUT/machine.txt" >"$OUT/report.md"
cat "$OUT/report.md"
if [ "$WRITE_DOC" = 1 ]; then
  python3 "$ROOT/bench/gateway/report.py" --into "$ROOT/docs/benchmarks.md" "$OUT/report.md"
fi
echo "raw results: $OUT"
