#include "services/hubs/core/pilot_lifecycle.h"

#include <functional>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/services/hubs/core/fixtures.h"

namespace metrocap::hubs {
namespace {

using google::protobuf::util::TimeUtil;
using ::metrocap::testing::IsOk;
using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;

const absl::Time kNow = absl::FromUnixSeconds(1651363200);  // 2022-05-01T00:00:00Z

v1::Pilot LivingLabPilot() {
  v1::Pilot pilot;
  pilot.set_name("hubs/micad-barcelona/pilots/stakeholder-co-creation");
  pilot.set_title("Stakeholder co-creation of the twin transition roadmap");
  pilot.set_lead("organisations/barcelona-metropolitan-area");
  pilot.add_partners("organisations/institut-metropoli");
  pilot.add_capacities("experimental");
  InitPilot(pilot);
  return pilot;
}

google::protobuf::RepeatedPtrField<std::string> Names(std::initializer_list<const char*> ids) {
  google::protobuf::RepeatedPtrField<std::string> names;
  for (const char* id : ids) *names.Add() = std::string("organisations/") + id;
  return names;
}

TEST(PilotLifecycleTest, ANewPilotIsProposedInItsHub) {
  v1::Pilot pilot = LivingLabPilot();
  EXPECT_EQ(pilot.state(), v1::Pilot::PROPOSED);
  EXPECT_EQ(pilot.hub(), "hubs/micad-barcelona");
}

TEST(PilotLifecycleTest, RunsEvaluatesReplicatesAndScales) {
  v1::Pilot pilot = LivingLabPilot();
  ASSERT_THAT(Start(pilot, kNow), IsOk());
  EXPECT_EQ(pilot.state(), v1::Pilot::RUNNING);
  EXPECT_EQ(pilot.start_time(), TimeUtil::SecondsToTimestamp(1651363200));

  ASSERT_THAT(Evaluate(pilot, "Roadmap workshops doubled attendance", kNow + absl::Hours(1)),
              IsOk());
  EXPECT_EQ(pilot.state(), v1::Pilot::EVALUATED);
  EXPECT_EQ(pilot.evaluation(), "Roadmap workshops doubled attendance");
  EXPECT_EQ(pilot.evaluate_time(), TimeUtil::SecondsToTimestamp(1651363200 + 3600));

  ASSERT_THAT(Replicate(pilot, Names({"metropolitan-city-of-milan"})), IsOk());
  ASSERT_THAT(Replicate(pilot, Names({"city-of-tirana", "city-of-chisinau"})), IsOk());
  EXPECT_EQ(pilot.state(), v1::Pilot::REPLICATED);
  EXPECT_THAT(pilot.replications(),
              ElementsAre("organisations/metropolitan-city-of-milan",
                          "organisations/city-of-tirana", "organisations/city-of-chisinau"));
  EXPECT_FALSE(pilot.has_end_time());

  ASSERT_THAT(Scale(pilot, kNow + absl::Hours(2)), IsOk());
  EXPECT_EQ(pilot.state(), v1::Pilot::SCALED);
  EXPECT_EQ(pilot.end_time(), TimeUtil::SecondsToTimestamp(1651363200 + 7200));
}

TEST(PilotLifecycleTest, AnEvaluatedPilotCanScaleWithoutReplication) {
  v1::Pilot pilot = LivingLabPilot();
  ASSERT_THAT(Start(pilot, kNow), IsOk());
  ASSERT_THAT(Evaluate(pilot, "works", kNow), IsOk());
  EXPECT_THAT(Scale(pilot, kNow), IsOk());
}

TEST(PilotLifecycleTest, StopsUntilSomeoneTookItUp) {
  for (int steps = 0; steps < 3; ++steps) {
    v1::Pilot pilot = LivingLabPilot();
    if (steps >= 1) {
      ASSERT_THAT(Start(pilot, kNow), IsOk());
    }
    if (steps >= 2) {
      ASSERT_THAT(Evaluate(pilot, "inconclusive", kNow), IsOk());
    }
    ASSERT_THAT(Stop(pilot, "funding ended", kNow), IsOk()) << steps;
    EXPECT_EQ(pilot.state(), v1::Pilot::STOPPED);
    EXPECT_EQ(pilot.stop_reason(), "funding ended");
    EXPECT_EQ(pilot.end_time(), TimeUtil::SecondsToTimestamp(1651363200));
  }
}

// Every transition from every state it does not start from is refused, and changes nothing.
TEST(PilotLifecycleTest, RefusesEveryOtherTransition) {
  auto in_state = [](v1::Pilot::State state) {
    v1::Pilot pilot = LivingLabPilot();
    pilot.set_state(state);
    return pilot;
  };
  struct Case {
    v1::Pilot::State state;
    std::function<absl::Status(v1::Pilot&)> transition;
    const char* what;
  };
  auto start = [](v1::Pilot& p) { return Start(p, kNow); };
  auto evaluate = [](v1::Pilot& p) { return Evaluate(p, "x", kNow); };
  auto replicate = [](v1::Pilot& p) { return Replicate(p, Names({"city-of-tirana"})); };
  auto scale = [](v1::Pilot& p) { return Scale(p, kNow); };
  auto stop = [](v1::Pilot& p) { return Stop(p, "x", kNow); };
  std::vector<Case> refused = {
      {v1::Pilot::RUNNING, start, "start"},
      {v1::Pilot::EVALUATED, start, "start"},
      {v1::Pilot::STOPPED, start, "start"},
      {v1::Pilot::PROPOSED, evaluate, "evaluate"},
      {v1::Pilot::EVALUATED, evaluate, "evaluate"},
      {v1::Pilot::SCALED, evaluate, "evaluate"},
      {v1::Pilot::PROPOSED, replicate, "replicate"},
      {v1::Pilot::RUNNING, replicate, "replicate"},
      {v1::Pilot::SCALED, replicate, "replicate"},
      {v1::Pilot::STOPPED, replicate, "replicate"},
      {v1::Pilot::PROPOSED, scale, "scale"},
      {v1::Pilot::RUNNING, scale, "scale"},
      {v1::Pilot::SCALED, scale, "scale"},
      {v1::Pilot::STOPPED, scale, "scale"},
      {v1::Pilot::REPLICATED, stop, "stop"},
      {v1::Pilot::SCALED, stop, "stop"},
      {v1::Pilot::STOPPED, stop, "stop"},
  };
  for (const Case& c : refused) {
    v1::Pilot pilot = in_state(c.state);
    const std::string before = pilot.SerializeAsString();
    absl::Status status = c.transition(pilot);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition))
        << c.what << " from " << v1::Pilot::State_Name(c.state);
    EXPECT_EQ(ReasonOf(status), "INVALID_STATE_TRANSITION");
    EXPECT_EQ(pilot.SerializeAsString(), before);
  }
}

TEST(PilotLifecycleTest, EvaluationAndStopNeedTheirText) {
  v1::Pilot pilot = LivingLabPilot();
  ASSERT_THAT(Start(pilot, kNow), IsOk());
  EXPECT_THAT(BadFields(Evaluate(pilot, "", kNow)), ElementsAre("evaluation"));
  EXPECT_EQ(pilot.state(), v1::Pilot::RUNNING);
  EXPECT_THAT(BadFields(Stop(pilot, "", kNow)), ElementsAre("reason"));
  EXPECT_EQ(pilot.state(), v1::Pilot::RUNNING);
}

TEST(PilotLifecycleTest, ReplicationsAreNewOrganisations) {
  v1::Pilot pilot = LivingLabPilot();
  ASSERT_THAT(Start(pilot, kNow), IsOk());
  ASSERT_THAT(Evaluate(pilot, "works", kNow), IsOk());
  ASSERT_THAT(Replicate(pilot, Names({"city-of-tirana"})), IsOk());
  const std::string before = pilot.SerializeAsString();

  absl::Status status =
      Replicate(pilot, Names({"barcelona-metropolitan-area", "institut-metropoli", "city-of-tirana",
                              "city-of-chisinau", "city-of-chisinau"}));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(BadFields(status), ElementsAre("replications[4]", "replications[0]",
                                             "replications[1]", "replications[2]"));
  EXPECT_EQ(pilot.SerializeAsString(), before);

  EXPECT_THAT(BadFields(Replicate(pilot, {})), ElementsAre("replications"));
  google::protobuf::RepeatedPtrField<std::string> malformed;
  *malformed.Add() = "Tirana";
  EXPECT_THAT(BadFields(Replicate(pilot, malformed)), ElementsAre("replications[0]"));
}

TEST(ValidatePilotTest, NamesEachBadField) {
  v1::Pilot pilot = LivingLabPilot();
  EXPECT_THAT(ValidatePilot(pilot, "pilot"), IsOk());
  pilot.clear_title();
  pilot.set_lead("Barcelona");
  pilot.add_partners("organisations/institut-metropoli");
  pilot.add_capacities("Experimental capacity");
  EXPECT_THAT(BadFields(ValidatePilot(pilot, "pilot")),
              ElementsAre("pilot.title", "pilot.lead", "pilot.partners[1]", "pilot.capacities[1]"));
  pilot = LivingLabPilot();
  pilot.add_partners(pilot.lead());
  EXPECT_THAT(BadFields(ValidatePilot(pilot, "pilot")), ElementsAre("pilot.partners[1]"));
}

}  // namespace
}  // namespace metrocap::hubs
