#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <tuple>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace metrocap::gateway {

// The gateway's Prometheus metrics, rendered in the text exposition format (version 0.0.4).
// Label values are bounded: routes and methods come from the descriptors, codes from HTTP
// and gRPC, partners from membership; a path a caller invents is never a label. Thread-safe.
class Metrics {
 public:
  // One request served, REST ("rest", label = the route, code = HTTP status) or gRPC
  // ("grpc", label = the gRPC method, code = the status code name).
  void ObserveRequest(absl::string_view protocol, absl::string_view route, absl::string_view code,
                      absl::Duration latency);
  // One call to a backend service.
  void ObserveBackendCall(absl::string_view backend, absl::string_view method,
                          absl::string_view code, absl::Duration latency);
  // One request refused by the rate limiter.
  void CountRateLimited(absl::string_view partner);
  // One API key lookup: "hit" (cache), "miss" (asked membership) or "error".
  void CountKeyLookup(absl::string_view outcome);

  // The whole registry as Prometheus text.
  std::string Render() const;

  // Upper bounds (seconds) of the latency histogram buckets.
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
    void Observe(double seconds);
  };
  // Series are found by their label values as views (std::less<>): a request allocates no
  // label strings; only a series seen for the first time copies them.
  using Labels2 = std::tuple<std::string, std::string>;
  using Labels3 = std::tuple<std::string, std::string, std::string>;
  template <typename Labels, typename Value>
  using Series = std::map<Labels, Value, std::less<>>;

  mutable absl::Mutex mu_;
  Series<Labels3, uint64_t> requests_ ABSL_GUARDED_BY(mu_);
  Series<Labels3, uint64_t> errors_ ABSL_GUARDED_BY(mu_);
  Series<Labels2, Histogram> request_latency_ ABSL_GUARDED_BY(mu_);
  Series<Labels3, uint64_t> backend_calls_ ABSL_GUARDED_BY(mu_);
  Series<Labels2, Histogram> backend_latency_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, uint64_t> rate_limited_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, uint64_t> key_lookups_ ABSL_GUARDED_BY(mu_);
};

}  // namespace metrocap::gateway
