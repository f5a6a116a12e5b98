#include "services/hubs/outbox_gauge.h"

#include "services/hubs/storage/outbox.h"

namespace metrocap::hubs {

std::vector<prometheus::MetricFamily> OutboxGauge::Collect() const {
  absl::StatusOr<std::unique_ptr<store::Transaction>> tx =
      store_->Begin(store::Store::Access::kReadOnly);
  if (!tx.ok()) return {};
  absl::StatusOr<int64_t> pending = PendingInsights(**tx);
  if (!pending.ok()) return {};
  prometheus::MetricFamily family;
  family.name = "metrocap_hubs_outbox_pending_insights";
  family.help = "Insights with a delivery to roadmaps still pending (due or awaiting a retry).";
  family.type = prometheus::MetricType::Gauge;
  prometheus::ClientMetric metric;
  metric.gauge.value = static_cast<double>(*pending);
  family.metric.push_back(std::move(metric));
  return {std::move(family)};
}

}  // namespace metrocap::hubs
