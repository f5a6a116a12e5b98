#include "common/metrics/cache_collector.h"

#include <string>

namespace metrocap::metrics {
namespace {

prometheus::MetricFamily Counter(const char* name, const char* help) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = prometheus::MetricType::Counter;
  return family;
}

void Add(prometheus::MetricFamily& family, std::vector<prometheus::ClientMetric::Label> labels,
         uint64_t value) {
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  metric.counter.value = static_cast<double>(value);
  family.metric.push_back(std::move(metric));
}

}  // namespace

std::vector<prometheus::MetricFamily> CacheCollector::Collect() const {
  auto hits = Counter("metrocap_cache_hits_total", "Cache lookups answered, by layer.");
  auto misses = Counter("metrocap_cache_misses_total", "Cache lookups that ran the loader.");
  auto errors = Counter("metrocap_cache_errors_total",
                        "Redis calls that failed or that the circuit breaker skipped.");
  auto invalidations = Counter("metrocap_cache_invalidations_total",
                               "Entries invalidated: by this process or by another replica.");
  for (const cache::CacheMetrics& m : client_->Metrics()) {
    Add(hits, {{"cache", m.cache}, {"layer", "local"}}, m.local_hits);
    Add(hits, {{"cache", m.cache}, {"layer", "redis"}}, m.redis_hits);
    Add(misses, {{"cache", m.cache}}, m.misses);
    Add(errors, {{"cache", m.cache}}, m.errors);
    Add(invalidations, {{"cache", m.cache}, {"origin", "local"}}, m.invalidations);
    Add(invalidations, {{"cache", m.cache}, {"origin", "peer"}}, m.invalidations_received);
  }
  return {std::move(hits), std::move(misses), std::move(errors), std::move(invalidations)};
}

}  // namespace metrocap::metrics
