#pragma once

#include <vector>

#include "common/store/store.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace metrocap::hubs {

// metrocap_hubs_outbox_pending_insights: the insights with a delivery to roadmaps still
// PENDING (storage/outbox.h, PendingInsights), counted when Prometheus scrapes: one indexed
// COUNT per scrape, nothing on the request path. When the store cannot be read the gauge is
// left out of that scrape (a gap, never a false zero).
class OutboxGauge final : public prometheus::Collectable {
 public:
  // `store` (migrated with HubsSchemas()) must outlive the gauge's use.
  explicit OutboxGauge(store::Store* store) : store_(store) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  store::Store* const store_;
};

}  // namespace metrocap::hubs
