// What counting one request costs, as the request paths do it: the gateway finds the
// route's handle by its label and records code and latency (Metrics::Rest(...).Observe);
// a service records method, code and latency (RpcMetrics::Observe, from server::Serve).
// One thread, and two threads on the same series (the machine's two cores).
#include "absl/synchronization/mutex.h"
#include "benchmark/benchmark.h"
#include "common/metrics/rpc.h"
#include "gateway/core/metrics.h"
#include "prometheus/registry.h"

namespace {

using metrocap::gateway::Metrics;

Metrics& GatewayMetrics() {
  static Metrics* metrics = [] {
    auto* m = new Metrics();
    // A realistic table: the gateway serves about a hundred routes.
    for (int i = 0; i < 100; ++i) {
      m->Rest("GET /v1/{name=organisations/*}/route" + std::to_string(i))
          .Observe(200, absl::Milliseconds(1));
    }
    return m;
  }();
  return *metrics;
}

void BM_GatewayRestRequest(benchmark::State& state) {
  Metrics& metrics = GatewayMetrics();
  const std::string label = "GET /v1/{name=organisations/*}";
  for (auto _ : state) {
    metrics.Rest(label).Observe(200, absl::Microseconds(700));
  }
}
BENCHMARK(BM_GatewayRestRequest)->ThreadRange(1, 2)->UseRealTime();

void BM_GatewayGrpcRequestAndBackendCall(benchmark::State& state) {
  Metrics& metrics = GatewayMetrics();
  const std::string method = "/metrocap.membership.v1.MembershipService/GetOrganisation";
  for (auto _ : state) {
    metrics.Backend("membership", method).Observe(absl::StatusCode::kOk, absl::Microseconds(500));
    metrics.Grpc(method).Observe(0, absl::Microseconds(700));
  }
}
BENCHMARK(BM_GatewayGrpcRequestAndBackendCall)->ThreadRange(1, 2)->UseRealTime();

void BM_ServiceRpc(benchmark::State& state) {
  static prometheus::Registry* registry = new prometheus::Registry();
  static metrocap::metrics::RpcMetrics* rpc = new metrocap::metrics::RpcMetrics(*registry);
  for (auto _ : state) {
    rpc->Observe("GetOrganisation", absl::StatusCode::kOk, absl::Microseconds(80));
  }
}
BENCHMARK(BM_ServiceRpc)->ThreadRange(1, 2)->UseRealTime();

}  // namespace

// As the gateway's and the services' main() do: Debian's Abseil is a debug build, whose
// mutex deadlock graph is not for serving.
int main(int argc, char** argv) {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
