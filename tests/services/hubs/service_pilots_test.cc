// The hubs service, pilots: their transitions, and replications that must name
// organisations membership knows.
#include "tests/services/hubs/service_fixture.h"

namespace metrocap::hubs::testing {
namespace {

TEST_P(HubServiceTest, PilotsMoveThroughTheirStates) {
  v1::CreatePilotRequest create;
  create.set_parent("hubs/learning-hub-chengdu");
  create.mutable_pilot()->set_title("Park City community regeneration");
  create.mutable_pilot()->set_lead("organisations/chengdu");
  v1::Pilot pilot;
  ASSERT_TRUE(env_.hubs().CreatePilot(env_.As(AdminCaller()).get(), create, &pilot).ok());
  EXPECT_EQ(pilot.state(), v1::Pilot::PROPOSED);

  v1::EvaluatePilotRequest evaluate;
  evaluate.set_name(pilot.name());
  evaluate.set_evaluation("works");
  grpc::Status refused = env_.hubs().EvaluatePilot(env_.As(AdminCaller()).get(), evaluate, &pilot);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  v1::StartPilotRequest start;
  start.set_name(pilot.name());
  ASSERT_TRUE(env_.hubs().StartPilot(env_.As(AdminCaller()).get(), start, &pilot).ok());
  ASSERT_TRUE(env_.hubs().EvaluatePilot(env_.As(AdminCaller()).get(), evaluate, &pilot).ok());
  v1::ReplicatePilotRequest replicate;
  replicate.set_name(pilot.name());
  replicate.add_replications("organisations/seoul");
  ASSERT_TRUE(env_.hubs().ReplicatePilot(env_.As(AdminCaller()).get(), replicate, &pilot).ok());
  EXPECT_EQ(pilot.state(), v1::Pilot::REPLICATED);
  EXPECT_EQ(pilot.start_time(), TimeUtil::SecondsToTimestamp(1651363200));
  EXPECT_THAT(pilot.replications(), ElementsAre("organisations/seoul"));
}

TEST_P(HubServiceTest, ReplicationsMustBeOrganisations) {
  auto pilot = EvaluatedPilot();
  ASSERT_TRUE(pilot.ok()) << pilot.status();
  absl::Status status =
      Replicate(pilot->name(), {"organisations/seoul", "organisations/atlantis"}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status), ElementsAre("replications[1]"));

  env_.Stop(Service::kMembership, {"organisations/madrid"});
  EXPECT_EQ(Replicate(pilot->name(), {"organisations/madrid"}).status().code(),
            absl::StatusCode::kUnavailable);
  v1::GetPilotRequest get;
  get.set_name(pilot->name());
  v1::Pilot now;
  ASSERT_TRUE(env_.hubs().GetPilot(env_.As(AdminCaller()).get(), get, &now).ok());
  EXPECT_EQ(now.state(), v1::Pilot::EVALUATED);
  EXPECT_EQ(now.etag(), pilot->etag());
  // Seoul was confirmed (and cached) before membership went down.
  auto replicated = Replicate(pilot->name(), {"organisations/seoul"});
  ASSERT_TRUE(replicated.ok()) << replicated.status();
  EXPECT_EQ(replicated->state(), v1::Pilot::REPLICATED);
}

}  // namespace
}  // namespace metrocap::hubs::testing
