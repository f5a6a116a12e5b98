#include "services/roadmaps/core/roadmap_rules.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/roadmaps/core/fixtures.h"

namespace metrocap::roadmaps {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using testing::FieldsOf;
using ::testing::HasSubstr;
using testing::Parse;

const char kPlan[] = R"pb(
  name: "plans/p"
  action_lines {
    code: "L1"
    title: "Line"
    actions {
      code: "L1A1"
      title: "Action"
      deliverables { code: "L1A1D1" title: "D" }
    }
  }
)pb";
const char kTaxonomy[] = R"pb(
  name: "taxonomies/t"
  themes { code: "2" title: "Environment" }
  challenges { code: "2.3" title: "Climate resilience" }
)pb";

const char kRoadmap[] = R"pb(
  display_name: "Milan twin transition roadmap"
  kind: TWIN
  state: ACTIVE
  plan: "plans/p"
  framework: "frameworks/micad"
  start_date { year: 2024 month: 1 day: 1 }
  end_date { year: 2026 month: 12 day: 31 }
  objectives {
    id: "leadership"
    title: "Build leadership"
    capacities: "leadership"
    actions {
      id: "a1"
      title: "Train"
      status: IN_PROGRESS
      progress_percent: 40
      start_date { year: 2024 month: 2 day: 1 }
      due_date { year: 2024 month: 6 day: 30 }
      capacities: "leadership"
      challenge_codes: "2.3"
      outcome_codes: "L1"
      outcome_codes: "L1A1D1"
    }
  }
  objectives { id: "knowledge" title: "Know more" }
  objectives {
    id: "learning"
    title: "Learn"
    actions { id: "b1" title: "One" status: NOT_STARTED }
    actions { id: "b2" title: "Two" status: DONE }
  }
  indicators {
    id: "emissions"
    display_name: "Emissions"
    unit: "ktCO2e"
    baseline: 100
    target: 60
    measurements {
      date { year: 2024 month: 1 day: 1 }
      value: 95
      source: "inventory"
    }
    milestones {
      date { year: 2025 month: 1 day: 1 }
      value: 80
    }
  }
)pb";

class ValidateRoadmapTest : public ::testing::Test {
 protected:
  v1::Plan plan_ = Parse<v1::Plan>(kPlan);
  v1::Taxonomy taxonomy_ = Parse<v1::Taxonomy>(kTaxonomy);
  PlanCodes plan_codes_{plan_};
  TaxonomyCodes taxonomy_codes_{taxonomy_};
  absl::flat_hash_set<std::string> capacities_ = {"leadership", "knowledge", "learning"};
  RoadmapReferences refs_{&plan_codes_, &taxonomy_codes_, &capacities_};
  v1::Roadmap roadmap_ = Parse<v1::Roadmap>(kRoadmap);

  v1::RoadmapAction& Action(int objective, int action) {
    return *roadmap_.mutable_objectives(objective)->mutable_actions(action);
  }
};

TEST_F(ValidateRoadmapTest, AcceptsAResolvedRoadmap) {
  EXPECT_OK(ValidateRoadmap(roadmap_, refs_, "roadmap."));
}

TEST_F(ValidateRoadmapTest, NamesTheExactPathOfAnUnresolvedOutcomeCode) {
  *roadmap_.mutable_objectives(2)->mutable_actions(0)->add_outcome_codes() = "L1A1";
  *roadmap_.mutable_objectives(2)->mutable_actions(0)->add_outcome_codes() = "L1A9";
  absl::Status status = ValidateRoadmap(roadmap_, refs_, "roadmap.");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("L1A9")));
  EXPECT_THAT(FieldsOf(status), ElementsAre("roadmap.objectives[2].actions[0].outcomeCodes[1]"));
}

TEST_F(ValidateRoadmapTest, UnknownChallengeCodesAndCapacities) {
  Action(0, 0).set_challenge_codes(0, "2.4");
  Action(0, 0).add_capacities("magic");
  roadmap_.mutable_objectives(1)->add_capacities("nope");
  EXPECT_THAT(
      FieldsOf(ValidateRoadmap(roadmap_, refs_, "")),
      ElementsAre("objectives[0].actions[0].capacities[1]",
                  "objectives[0].actions[0].challengeCodes[0]", "objectives[1].capacities[0]"));
}

TEST_F(ValidateRoadmapTest, CodesAndCapacitiesNeedTheirReference) {
  RoadmapReferences none;
  absl::Status status = ValidateRoadmap(roadmap_, none, "");
  EXPECT_THAT(FieldsOf(status),
              ElementsAre("objectives[0].capacities[0]", "objectives[0].actions[0].capacities[0]",
                          "objectives[0].actions[0].challengeCodes[0]",
                          "objectives[0].actions[0].outcomeCodes[0]",
                          "objectives[0].actions[0].outcomeCodes[1]"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("needs the roadmap's plan"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("needs the roadmap's framework"));
}

TEST_F(ValidateRoadmapTest, DatesOutOfOrderAndInvalid) {
  roadmap_.mutable_end_date()->set_year(2023);
  Action(0, 0).mutable_due_date()->set_month(1);
  roadmap_.mutable_indicators(0)->mutable_milestones(0)->mutable_date()->set_day(32);
  EXPECT_THAT(FieldsOf(ValidateRoadmap(roadmap_, refs_, "roadmap.")),
              ElementsAre("roadmap.endDate", "roadmap.objectives[0].actions[0].dueDate",
                          "roadmap.indicators[0].milestones[0].date"));
}

TEST_F(ValidateRoadmapTest, ProgressOutOfRange) {
  Action(0, 0).set_progress_percent(101);
  Action(2, 0).set_progress_percent(-1);
  Action(2, 1).set_progress_percent(std::nan(""));
  EXPECT_THAT(FieldsOf(ValidateRoadmap(roadmap_, refs_, "")),
              ElementsAre("objectives[0].actions[0].progressPercent",
                          "objectives[2].actions[0].progressPercent",
                          "objectives[2].actions[1].progressPercent"));
}

TEST_F(ValidateRoadmapTest, IdsUniqueAndWellFormed) {
  Action(2, 1).set_id("a1");  // an action id is unique across objectives
  roadmap_.mutable_objectives(1)->set_id("Knowledge");
  roadmap_.mutable_indicators(0)->mutable_measurements()->Add()->CopyFrom(
      roadmap_.indicators(0).measurements(0));  // the same date twice
  Action(2, 0).clear_status();
  EXPECT_THAT(FieldsOf(ValidateRoadmap(roadmap_, refs_, "")),
              ElementsAre("objectives[1].id", "objectives[2].actions[0].status",
                          "objectives[2].actions[1].id", "indicators[0].measurements[1].date"));
}

TEST_F(ValidateRoadmapTest, RequiredTopLevelFields) {
  v1::Roadmap empty;
  EXPECT_THAT(FieldsOf(ValidateRoadmap(empty, refs_, "roadmap.")),
              ElementsAre("roadmap.displayName", "roadmap.kind", "roadmap.state"));
}

TEST_F(ValidateRoadmapTest, IndicatorValuesMustBeFinite) {
  roadmap_.mutable_indicators(0)->set_target(std::numeric_limits<double>::infinity());
  roadmap_.mutable_indicators(0)->mutable_measurements(0)->set_value(std::nan(""));
  roadmap_.mutable_indicators(0)->mutable_measurements(0)->clear_date();
  EXPECT_THAT(FieldsOf(ValidateRoadmap(roadmap_, refs_, "")),
              ElementsAre("indicators[0].target", "indicators[0].measurements[0].date",
                          "indicators[0].measurements[0].value"));
}

}  // namespace
}  // namespace metrocap::roadmaps
