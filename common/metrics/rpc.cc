#include "common/metrics/rpc.h"

#include <string>

namespace metrocap::metrics {

RpcMetrics::RpcMetrics(prometheus::Registry& registry)
    : calls_(prometheus::BuildCounter()
                 .Name("metrocap_rpc_requests_total")
                 .Help("RPCs handled, by method and gRPC status code.")
                 .Register(registry)),
      latency_(prometheus::BuildHistogram()
                   .Name("metrocap_rpc_duration_seconds")
                   .Help("Time from an RPC's arrival to its status, by method.")
                   .Register(registry)) {}

void RpcMetrics::Observe(absl::string_view method, absl::StatusCode code, absl::Duration latency) {
  Method& series = methods_.Get(method, [this](absl::string_view name) {
    prometheus::Labels labels = {{"method", std::string(name)}};
    return std::unique_ptr<Method>(
        new Method{CodeCounters(calls_, labels, "code", 0, 17, GrpcCodeName),
                   latency_.Add(labels, LatencyBuckets())});
  });
  series.calls.Increment(static_cast<int>(code));
  series.latency.Observe(absl::ToDoubleSeconds(latency));
}

}  // namespace metrocap::metrics
