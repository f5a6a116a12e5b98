// The hubs service, insights: target roadmaps and capacities checked, and :publish's
// outbox of deliveries.
#include "tests/services/hubs/service_fixture.h"

namespace metrocap::hubs::testing {
namespace {

TEST_P(HubServiceTest, PublishingRecordsOnePendingDeliveryPerTargetOnce) {
  ASSERT_TRUE(CreateSession("net-zero", NetZero()).ok());
  v1::CreateInsightRequest create;
  create.set_parent("hubs/learning-hub-chengdu");
  create.set_insight_id("community-guidelines");
  v1::Insight* draft = create.mutable_insight();
  draft->set_summary("Guidelines for grass-root communities mobilise residents");
  draft->set_source("hubs/learning-hub-chengdu/sessions/net-zero");
  draft->add_target_roadmaps("organisations/madrid/roadmaps/twin");
  draft->add_target_roadmaps("organisations/seoul/roadmaps/twin");
  v1::Insight insight;
  ASSERT_TRUE(hubs_stub_->CreateInsight(As(Admin()).get(), create, &insight).ok());
  EXPECT_EQ(insight.state(), v1::Insight::DRAFT);

  v1::PublishInsightRequest publish;
  publish.set_name(insight.name());
  ASSERT_TRUE(hubs_stub_->PublishInsight(As(Admin()).get(), publish, &insight).ok());
  EXPECT_EQ(insight.state(), v1::Insight::PUBLISHED);
  EXPECT_EQ(insight.source_title(), "Creating a Net Zero Community");
  ASSERT_EQ(insight.deliveries_size(), 2);
  EXPECT_EQ(insight.deliveries(1).roadmap(), "organisations/seoul/roadmaps/twin");
  EXPECT_EQ(insight.deliveries(1).state(), v1::Delivery::PENDING);
  EXPECT_EQ(insight.next_delivery_time(), TimeUtil::SecondsToTimestamp(1651363200));

  // Publishing again changes nothing, so it stores nothing: the etag stays.
  v1::Insight again;
  ASSERT_TRUE(hubs_stub_->PublishInsight(As(Admin()).get(), publish, &again).ok());
  EXPECT_EQ(again.deliveries_size(), 2);
  EXPECT_EQ(again.etag(), insight.etag());

  v1::UpdateInsightRequest update;
  *update.mutable_insight() = again;
  update.mutable_insight()->set_summary("changed");
  v1::Insight out;
  EXPECT_EQ(hubs_stub_->UpdateInsight(As(Admin()).get(), update, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_P(HubServiceTest, AnInsightsTargetsMustBeRoadmapsAndItsCapacitiesTheHubs) {
  ASSERT_TRUE(CreateSession("net-zero", NetZero()).ok());
  v1::Insight insight;
  insight.set_summary("Guidelines for grass-root communities mobilise residents");
  insight.set_source("hubs/learning-hub-chengdu/sessions/net-zero");
  insight.add_capacities("experimental");
  insight.add_target_roadmaps("organisations/madrid/roadmaps/twin");
  insight.add_target_roadmaps("organisations/seoul/roadmaps/digital");
  absl::Status status = CreateInsight("guidelines", insight).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status), ElementsAre("insight.targetRoadmaps[1]"));
  insight.add_capacities("flying");
  EXPECT_THAT(BadFields(CreateInsight("guidelines", insight).status()),
              ElementsAre("insight.capacities[1]"));
  insight.mutable_capacities()->RemoveLast();
  insight.mutable_target_roadmaps()->RemoveLast();
  EXPECT_TRUE(CreateInsight("guidelines", insight).ok());
}

}  // namespace
}  // namespace metrocap::hubs::testing
