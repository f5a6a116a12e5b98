#pragma once

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/metrics/series.h"
#include "prometheus/registry.h"

namespace metrocap::metrics {

// A service's RPC metrics: calls handled by method and status code
// (metrocap_rpc_requests_total{method,code}) and their latency by method
// (metrocap_rpc_duration_seconds{method}). server::Serve records every call here.
// Thread-safe.
class RpcMetrics {
 public:
  // Adds the two families to `registry`, which must outlive this object.
  explicit RpcMetrics(prometheus::Registry& registry);

  // One call of `method` ("GetOrganisation") that ended with `code` after `latency`. The
  // method's handles are found without a lock (made on its first call).
  void Observe(absl::string_view method, absl::StatusCode code, absl::Duration latency);

 private:
  struct Method {
    CodeCounters calls;
    prometheus::Histogram& latency;
  };

  prometheus::Family<prometheus::Counter>& calls_;
  prometheus::Family<prometheus::Histogram>& latency_;
  HandleTable<Method> methods_;
};

}  // namespace metrocap::metrics
