#pragma once

#include <vector>

#include "common/cache/lookup_cache.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace metrocap::metrics {

// The cache client's counters (CacheClient::Metrics), read when Prometheus scrapes: the
// lookups pay nothing more than the atomic adds they already make.
//   metrocap_cache_hits_total{cache,layer="local"|"redis"}, metrocap_cache_misses_total{cache}
//   (calls that ran the loader), metrocap_cache_errors_total{cache} (Redis calls failed or
//   skipped by the breaker), metrocap_cache_invalidations_total{cache,origin="local"|"peer"}.
class CacheCollector final : public prometheus::Collectable {
 public:
  // `client` must outlive the collector's use.
  explicit CacheCollector(const cache::CacheClient* client) : client_(client) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const cache::CacheClient* const client_;
};

}  // namespace metrocap::metrics
