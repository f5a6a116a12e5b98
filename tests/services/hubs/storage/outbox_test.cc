// The deliverer's query (storage/outbox.h) on the real store, SQLite and PostgreSQL: only
// insights with a PENDING delivery due now, earliest first; a delivered or failed insight
// and one due later are left alone.
#include "services/hubs/storage/outbox.h"

#include <filesystem>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/hubs/core/delivery.h"
#include "services/hubs/storage/schemas.h"
#include "tests/services/hubs/storage/store_fixture.h"
#include "tests/support/store_backends.h"

namespace metrocap::hubs {
namespace {

using ::metrocap::testing::IsOk;
using ::metrocap::testing::StoreBackend;
using ::testing::ElementsAre;

const absl::Time kPublish = absl::FromUnixSeconds(1651363200);  // 2022-05-01T00:00:00Z

class OutboxTest : public HubsStoreTest {
 protected:
  // A published insight of hubs/h with one target, after `failures` failed attempts
  // (retryable) or, with `outcome` set, delivered (true) or refused for good (false).
  void Insight(const std::string& id, absl::Time published, int failures,
               absl::optional<bool> outcome = absl::nullopt) {
    v1::Insight insight;
    insight.set_name("hubs/h/insights/" + id);
    insight.set_summary(id);
    insight.set_source("hubs/h/sessions/s");
    insight.add_target_roadmaps("organisations/o/roadmaps/r");
    insight.set_state(v1::Insight::DRAFT);
    bool changed;
    ASSERT_THAT(Publish(insight, published, &changed), IsOk());
    v1::Delivery& delivery = *insight.mutable_deliveries(0);
    for (int i = 0; i < failures; ++i)
      RecordFailure(delivery, absl::UnavailableError("down"), published, Backoff{});
    if (outcome.has_value()) {
      if (*outcome) {
        RecordDelivered(delivery, "organisations/o/roadmaps/r/proposals/p", published);
      } else {
        RecordFailure(delivery, absl::NotFoundError("gone"), published, Backoff{});
      }
    }
    RefreshNextDeliveryTime(insight);
    ASSERT_THAT(store_->RunInTransaction([&](store::Transaction& tx) {
      return tx.Insert(HubsSchemas().insights, insight.name(), insight).status();
    }),
                IsOk());
  }

  std::vector<std::string> Due(absl::Time now, int limit = 10) {
    std::vector<std::string> names;
    absl::Status status = store_->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<std::vector<v1::Insight>> due = DueInsights(tx, now, limit);
      if (!due.ok()) return due.status();
      names.clear();
      for (const v1::Insight& insight : *due) names.push_back(insight.name());
      return absl::OkStatus();
    });
    EXPECT_THAT(status, IsOk());
    return names;
  }
};

TEST_P(OutboxTest, OnlyPendingDeliveriesDueNowEarliestFirst) {
  Insight("fresh", kPublish + absl::Seconds(5), 0);     // due at +5 s
  Insight("retried", kPublish, 3);                      // due at +4 s (backoff 1, 2, 4)
  Insight("delivered", kPublish, 1, /*outcome=*/true);  // nothing pending
  Insight("refused", kPublish, 0, /*outcome=*/false);   // FAILED: nothing pending
  Insight("later", kPublish + absl::Minutes(10), 0);    // not yet due

  EXPECT_THAT(Due(kPublish + absl::Seconds(3)), ElementsAre());
  EXPECT_THAT(Due(kPublish + absl::Seconds(4)), ElementsAre("hubs/h/insights/retried"));
  EXPECT_THAT(Due(kPublish + absl::Seconds(5)),
              ElementsAre("hubs/h/insights/retried", "hubs/h/insights/fresh"));
  EXPECT_THAT(Due(kPublish + absl::Seconds(5), 1), ElementsAre("hubs/h/insights/retried"));
  EXPECT_THAT(
      Due(kPublish + absl::Hours(1)),
      ElementsAre("hubs/h/insights/retried", "hubs/h/insights/fresh", "hubs/h/insights/later"));
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest,
                         ::testing::ValuesIn(metrocap::testing::AllStoreBackends()),
                         metrocap::testing::StoreBackendName);

}  // namespace
}  // namespace metrocap::hubs
