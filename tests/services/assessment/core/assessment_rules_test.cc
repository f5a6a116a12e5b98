#include "services/assessment/core/assessment_rules.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/assessment/core/fixtures.h"

namespace metrocap::assessment {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using testing::MakeResponse;
using testing::TestFramework;

std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) fields.push_back(v.field);
  return fields;
}

google::type::Date MakeDate(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

class ValidateAssessmentTest : public ::testing::Test {
 protected:
  ValidateAssessmentTest() : framework_(TestFramework()), index_(framework_) {
    valid_.set_display_name("2024 assessment");
    valid_.set_framework("frameworks/test");
    *valid_.mutable_period_start() = MakeDate(2024, 1, 1);
    *valid_.mutable_period_end() = MakeDate(2024, 12, 31);
    valid_.add_methods(v1::Assessment::DESK_RESEARCH);
    valid_.add_methods(v1::Assessment::INTERVIEW);
    valid_.set_visibility(v1::Assessment::NETWORK);
    *valid_.add_responses() =
        MakeResponse("knowledge.shared-framework", 3, v1::Assessment::SURVEY, "climate-transition");
    *valid_.add_responses() = MakeResponse("leadership.vision", 4, v1::Assessment::INTERVIEW);
  }

  // Expects exactly one violation, on `field`.
  void ExpectOnlyViolation(const v1::Assessment& a, const std::string& field) {
    absl::Status status = ValidateAssessment(a, index_, "assessment");
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(ViolatedFields(status), ElementsAre(field));
  }

  v1::Framework framework_;
  FrameworkIndex index_;
  v1::Assessment valid_;
};

TEST_F(ValidateAssessmentTest, AcceptsAValidAssessment) {
  EXPECT_OK(ValidateAssessment(valid_, index_, "assessment"));
}

TEST_F(ValidateAssessmentTest, AcceptsAnEmptyDraft) {
  v1::Assessment a;
  a.set_framework("frameworks/test");
  EXPECT_OK(ValidateAssessment(a, index_, "assessment"));
}

TEST_F(ValidateAssessmentTest, RequiresAnIndicator) {
  v1::Assessment a = valid_;
  a.mutable_responses(1)->clear_indicator();
  ExpectOnlyViolation(a, "assessment.responses[1].indicator");
}

TEST_F(ValidateAssessmentTest, RefusesUnknownIndicators) {
  for (const char* bad : {"knowledge", "knowledge.vision", "vision", "mobilization.x",
                          "knowledge.shared-framework.x", ".vision"}) {
    v1::Assessment a = valid_;
    a.mutable_responses(0)->set_indicator(bad);
    ExpectOnlyViolation(a, "assessment.responses[0].indicator");
  }
}

TEST_F(ValidateAssessmentTest, RefusesUnknownDimensionsButAllowsNone) {
  v1::Assessment a = valid_;
  a.mutable_responses(0)->set_dimension("social-inclusion");
  ExpectOnlyViolation(a, "assessment.responses[0].dimension");
  a.mutable_responses(0)->clear_dimension();
  EXPECT_OK(ValidateAssessment(a, index_, "assessment"));
}

TEST_F(ValidateAssessmentTest, ScoresOnTheScaleEdgesAreAccepted) {
  v1::Assessment a = valid_;
  a.mutable_responses(0)->set_score(1);
  a.mutable_responses(1)->set_score(5);
  EXPECT_OK(ValidateAssessment(a, index_, "assessment"));
}

TEST_F(ValidateAssessmentTest, ScoresOutsideTheScaleAreRefused) {
  for (double bad : {0.999, 5.001, -3.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    v1::Assessment a = valid_;
    a.mutable_responses(1)->set_score(bad);
    ExpectOnlyViolation(a, "assessment.responses[1].score");
  }
}

TEST_F(ValidateAssessmentTest, RequiresAKnownSource) {
  v1::Assessment a = valid_;
  a.mutable_responses(0)->set_source(v1::Assessment::SOURCE_UNSPECIFIED);
  ExpectOnlyViolation(a, "assessment.responses[0].source");
  a.mutable_responses(0)->set_source(static_cast<v1::Assessment::Source>(99));
  ExpectOnlyViolation(a, "assessment.responses[0].source");
}

TEST_F(ValidateAssessmentTest, LimitsRespondentAndEvidence) {
  v1::Assessment a = valid_;
  a.mutable_responses(0)->set_respondent(std::string(201, 'r'));
  ExpectOnlyViolation(a, "assessment.responses[0].respondent");
  a = valid_;
  a.mutable_responses(0)->set_evidence(std::string(4001, 'e'));
  ExpectOnlyViolation(a, "assessment.responses[0].evidence");
}

TEST_F(ValidateAssessmentTest, LimitsTheNumberOfResponses) {
  v1::Assessment a = valid_;
  a.clear_responses();
  for (int i = 0; i < kMaxResponses; ++i) *a.add_responses() = valid_.responses(1);
  EXPECT_OK(ValidateAssessment(a, index_, "assessment"));
  *a.add_responses() = valid_.responses(1);
  ExpectOnlyViolation(a, "assessment.responses");
}

TEST_F(ValidateAssessmentTest, PeriodDatesMustBeRealDates) {
  v1::Assessment a = valid_;
  *a.mutable_period_start() = MakeDate(2023, 2, 29);
  ExpectOnlyViolation(a, "assessment.periodStart");
  *a.mutable_period_start() = MakeDate(2024, 2, 29);
  EXPECT_OK(ValidateAssessment(a, index_, "assessment"));
  *a.mutable_period_end() = MakeDate(2024, 13, 1);
  ExpectOnlyViolation(a, "assessment.periodEnd");
  *a.mutable_period_end() = MakeDate(0, 1, 1);
  ExpectOnlyViolation(a, "assessment.periodEnd");
}

TEST_F(ValidateAssessmentTest, PeriodEndMustNotPrecedePeriodStart) {
  v1::Assessment a = valid_;
  *a.mutable_period_end() = MakeDate(2023, 12, 31);
  ExpectOnlyViolation(a, "assessment.periodEnd");
  *a.mutable_period_end() = a.period_start();
  EXPECT_OK(ValidateAssessment(a, index_, "assessment"));
  a.clear_period_start();
  EXPECT_OK(ValidateAssessment(a, index_, "assessment"));
}

TEST_F(ValidateAssessmentTest, MethodsMustBeKnownAndDistinct) {
  v1::Assessment a = valid_;
  a.add_methods(v1::Assessment::SOURCE_UNSPECIFIED);
  ExpectOnlyViolation(a, "assessment.methods[2]");
  a = valid_;
  a.add_methods(v1::Assessment::INTERVIEW);
  ExpectOnlyViolation(a, "assessment.methods[2]");
  a = valid_;
  a.add_methods(static_cast<v1::Assessment::Source>(42));
  ExpectOnlyViolation(a, "assessment.methods[2]");
}

TEST_F(ValidateAssessmentTest, VisibilityMustBeKnown) {
  v1::Assessment a = valid_;
  a.set_visibility(static_cast<v1::Assessment::Visibility>(7));
  ExpectOnlyViolation(a, "assessment.visibility");
}

TEST_F(ValidateAssessmentTest, LimitsDisplayName) {
  v1::Assessment a = valid_;
  a.set_display_name(std::string(201, 'x'));
  ExpectOnlyViolation(a, "assessment.displayName");
}

TEST_F(ValidateAssessmentTest, ReportsEveryBadResponse) {
  v1::Assessment a = valid_;
  a.mutable_responses(0)->set_score(9);
  a.mutable_responses(1)->set_indicator("nope.nope");
  a.mutable_responses(1)->set_dimension("nope");
  EXPECT_THAT(ViolatedFields(ValidateAssessment(a, index_, "assessment")),
              ElementsAre("assessment.responses[0].score", "assessment.responses[1].indicator",
                          "assessment.responses[1].dimension"));
}

TEST_F(ValidateAssessmentTest, KeepsTheErrorSmallWhateverTheInput) {
  v1::Assessment a = valid_;
  a.clear_responses();
  for (int i = 0; i < 1000; ++i)
    *a.add_responses() = MakeResponse("x.y", 0, v1::Assessment::SURVEY);
  EXPECT_EQ(FieldViolationsOf(ValidateAssessment(a, index_, "assessment")).size(),
            Violations::kMaxViolations);
}

TEST(IsValidDateOrUnsetTest, Boundaries) {
  EXPECT_TRUE(IsValidDateOrUnset(MakeDate(0, 0, 0)));
  EXPECT_TRUE(IsValidDateOrUnset(MakeDate(1, 1, 1)));
  EXPECT_TRUE(IsValidDateOrUnset(MakeDate(9999, 12, 31)));
  EXPECT_FALSE(IsValidDateOrUnset(MakeDate(10000, 1, 1)));
  EXPECT_FALSE(IsValidDateOrUnset(MakeDate(2024, 4, 31)));
  EXPECT_FALSE(IsValidDateOrUnset(MakeDate(2024, 0, 10)));
  EXPECT_FALSE(IsValidDateOrUnset(MakeDate(2024, 1, 0)));
  EXPECT_FALSE(IsValidDateOrUnset(MakeDate(2024, 0, 0)));
}

}  // namespace
}  // namespace metrocap::assessment
