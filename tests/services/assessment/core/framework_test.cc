#include "services/assessment/core/framework.h"

#include <cmath>
#include <limits>
#include <string>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/assessment/core/fixtures.h"

namespace metrocap::assessment {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::HasSubstr;
using testing::TestFramework;

// The fields named by the violations of `status`.
std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) fields.push_back(v.field);
  return fields;
}

// Validates `f` and expects exactly one violation, on `field`.
void ExpectOnlyViolation(const v1::Framework& f, const std::string& field) {
  absl::Status status = ValidateFramework(f, "framework");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ViolatedFields(status), ::testing::ElementsAre(field));
}

TEST(ValidateFrameworkTest, AcceptsAWellFormedFramework) {
  EXPECT_OK(ValidateFramework(TestFramework(), "framework"));
}

TEST(ValidateFrameworkTest, AcceptsADraftWithoutCapacities) {
  v1::Framework f = TestFramework();
  f.clear_capacities();
  f.clear_dimensions();
  EXPECT_OK(ValidateFramework(f, "framework"));
}

TEST(ValidateFrameworkTest, RequiresDisplayName) {
  v1::Framework f = TestFramework();
  f.clear_display_name();
  ExpectOnlyViolation(f, "framework.displayName");
  f.set_display_name(std::string(201, 'x'));
  ExpectOnlyViolation(f, "framework.displayName");
}

TEST(ValidateFrameworkTest, LimitsVersionAndDescription) {
  v1::Framework f = TestFramework();
  f.set_version(std::string(51, '1'));
  ExpectOnlyViolation(f, "framework.version");
  f = TestFramework();
  f.set_description(std::string(2001, 'x'));
  ExpectOnlyViolation(f, "framework.description");
}

TEST(ValidateFrameworkTest, ScaleMinMustBeBelowScaleMax) {
  v1::Framework f = TestFramework();
  f.set_scale_min(5);
  f.set_scale_max(5);
  // Thresholds cannot be judged against a broken scale, so only the scale is reported.
  ExpectOnlyViolation(f, "framework.scaleMax");
  f.set_scale_min(6);
  ExpectOnlyViolation(f, "framework.scaleMax");
}

TEST(ValidateFrameworkTest, ScaleMustBeFinite) {
  v1::Framework f = TestFramework();
  f.set_scale_min(std::nan(""));
  ExpectOnlyViolation(f, "framework.scaleMin");
  f = TestFramework();
  f.set_scale_max(std::numeric_limits<double>::infinity());
  ExpectOnlyViolation(f, "framework.scaleMax");
}

TEST(ValidateFrameworkTest, ThresholdsMustLieInsideTheScale) {
  v1::Framework f = TestFramework();
  f.set_need_threshold(0.99);
  ExpectOnlyViolation(f, "framework.needThreshold");
  f = TestFramework();
  f.set_potential_threshold(5.01);
  ExpectOnlyViolation(f, "framework.potentialThreshold");
  f = TestFramework();
  f.set_need_threshold(std::nan(""));
  ExpectOnlyViolation(f, "framework.needThreshold");
}

TEST(ValidateFrameworkTest, ThresholdsOnTheScaleEdgesAreAccepted) {
  v1::Framework f = TestFramework();
  f.set_need_threshold(1);
  f.set_potential_threshold(5);
  EXPECT_OK(ValidateFramework(f, "framework"));
  f.set_need_threshold(4);
  f.set_potential_threshold(4);
  EXPECT_OK(ValidateFramework(f, "framework"));
}

TEST(ValidateFrameworkTest, NeedThresholdMustNotExceedPotentialThreshold) {
  v1::Framework f = TestFramework();
  f.set_need_threshold(4.5);
  ExpectOnlyViolation(f, "framework.potentialThreshold");
}

TEST(ValidateFrameworkTest, CapacityIdsMustBeWellFormed) {
  for (const char* bad : {"", "Knowledge", "1knowledge", "know.ledge", "know ledge", "-k"}) {
    v1::Framework f = TestFramework();
    f.mutable_capacities(1)->set_id(bad);
    ExpectOnlyViolation(f, "framework.capacities[1].id");
  }
}

TEST(ValidateFrameworkTest, CapacityIdsMustBeUnique) {
  v1::Framework f = TestFramework();
  f.mutable_capacities(2)->set_id("knowledge");
  ExpectOnlyViolation(f, "framework.capacities[2].id");
}

TEST(ValidateFrameworkTest, CapacityNeedsADisplayName) {
  v1::Framework f = TestFramework();
  f.mutable_capacities(0)->clear_display_name();
  ExpectOnlyViolation(f, "framework.capacities[0].displayName");
}

TEST(ValidateFrameworkTest, IndicatorIdsAreUniqueWithinTheirCapacityOnly) {
  v1::Framework f = TestFramework();
  f.mutable_capacities(0)->mutable_indicators(1)->set_id("shared-framework");
  ExpectOnlyViolation(f, "framework.capacities[0].indicators[1].id");

  f = TestFramework();
  f.mutable_capacities(1)->mutable_indicators(0)->set_id("shared-framework");
  EXPECT_OK(ValidateFramework(f, "framework"));
}

TEST(ValidateFrameworkTest, IndicatorNeedsAQuestion) {
  v1::Framework f = TestFramework();
  f.mutable_capacities(2)->mutable_indicators(1)->clear_question();
  ExpectOnlyViolation(f, "framework.capacities[2].indicators[1].question");
}

TEST(ValidateFrameworkTest, WeightsMustBePositiveAndFinite) {
  for (double bad : {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    v1::Framework f = TestFramework();
    f.mutable_capacities(0)->mutable_indicators(0)->set_weight(bad);
    ExpectOnlyViolation(f, "framework.capacities[0].indicators[0].weight");
  }
  v1::Framework f = TestFramework();
  f.mutable_capacities(0)->mutable_indicators(0)->set_weight(1e-6);
  EXPECT_OK(ValidateFramework(f, "framework"));
}

TEST(ValidateFrameworkTest, DimensionIdsMustBeWellFormedAndUnique) {
  v1::Framework f = TestFramework();
  f.mutable_dimensions(1)->set_id("climate-transition");
  ExpectOnlyViolation(f, "framework.dimensions[1].id");
  f = TestFramework();
  f.mutable_dimensions(0)->set_id("Climate");
  ExpectOnlyViolation(f, "framework.dimensions[0].id");
  f = TestFramework();
  f.mutable_dimensions(0)->clear_display_name();
  ExpectOnlyViolation(f, "framework.dimensions[0].displayName");
}

TEST(ValidateFrameworkTest, EnforcesSizeLimits) {
  v1::Framework f = TestFramework();
  f.clear_capacities();
  for (int i = 0; i <= kMaxCapacities; ++i) {
    v1::Capacity* c = f.add_capacities();
    c->set_id("c" + std::to_string(i));
    c->set_display_name("C");
  }
  ExpectOnlyViolation(f, "framework.capacities");

  f = TestFramework();
  for (int i = 0; i < kMaxIndicatorsPerCapacity; ++i) {
    v1::Indicator* in = f.mutable_capacities(1)->add_indicators();
    in->set_id("i" + std::to_string(i));
    in->set_question("Q");
    in->set_weight(1);
  }
  ExpectOnlyViolation(f, "framework.capacities[1].indicators");

  f = TestFramework();
  f.clear_dimensions();
  for (int i = 0; i <= kMaxDimensions; ++i) {
    v1::Dimension* d = f.add_dimensions();
    d->set_id("d" + std::to_string(i));
    d->set_display_name("D");
  }
  ExpectOnlyViolation(f, "framework.dimensions");
}

TEST(ValidateFrameworkTest, ReportsEveryProblemAtOnce) {
  v1::Framework f = TestFramework();
  f.clear_display_name();
  f.set_potential_threshold(9);
  f.mutable_capacities(0)->mutable_indicators(0)->set_weight(0);
  f.mutable_dimensions(0)->set_id("");
  absl::Status status = ValidateFramework(f, "framework");
  EXPECT_THAT(ViolatedFields(status),
              ::testing::UnorderedElementsAre(
                  "framework.displayName", "framework.potentialThreshold",
                  "framework.capacities[0].indicators[0].weight", "framework.dimensions[0].id"));
}

TEST(ValidateFrameworkTest, EmptyPrefixGivesBarePaths) {
  v1::Framework f = TestFramework();
  f.clear_display_name();
  EXPECT_THAT(ViolatedFields(ValidateFramework(f, "")), ::testing::ElementsAre("displayName"));
}

TEST(IsElementIdTest, Boundaries) {
  EXPECT_TRUE(IsElementId("a"));
  EXPECT_TRUE(IsElementId("a-1"));
  EXPECT_TRUE(IsElementId(std::string(63, 'a')));
  EXPECT_FALSE(IsElementId(std::string(64, 'a')));
  EXPECT_FALSE(IsElementId(""));
  EXPECT_FALSE(IsElementId("a_b"));
  EXPECT_FALSE(IsElementId("a.b"));
}

TEST(FrameworkIndexTest, FindsIndicatorsByCapacityDotIndicator) {
  v1::Framework f = TestFramework();
  FrameworkIndex index(f);
  auto ref = index.FindIndicator("learning.training");
  ASSERT_TRUE(ref.has_value());
  EXPECT_EQ(ref->capacity, 2);
  EXPECT_EQ(ref->indicator, 1);
  EXPECT_FALSE(index.FindIndicator("learning").has_value());
  EXPECT_FALSE(index.FindIndicator("learning.").has_value());
  EXPECT_FALSE(index.FindIndicator("training").has_value());
  EXPECT_FALSE(index.FindIndicator("leadership.training").has_value());
  EXPECT_FALSE(index.FindIndicator("learning.training.x").has_value());
  EXPECT_EQ(index.FindCapacity("leadership"), absl::optional<int>(1));
  EXPECT_EQ(index.FindDimension("digital-transition"), absl::optional<int>(1));
  EXPECT_FALSE(index.FindDimension("social-inclusion").has_value());
}

TEST(FrameworkStateTest, DraftIsEditablePublishedIsNot) {
  v1::Framework f = TestFramework();
  f.set_state(v1::Framework::DRAFT);
  EXPECT_OK(CheckFrameworkEditable(f));
  f.set_state(v1::Framework::PUBLISHED);
  absl::Status status = CheckFrameworkEditable(f);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(status), "FRAMEWORK_PUBLISHED");
}

TEST(FrameworkStateTest, PublishMovesADraftToPublished) {
  v1::Framework f = TestFramework();
  f.set_state(v1::Framework::DRAFT);
  ASSERT_OK(Publish(f));
  EXPECT_EQ(f.state(), v1::Framework::PUBLISHED);
}

TEST(FrameworkStateTest, PublishingTwiceIsRefused) {
  v1::Framework f = TestFramework();
  absl::Status status = Publish(f);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already")));
  EXPECT_EQ(ReasonOf(status), "FRAMEWORK_PUBLISHED");
}

TEST(FrameworkStateTest, AnIncompleteFrameworkCannotBePublished) {
  v1::Framework f = TestFramework();
  f.set_state(v1::Framework::DRAFT);
  f.mutable_capacities(1)->clear_indicators();
  absl::Status status = Publish(f);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("leadership")));
  EXPECT_EQ(ReasonOf(status), "FRAMEWORK_INCOMPLETE");
  EXPECT_EQ(f.state(), v1::Framework::DRAFT);

  f.clear_capacities();
  EXPECT_EQ(ReasonOf(Publish(f)), "FRAMEWORK_INCOMPLETE");
}

}  // namespace
}  // namespace metrocap::assessment
