#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/store/store.h"
#include "metrocap/hubs/v1/hubs.pb.h"

namespace metrocap::hubs {

// The deliverer's work: the insights with a PENDING delivery due at `now`
// (0 < nextDeliveryTime <= now, an index range scan on insights.next_delivery_time),
// earliest first (then by name), at most `limit`. Read in `tx`; the deliverer records each
// attempt's outcome by replacing the insight at the version it read, so when two replicas
// pick the same insight, one write wins and the other is ABORTED and re-reads.
absl::StatusOr<std::vector<v1::Insight>> DueInsights(store::Transaction& tx, absl::Time now,
                                                     int limit);

// The outbox's depth: how many insights have a PENDING delivery, due or waiting for a retry
// (nextDeliveryTime > 0, the same index). Read in `tx`.
absl::StatusOr<int64_t> PendingInsights(store::Transaction& tx);

}  // namespace metrocap::hubs
