#pragma once

#include <memory>
#include <vector>

#include "common/store/store.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace metrocap::metrics {

// A store that times its transactions, from Begin to commit or rollback
// (metrocap_store_transaction_seconds{access="read"|"write",outcome="commit"|"rollback"}),
// and otherwise is the store it wraps: every call goes to it unchanged.
class TimedStore final : public store::Store {
 public:
  // `registry` must outlive the store.
  TimedStore(std::unique_ptr<store::Store> store, prometheus::Registry& registry);

  absl::Status Migrate(const std::vector<const store::ResourceSchema*>& schemas) override;
  absl::StatusOr<std::unique_ptr<store::Transaction>> Begin(Access access) override;

 private:
  class Timed;
  std::unique_ptr<store::Store> store_;
  // [write][committed]
  prometheus::Histogram* latency_[2][2];
};

}  // namespace metrocap::metrics
