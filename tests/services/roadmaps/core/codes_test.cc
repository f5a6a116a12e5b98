#include "services/roadmaps/core/codes.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/roadmaps/core/fixtures.h"

namespace metrocap::roadmaps {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using testing::FieldsOf;
using ::testing::IsEmpty;
using testing::Parse;

const char kPlan[] = R"pb(
  name: "plans/sap-2021-2023"
  display_name: "Strategic Action Plan 2021-2023"
  start_date { year: 2021 month: 1 day: 1 }
  end_date { year: 2023 month: 12 day: 31 }
  action_lines {
    code: "L1"
    title: "Local and global influence"
    actions {
      code: "L1A1"
      title: "Advocacy"
      deliverables { code: "L1A1D1" title: "Position paper" }
      deliverables { code: "L1A1D2" title: "Campaign" }
    }
    actions { code: "L1A2" title: "Networking" }
  }
  action_lines { code: "L2" title: "Metropolitan governance" }
)pb";

TEST(PlanCodeShapeTest, ParsesLinesActionsAndDeliverables) {
  auto line = ParsePlanCode("L1");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->line, 1);
  EXPECT_EQ(line->action, 0);
  auto deliverable = ParsePlanCode("L12A3D40");
  ASSERT_TRUE(deliverable);
  EXPECT_EQ(deliverable->line, 12);
  EXPECT_EQ(deliverable->action, 3);
  EXPECT_EQ(deliverable->deliverable, 40);
}

TEST(PlanCodeShapeTest, RefusesBadShapes) {
  for (const char* bad : {"", "L", "L0", "L01", "l1", "L1A", "L1D1", "L1A1D", "L1A1D1X", "A1",
                          "L1A1A1", "L1 ", "L-1", "L1234567"}) {
    EXPECT_FALSE(ParsePlanCode(bad)) << bad;
  }
}

TEST(TaxonomyCodeShapeTest, ParsesThemesAndChallenges) {
  auto challenge = ParseTaxonomyCode("2.3");
  ASSERT_TRUE(challenge);
  EXPECT_EQ(challenge->theme, 2);
  EXPECT_EQ(challenge->challenge, 3);
  for (const char* bad : {"", "0", "2.", ".3", "2.03", "2.3.1", "a", "2,3"}) {
    EXPECT_FALSE(ParseTaxonomyCode(bad)) << bad;
  }
}

TEST(ValidatePlanTest, AcceptsAWellCodedPlan) {
  EXPECT_OK(ValidatePlan(Parse<v1::Plan>(kPlan), "plan."));
}

TEST(ValidatePlanTest, ActionMustExtendItsLine) {
  auto plan = Parse<v1::Plan>(kPlan);
  plan.mutable_action_lines(0)->mutable_actions(1)->set_code("L2A2");
  absl::Status status = ValidatePlan(plan, "plan.");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldsOf(status), ElementsAre("plan.actionLines[0].actions[1].code"));
}

TEST(ValidatePlanTest, DeliverableMustExtendItsAction) {
  auto plan = Parse<v1::Plan>(kPlan);
  plan.mutable_action_lines(0)->mutable_actions(0)->mutable_deliverables(1)->set_code("L1A2D2");
  EXPECT_THAT(FieldsOf(ValidatePlan(plan, "plan.")),
              ElementsAre("plan.actionLines[0].actions[0].deliverables[1].code"));
}

TEST(ValidatePlanTest, CodesAreUniqueInThePlan) {
  auto plan = Parse<v1::Plan>(kPlan);
  plan.mutable_action_lines(0)->mutable_actions(1)->set_code("L1A1");
  plan.mutable_action_lines(1)->set_code("L1");
  EXPECT_THAT(FieldsOf(ValidatePlan(plan, "plan.")),
              ElementsAre("plan.actionLines[0].actions[1].code", "plan.actionLines[1].code"));
}

TEST(ValidatePlanTest, BadShapesMissingTitlesAndDatesOutOfOrder) {
  auto plan = Parse<v1::Plan>(kPlan);
  plan.mutable_action_lines(1)->set_code("Line2");
  plan.mutable_action_lines(0)->mutable_actions(0)->clear_title();
  plan.mutable_end_date()->set_year(2020);
  EXPECT_THAT(FieldsOf(ValidatePlan(plan, "plan.")),
              ElementsAre("plan.endDate", "plan.actionLines[0].actions[0].title",
                          "plan.actionLines[1].code"));
}

TEST(ValidatePlanTest, ABadLineCodeIsReportedOnceNotOnEveryChild) {
  auto plan = Parse<v1::Plan>(kPlan);
  plan.mutable_action_lines(0)->set_code("X1");
  EXPECT_THAT(FieldsOf(ValidatePlan(plan, "")), ElementsAre("actionLines[0].code"));
}

TEST(PlanCodesTest, ResolvesEachLevelWithItsPath) {
  auto plan = Parse<v1::Plan>(kPlan);
  PlanCodes codes(plan);
  ASSERT_OK_AND_ASSIGN(v1::PlanCode deliverable, codes.Resolve("L1A1D2"));
  EXPECT_EQ(deliverable.plan(), "plans/sap-2021-2023");
  EXPECT_EQ(deliverable.title(), "Campaign");
  EXPECT_EQ(deliverable.level(), v1::PlanCode::DELIVERABLE);
  ASSERT_EQ(deliverable.path_size(), 3);
  EXPECT_EQ(deliverable.path(0).title(), "Local and global influence");
  EXPECT_EQ(deliverable.path(1).code(), "L1A1");
  EXPECT_EQ(deliverable.path(2).code(), "L1A1D2");

  ASSERT_OK_AND_ASSIGN(v1::PlanCode line, codes.Resolve("L2"));
  EXPECT_EQ(line.level(), v1::PlanCode::ACTION_LINE);
  EXPECT_EQ(line.path_size(), 1);
  ASSERT_OK_AND_ASSIGN(v1::PlanCode action, codes.Resolve("L1A2"));
  EXPECT_EQ(action.title(), "Networking");
  EXPECT_EQ(action.path_size(), 2);
}

TEST(PlanCodesTest, UnknownCodeIsNotFoundAndBadShapeInvalid) {
  auto plan = Parse<v1::Plan>(kPlan);
  PlanCodes codes(plan);
  absl::Status missing = codes.Resolve("L1A3").status();
  EXPECT_THAT(missing, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(ReasonOf(missing), "PLAN_CODE_NOT_FOUND");
  EXPECT_THAT(FieldsOf(codes.Resolve("1.1").status()), ElementsAre("code"));
  EXPECT_TRUE(codes.Contains("L1A1D1"));
  EXPECT_FALSE(codes.Contains("L1A1D3"));
}

const char kTaxonomy[] = R"pb(
  name: "taxonomies/metropolitan-challenges"
  display_name: "Metropolitan challenges"
  themes { code: "1" title: "Social cohesion" }
  themes { code: "2" title: "Environment" }
  challenges { code: "1.1" title: "Combating inequalities and segregation" }
  challenges { code: "2.3" title: "Climate resilience" }
)pb";

TEST(ValidateTaxonomyTest, AcceptsThemesAndTheirChallenges) {
  EXPECT_OK(ValidateTaxonomy(Parse<v1::Taxonomy>(kTaxonomy), "taxonomy."));
}

TEST(ValidateTaxonomyTest, RefusesOrphansShapesAndDuplicates) {
  auto taxonomy = Parse<v1::Taxonomy>(kTaxonomy);
  taxonomy.add_challenges()->set_code("3.1");  // no theme 3
  taxonomy.mutable_challenges(2)->set_title("x");
  taxonomy.mutable_themes(1)->set_code("2.1");  // a challenge code among the themes
  auto* dup = taxonomy.add_challenges();
  dup->set_code("1.1");
  dup->set_title("again");
  absl::Status status = ValidateTaxonomy(taxonomy, "taxonomy.");
  EXPECT_THAT(FieldsOf(status),
              ElementsAre("taxonomy.themes[1].code", "taxonomy.challenges[1].code",
                          "taxonomy.challenges[2].code", "taxonomy.challenges[3].code"));
}

TEST(TaxonomyCodesTest, ResolvesChallengesUnderTheirTheme) {
  auto taxonomy = Parse<v1::Taxonomy>(kTaxonomy);
  TaxonomyCodes codes(taxonomy);
  ASSERT_OK_AND_ASSIGN(v1::TaxonomyCode challenge, codes.Resolve("2.3"));
  EXPECT_EQ(challenge.title(), "Climate resilience");
  EXPECT_EQ(challenge.level(), v1::TaxonomyCode::CHALLENGE);
  ASSERT_EQ(challenge.path_size(), 2);
  EXPECT_EQ(challenge.path(0).title(), "Environment");
  ASSERT_OK_AND_ASSIGN(v1::TaxonomyCode theme, codes.Resolve("1"));
  EXPECT_EQ(theme.level(), v1::TaxonomyCode::THEME);
  EXPECT_EQ(ReasonOf(codes.Resolve("2.4").status()), "TAXONOMY_CODE_NOT_FOUND");
  EXPECT_THAT(codes.Resolve("L1").status(), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace metrocap::roadmaps
