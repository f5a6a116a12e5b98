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
  ASSERT_TRUE(env_.hubs().CreateInsight(env_.As(AdminCaller()).get(), create, &insight).ok());
  EXPECT_EQ(insight.state(), v1::Insight::DRAFT);

  v1::PublishInsightRequest publish;
  publish.set_name(insight.name());
  ASSERT_TRUE(env_.hubs().PublishInsight(env_.As(AdminCaller()).get(), publish, &insight).ok());
  EXPECT_EQ(insight.state(), v1::Insight::PUBLISHED);
  EXPECT_EQ(insight.source_title(), "Creating a Net Zero Community");
  ASSERT_EQ(insight.deliveries_size(), 2);
  EXPECT_EQ(insight.deliveries(1).roadmap(), "organisations/seoul/roadmaps/twin");
  EXPECT_EQ(insight.deliveries(1).state(), v1::Delivery::PENDING);
  EXPECT_EQ(insight.next_delivery_time(), TimeUtil::SecondsToTimestamp(1651363200));

  // Publishing again changes nothing, so it stores nothing: the etag stays.
  v1::Insight again;
  ASSERT_TRUE(env_.hubs().PublishInsight(env_.As(AdminCaller()).get(), publish, &again).ok());
  EXPECT_EQ(again.deliveries_size(), 2);
  EXPECT_EQ(again.etag(), insight.etag());

  v1::UpdateInsightRequest update;
  *update.mutable_insight() = again;
  update.mutable_insight()->set_summary("changed");
  v1::Insight out;
  EXPECT_EQ(env_.hubs().UpdateInsight(env_.As(AdminCaller()).get(), update, &out).error_code(),
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

// AIP-203: what a client sends for an OUTPUT_ONLY field (hubs.proto) is ignored, on create
// and when an update mask names it, so a resource read can be sent back as it is.
TEST_P(HubServiceTest, OutputOnlyFieldsSentOnCreateOrNamedByAMaskAreIgnored) {
  v1::Session sent = NetZero();
  sent.set_hub("hubs/elsewhere");
  sent.add_outcome_scope("L9");
  *sent.mutable_create_time() = TimeUtil::SecondsToTimestamp(1);
  absl::StatusOr<v1::Session> session = CreateSession("net-zero", sent);
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ(session->hub(), "hubs/learning-hub-chengdu");
  EXPECT_THAT(session->outcome_scope(), ElementsAre("L2", "L2A2", "L2A2D3", "L2A2D4"));
  EXPECT_NE(session->create_time(), TimeUtil::SecondsToTimestamp(1));

  v1::Insight insight;
  insight.set_summary("Guidelines for grass-root communities mobilise residents");
  insight.set_source(session->name());
  insight.add_target_roadmaps("organisations/madrid/roadmaps/twin");
  insight.set_state(v1::Insight::PUBLISHED);
  insight.set_source_title("Not the source's title");
  v1::Delivery* delivery = insight.add_deliveries();
  delivery->set_roadmap("organisations/madrid/roadmaps/twin");
  delivery->set_state(v1::Delivery::DELIVERED);
  *insight.mutable_publish_time() = TimeUtil::SecondsToTimestamp(1);
  absl::StatusOr<v1::Insight> created = CreateInsight("guidelines", insight);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->state(), v1::Insight::DRAFT);
  EXPECT_EQ(created->deliveries_size(), 0);
  EXPECT_EQ(created->source_title(), "");
  EXPECT_FALSE(created->has_publish_time());

  // A mask naming output-only fields beside a writable one writes the writable one only.
  v1::UpdateInsightRequest update;
  *update.mutable_insight() = *created;
  update.mutable_insight()->set_summary("Residents mobilise for net zero");
  update.mutable_insight()->set_state(v1::Insight::PUBLISHED);
  update.mutable_insight()->set_hub("hubs/elsewhere");
  for (const char* path : {"summary", "state", "deliveries", "hub", "update_time"}) {
    update.mutable_update_mask()->add_paths(path);
  }
  v1::Insight updated;
  grpc::Status status = env_.hubs().UpdateInsight(env_.As(AdminCaller()).get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.summary(), "Residents mobilise for net zero");
  EXPECT_EQ(updated.state(), v1::Insight::DRAFT);
  EXPECT_EQ(updated.hub(), "hubs/learning-hub-chengdu");
  EXPECT_EQ(updated.deliveries_size(), 0);

  // A field that is neither writable nor output only is still refused, naming updateMask.
  update.mutable_insight()->set_etag(updated.etag());
  update.mutable_update_mask()->add_paths("name");
  EXPECT_THAT(BadFields(FromGrpcStatus(
                  env_.hubs().UpdateInsight(env_.As(AdminCaller()).get(), update, &updated))),
              ElementsAre("updateMask"));
}

}  // namespace
}  // namespace metrocap::hubs::testing
