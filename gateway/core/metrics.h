#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/metrics/series.h"
#include "prometheus/registry.h"

namespace metrocap::gateway {

// The gateway's Prometheus metrics (prometheus-cpp). Label values are bounded: routes and
// methods come from the descriptors, codes from HTTP and gRPC, partners from membership; a
// path a caller invents is never a label. A request finds its handle once (a lock-free
// lookup by route or method, made on first use) and records with one call; no label map is
// built per request. Thread-safe.
class Metrics {
 public:
  // The series of one route (REST) or method (gRPC): requests by code, errors by code and the
  // latency histogram.
  class Request {
   public:
    // One request answered with `code` (the HTTP status for REST, an absl::StatusCode for
    // gRPC) after `latency`.
    void Observe(int code, absl::Duration latency);

   private:
    friend class Metrics;
    Request(Metrics& metrics, const prometheus::Labels& labels, bool http);
    const bool http_;
    metrics::CodeCounters requests_;
    metrics::CodeCounters errors_;
    prometheus::Histogram& latency_;
  };
  // The series of calls to one backend method.
  class BackendCall {
   public:
    void Observe(absl::StatusCode code, absl::Duration latency);

   private:
    friend class Metrics;
    BackendCall(Metrics& metrics, const prometheus::Labels& labels);
    metrics::CodeCounters calls_;
    prometheus::Histogram& latency_;
  };

  Metrics();

  // The handle of a REST route ("GET /v1/{name=organisations/*}", or an operational
  // endpoint's label) and of a gRPC method path ("/pkg.Service/Method", or "unknown").
  Request& Rest(absl::string_view route);
  Request& Grpc(absl::string_view method);
  // The handle of backend calls to `method_path` ("/pkg.Service/Method") on `backend`.
  BackendCall& Backend(absl::string_view backend, absl::string_view method_path);
  // One request refused by the rate limiter.
  void CountRateLimited(absl::string_view partner);
  // One API key lookup: "hit" (cache), "miss" (asked membership) or "error".
  void CountKeyLookup(absl::string_view outcome);

  // The registry, for the metrics listener.
  const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }
  // The whole registry as Prometheus text (version 0.0.4).
  std::string Render() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Counter>& errors_;
  prometheus::Family<prometheus::Histogram>& request_latency_;
  prometheus::Family<prometheus::Counter>& backend_calls_;
  prometheus::Family<prometheus::Histogram>& backend_latency_;
  prometheus::Family<prometheus::Counter>& rate_limited_;
  prometheus::Family<prometheus::Counter>& key_lookups_;
  prometheus::Counter& key_hits_;
  prometheus::Counter& key_misses_;
  prometheus::Counter& key_errors_;
  metrics::HandleTable<Request> rest_;
  metrics::HandleTable<Request> grpc_;
  metrics::HandleTable<BackendCall> backend_;
};

}  // namespace metrocap::gateway
