#include "services/hubs/core/delivery.h"

#include "absl/strings/match.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace metrocap::hubs {
namespace {

using google::protobuf::util::TimeUtil;
using ::metrocap::testing::IsOk;
using ::metrocap::testing::StatusIs;
using ::testing::MatchesRegex;

const absl::Time kPublish = absl::FromUnixSeconds(1651363200);  // 2022-05-01T00:00:00Z

google::protobuf::Timestamp Ts(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

v1::Insight DraftInsight() {
  v1::Insight insight;
  insight.set_name("hubs/micad-barcelona/insights/co-creation-needs-a-facilitator");
  insight.set_summary("Living Lab sessions need a trained facilitator from the area");
  insight.set_source("hubs/micad-barcelona/sessions/living-lab-kick-off");
  insight.add_target_roadmaps("organisations/barcelona-metropolitan-area/roadmaps/twin");
  insight.add_target_roadmaps("organisations/metropolitan-city-of-milan/roadmaps/twin");
  insight.set_state(v1::Insight::DRAFT);
  return insight;
}

TEST(BackoffTest, DoublesFromInitialUpToMax) {
  Backoff backoff{absl::Seconds(1), absl::Seconds(60)};
  EXPECT_EQ(BackoffAfter(1, backoff), absl::Seconds(1));
  EXPECT_EQ(BackoffAfter(2, backoff), absl::Seconds(2));
  EXPECT_EQ(BackoffAfter(6, backoff), absl::Seconds(32));
  EXPECT_EQ(BackoffAfter(7, backoff), absl::Seconds(60));
  EXPECT_EQ(BackoffAfter(1000000, backoff), absl::Seconds(60));  // no overflow
}

TEST(PublishTest, RecordsOnePendingDeliveryPerTargetDueAtOnce) {
  v1::Insight insight = DraftInsight();
  bool changed = false;
  ASSERT_THAT(Publish(insight, kPublish, &changed), IsOk());
  EXPECT_TRUE(changed);
  EXPECT_EQ(insight.state(), v1::Insight::PUBLISHED);
  EXPECT_EQ(insight.publish_time(), Ts(kPublish));
  ASSERT_EQ(insight.deliveries_size(), 2);
  for (int i = 0; i < 2; ++i) {
    const v1::Delivery& delivery = insight.deliveries(i);
    EXPECT_EQ(delivery.roadmap(), insight.target_roadmaps(i));
    EXPECT_EQ(delivery.state(), v1::Delivery::PENDING);
    EXPECT_EQ(delivery.attempts(), 0);
    EXPECT_TRUE(IsDue(delivery, kPublish));
  }
}

TEST(PublishTest, PublishingTwiceChangesNothing) {
  v1::Insight insight = DraftInsight();
  bool changed = false;
  ASSERT_THAT(Publish(insight, kPublish, &changed), IsOk());
  RecordDelivered(*insight.mutable_deliveries(0), "p", kPublish);
  const std::string before = insight.SerializeAsString();
  ASSERT_THAT(Publish(insight, kPublish + absl::Hours(1), &changed), IsOk());
  EXPECT_FALSE(changed);
  EXPECT_EQ(insight.SerializeAsString(), before);
}

TEST(PublishTest, NeedsATarget) {
  v1::Insight insight = DraftInsight();
  insight.clear_target_roadmaps();
  bool changed = true;
  absl::Status status = Publish(insight, kPublish, &changed);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_FALSE(changed);
  EXPECT_EQ(insight.state(), v1::Insight::DRAFT);
}

TEST(DeliveryTest, RetriesWithBackoffWhileRoadmapsIsDownThenDelivers) {
  v1::Insight insight = DraftInsight();
  bool changed;
  ASSERT_THAT(Publish(insight, kPublish, &changed), IsOk());
  v1::Delivery& delivery = *insight.mutable_deliveries(0);
  Backoff backoff{absl::Seconds(1), absl::Minutes(5)};

  absl::Time now = kPublish;
  RecordFailure(delivery, absl::UnavailableError("connection refused"), now, backoff);
  EXPECT_EQ(delivery.state(), v1::Delivery::PENDING);
  EXPECT_EQ(delivery.attempts(), 1);
  EXPECT_EQ(delivery.last_error(), "UNAVAILABLE: connection refused");
  EXPECT_EQ(delivery.next_attempt_time(), Ts(now + absl::Seconds(1)));
  EXPECT_FALSE(IsDue(delivery, now + absl::Milliseconds(999)));
  EXPECT_TRUE(IsDue(delivery, now + absl::Seconds(1)));

  now += absl::Seconds(1);
  RecordFailure(delivery, absl::DeadlineExceededError("deadline"), now, backoff);
  EXPECT_EQ(delivery.attempts(), 2);
  EXPECT_EQ(delivery.next_attempt_time(), Ts(now + absl::Seconds(2)));

  now += absl::Seconds(2);
  RecordDelivered(delivery, "organisations/barcelona-metropolitan-area/roadmaps/twin/proposals/p1",
                  now);
  EXPECT_EQ(delivery.state(), v1::Delivery::DELIVERED);
  EXPECT_EQ(delivery.attempts(), 3);
  EXPECT_EQ(delivery.proposal(),
            "organisations/barcelona-metropolitan-area/roadmaps/twin/proposals/p1");
  EXPECT_EQ(delivery.deliver_time(), Ts(now));
  EXPECT_FALSE(delivery.has_next_attempt_time());
  EXPECT_EQ(delivery.last_error(), "DEADLINE_EXCEEDED: deadline");  // kept for the record
  EXPECT_FALSE(IsDue(delivery, now + absl::Hours(1)));
}

TEST(DeliveryTest, TheInsightIsDueWhenItsEarliestPendingDeliveryIs) {
  v1::Insight insight = DraftInsight();
  bool changed;
  ASSERT_THAT(Publish(insight, kPublish, &changed), IsOk());
  EXPECT_EQ(insight.next_delivery_time(), Ts(kPublish));
  Backoff backoff{absl::Seconds(1), absl::Minutes(5)};

  RecordFailure(*insight.mutable_deliveries(0), absl::UnavailableError("down"), kPublish, backoff);
  RecordFailure(*insight.mutable_deliveries(1), absl::UnavailableError("down"), kPublish, backoff);
  RecordFailure(*insight.mutable_deliveries(1), absl::UnavailableError("down"),
                kPublish + absl::Seconds(1), backoff);
  RefreshNextDeliveryTime(insight);
  EXPECT_EQ(insight.next_delivery_time(), Ts(kPublish + absl::Seconds(1)));  // the first's

  RecordDelivered(*insight.mutable_deliveries(0), "p", kPublish + absl::Seconds(1));
  RefreshNextDeliveryTime(insight);
  EXPECT_EQ(insight.next_delivery_time(), Ts(kPublish + absl::Seconds(3)));  // the second's

  RecordFailure(*insight.mutable_deliveries(1), absl::PermissionDeniedError("no"),
                kPublish + absl::Seconds(3), backoff);
  RefreshNextDeliveryTime(insight);
  EXPECT_FALSE(insight.has_next_delivery_time());
}

TEST(DeliveryTest, APermanentRefusalFailsWithoutRetry) {
  v1::Insight insight = DraftInsight();
  bool changed;
  ASSERT_THAT(Publish(insight, kPublish, &changed), IsOk());
  v1::Delivery& delivery = *insight.mutable_deliveries(1);
  RecordFailure(delivery, absl::NotFoundError("roadmap deleted"), kPublish, Backoff{});
  EXPECT_EQ(delivery.state(), v1::Delivery::FAILED);
  EXPECT_EQ(delivery.attempts(), 1);
  EXPECT_EQ(delivery.last_error(), "NOT_FOUND: roadmap deleted");
  EXPECT_FALSE(delivery.has_next_attempt_time());
  EXPECT_FALSE(IsDue(delivery, kPublish + absl::Hours(24)));
}

TEST(DeliveryTest, RetryableCodes) {
  for (absl::StatusCode code : {absl::StatusCode::kUnavailable, absl::StatusCode::kDeadlineExceeded,
                                absl::StatusCode::kAborted, absl::StatusCode::kResourceExhausted,
                                absl::StatusCode::kInternal, absl::StatusCode::kUnknown}) {
    EXPECT_TRUE(IsRetryable(code)) << CodeName(code);
  }
  for (absl::StatusCode code :
       {absl::StatusCode::kInvalidArgument, absl::StatusCode::kNotFound,
        absl::StatusCode::kPermissionDenied, absl::StatusCode::kFailedPrecondition,
        absl::StatusCode::kAlreadyExists}) {
    EXPECT_FALSE(IsRetryable(code)) << CodeName(code);
  }
}

TEST(DeliveryRequestIdTest, AStableUuidPerInsightAndRoadmap) {
  const std::string a = DeliveryRequestId("hubs/h/insights/i", "organisations/o/roadmaps/r");
  EXPECT_THAT(a, MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                              "[0-9a-f]{12}"));
  EXPECT_EQ(a, DeliveryRequestId("hubs/h/insights/i", "organisations/o/roadmaps/r"));
  EXPECT_NE(a, DeliveryRequestId("hubs/h/insights/i", "organisations/o/roadmaps/s"));
  EXPECT_NE(DeliveryRequestId("ab", "c"), DeliveryRequestId("a", "bc"));
}

TEST(ProposalIdTest, TheHubAndTheInsight) {
  EXPECT_EQ(ProposalId("hubs/micad-barcelona/insights/living-lab-needs-digital-skills"),
            "micad-barcelona-living-lab-needs-digital-skills");
  // One insight id in two hubs: two proposals.
  EXPECT_NE(ProposalId("hubs/a/insights/lesson"), ProposalId("hubs/b/insights/lesson"));
  const std::string long_id(60, 'x');
  EXPECT_EQ(ProposalId("hubs/" + long_id + "/insights/lesson").size(), 63u);
}

}  // namespace
}  // namespace metrocap::hubs
