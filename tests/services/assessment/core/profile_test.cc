#include "services/assessment/core/profile.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/assessment/core/fixtures.h"

namespace metrocap::assessment {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::MakeResponse;
using testing::TestFramework;

using Responses = google::protobuf::RepeatedPtrField<v1::Response>;

Responses Of(std::vector<v1::Response> list) {
  Responses out;
  for (v1::Response& r : list) *out.Add() = std::move(r);
  return out;
}

// The capacity score for `capacity`, or fails the test.
const v1::CapacityScore& ScoreOf(const v1::Profile& p, const std::string& capacity) {
  for (const v1::CapacityScore& s : p.capacity_scores()) {
    if (s.capacity() == capacity) return s;
  }
  ADD_FAILURE() << "no score for " << capacity;
  static const v1::CapacityScore none;
  return none;
}

std::vector<std::string> NeedCapacities(const v1::Profile& p) {
  std::vector<std::string> out;
  for (const auto& n : p.learning_needs()) out.push_back(n.capacity());
  return out;
}

std::vector<std::string> PotentialCapacities(const v1::Profile& p) {
  std::vector<std::string> out;
  for (const auto& n : p.potentials()) out.push_back(n.capacity());
  return out;
}

class ProfileTest : public ::testing::Test {
 protected:
  ProfileTest() : framework_(TestFramework()), index_(framework_) {}
  v1::Profile Compute(std::vector<v1::Response> responses) {
    return ComputeProfile(index_, Of(std::move(responses)));
  }
  v1::Framework framework_;
  FrameworkIndex index_;
};

TEST_F(ProfileTest, NoResponsesGiveAnEmptyProfile) {
  v1::Profile p = Compute({});
  EXPECT_THAT(p.capacity_scores(), IsEmpty());
  EXPECT_THAT(p.learning_needs(), IsEmpty());
  EXPECT_THAT(p.potentials(), IsEmpty());
  EXPECT_THAT(p.dimension_profiles(), IsEmpty());
}

TEST_F(ProfileTest, IndicatorScoreIsTheMeanOfItsResponses) {
  v1::Profile p =
      Compute({MakeResponse("leadership.vision", 2), MakeResponse("leadership.vision", 4),
               MakeResponse("leadership.vision", 4.5)});
  EXPECT_DOUBLE_EQ(ScoreOf(p, "leadership").score(), 3.5);
  EXPECT_EQ(ScoreOf(p, "leadership").response_count(), 3);
}

TEST_F(ProfileTest, CapacityScoreIsTheWeightWeightedMeanOfIndicators) {
  // shared-framework weight 1 scores 2, research-policy weight 3 scores 4: (2 + 12) / 4.
  v1::Profile p = Compute({MakeResponse("knowledge.shared-framework", 2),
                           MakeResponse("knowledge.research-policy", 4)});
  EXPECT_DOUBLE_EQ(ScoreOf(p, "knowledge").score(), 3.5);
}

TEST_F(ProfileTest, WeightsApplyToIndicatorMeansNotToResponseCounts) {
  // research-policy has three responses but still one indicator score of weight 3.
  v1::Profile p = Compute(
      {MakeResponse("knowledge.shared-framework", 2), MakeResponse("knowledge.research-policy", 3),
       MakeResponse("knowledge.research-policy", 5), MakeResponse("knowledge.research-policy", 4)});
  EXPECT_DOUBLE_EQ(ScoreOf(p, "knowledge").score(), (1 * 2.0 + 3 * 4.0) / 4);
}

// The worked example in docs/assessment.md.
TEST_F(ProfileTest, TheDocumentedExample) {
  v1::Profile p = Compute({MakeResponse("knowledge.shared-framework", 2, v1::Assessment::INTERVIEW),
                           MakeResponse("knowledge.research-policy", 4, v1::Assessment::SURVEY),
                           MakeResponse("knowledge.research-policy", 5, v1::Assessment::DATA)});
  EXPECT_DOUBLE_EQ(ScoreOf(p, "knowledge").score(), 3.875);
  EXPECT_EQ(ScoreOf(p, "knowledge").confidence(), v1::CapacityScore::HIGH);
  EXPECT_THAT(p.learning_needs(), IsEmpty());
  EXPECT_THAT(p.potentials(), IsEmpty());
}

TEST_F(ProfileTest, IndicatorsWithoutResponsesDoNotCount) {
  v1::Profile p = Compute({MakeResponse("knowledge.shared-framework", 2)});
  EXPECT_DOUBLE_EQ(ScoreOf(p, "knowledge").score(), 2);
}

TEST_F(ProfileTest, CapacitiesWithoutResponsesAreAbsent) {
  v1::Profile p = Compute({MakeResponse("learning.training", 1)});
  ASSERT_EQ(p.capacity_scores_size(), 1);
  EXPECT_EQ(p.capacity_scores(0).capacity(), "learning");
  EXPECT_THAT(NeedCapacities(p), ElementsAre("learning"));
}

TEST_F(ProfileTest, CapacityScoresFollowTheFrameworkOrder) {
  v1::Profile p =
      Compute({MakeResponse("learning.training", 1), MakeResponse("knowledge.shared-framework", 5),
               MakeResponse("leadership.vision", 3)});
  ASSERT_EQ(p.capacity_scores_size(), 3);
  EXPECT_EQ(p.capacity_scores(0).capacity(), "knowledge");
  EXPECT_EQ(p.capacity_scores(1).capacity(), "leadership");
  EXPECT_EQ(p.capacity_scores(2).capacity(), "learning");
}

TEST_F(ProfileTest, OneSourceIsLowConfidence) {
  v1::Profile p = Compute({MakeResponse("leadership.vision", 3, v1::Assessment::INTERVIEW),
                           MakeResponse("leadership.vision", 3, v1::Assessment::INTERVIEW)});
  EXPECT_EQ(ScoreOf(p, "leadership").source_count(), 1);
  EXPECT_EQ(ScoreOf(p, "leadership").confidence(), v1::CapacityScore::LOW);
}

TEST_F(ProfileTest, TwoSourcesAreMediumConfidence) {
  v1::Profile p = Compute({MakeResponse("leadership.vision", 3, v1::Assessment::INTERVIEW),
                           MakeResponse("leadership.vision", 3, v1::Assessment::SURVEY)});
  EXPECT_EQ(ScoreOf(p, "leadership").source_count(), 2);
  EXPECT_EQ(ScoreOf(p, "leadership").confidence(), v1::CapacityScore::MEDIUM);
}

TEST_F(ProfileTest, ThreeOrMoreSourcesAreHighConfidence) {
  v1::Profile p =
      Compute({MakeResponse("knowledge.shared-framework", 3, v1::Assessment::INTERVIEW),
               MakeResponse("knowledge.research-policy", 3, v1::Assessment::SURVEY),
               MakeResponse("knowledge.research-policy", 3, v1::Assessment::DESK_RESEARCH),
               MakeResponse("leadership.vision", 3, v1::Assessment::DATA)});
  EXPECT_EQ(ScoreOf(p, "knowledge").source_count(), 3);
  EXPECT_EQ(ScoreOf(p, "knowledge").confidence(), v1::CapacityScore::HIGH);
  // Sources are counted per capacity: leadership has only DATA.
  EXPECT_EQ(ScoreOf(p, "leadership").confidence(), v1::CapacityScore::LOW);

  p = Compute({MakeResponse("leadership.vision", 3, v1::Assessment::INTERVIEW),
               MakeResponse("leadership.vision", 3, v1::Assessment::SURVEY),
               MakeResponse("leadership.vision", 3, v1::Assessment::DATA),
               MakeResponse("leadership.vision", 3, v1::Assessment::PEER_EXCHANGE),
               MakeResponse("leadership.vision", 3, v1::Assessment::DESK_RESEARCH)});
  EXPECT_EQ(ScoreOf(p, "leadership").source_count(), 5);
  EXPECT_EQ(ScoreOf(p, "leadership").confidence(), v1::CapacityScore::HIGH);
}

TEST(ConfidenceForTest, Boundaries) {
  EXPECT_EQ(ConfidenceFor(0), v1::CapacityScore::CONFIDENCE_UNSPECIFIED);
  EXPECT_EQ(ConfidenceFor(1), v1::CapacityScore::LOW);
  EXPECT_EQ(ConfidenceFor(2), v1::CapacityScore::MEDIUM);
  EXPECT_EQ(ConfidenceFor(3), v1::CapacityScore::HIGH);
  EXPECT_EQ(ConfidenceFor(4), v1::CapacityScore::HIGH);
}

TEST_F(ProfileTest, ScoreExactlyAtNeedThresholdIsNotANeed) {
  v1::Profile p = Compute({MakeResponse("leadership.vision", 3.0)});
  EXPECT_THAT(p.learning_needs(), IsEmpty());
}

TEST_F(ProfileTest, ScoreJustBelowNeedThresholdIsANeedWithItsGap) {
  v1::Profile p = Compute({MakeResponse("leadership.vision", 2.99)});
  ASSERT_EQ(p.learning_needs_size(), 1);
  EXPECT_EQ(p.learning_needs(0).capacity(), "leadership");
  EXPECT_THAT(p.learning_needs(0).gap(), DoubleNear(0.01, 1e-12));
  EXPECT_DOUBLE_EQ(p.learning_needs(0).score(), 2.99);
}

TEST_F(ProfileTest, ScoreExactlyAtPotentialThresholdIsAPotential) {
  v1::Profile p = Compute({MakeResponse("leadership.vision", 4.0)});
  EXPECT_THAT(PotentialCapacities(p), ElementsAre("leadership"));
  EXPECT_DOUBLE_EQ(p.potentials(0).score(), 4.0);
}

TEST_F(ProfileTest, ScoreJustBelowPotentialThresholdIsNeither) {
  v1::Profile p = Compute({MakeResponse("leadership.vision", 3.99)});
  EXPECT_THAT(p.potentials(), IsEmpty());
  EXPECT_THAT(p.learning_needs(), IsEmpty());
}

TEST_F(ProfileTest, RoundingNoiseDoesNotMakeANeedAtTheThreshold) {
  // Weights 0.1 and 0.3 at 3.0 each come out as 2.9999999999999996 in doubles.
  framework_.mutable_capacities(0)->mutable_indicators(0)->set_weight(0.1);
  framework_.mutable_capacities(0)->mutable_indicators(1)->set_weight(0.3);
  v1::Profile p = Compute({MakeResponse("knowledge.shared-framework", 3),
                           MakeResponse("knowledge.research-policy", 3)});
  ASSERT_LT(ScoreOf(p, "knowledge").score(), 3.0);
  EXPECT_THAT(p.learning_needs(), IsEmpty());
}

TEST_F(ProfileTest, RoundingNoiseDoesNotLoseAPotentialAtTheThreshold) {
  // Three indicators weighted 0.1, 0.1, 0.6 at 4.5 each come out as 4.499999999999999.
  framework_.set_potential_threshold(4.5);
  v1::Capacity* c = framework_.mutable_capacities(1);
  c->mutable_indicators(0)->set_weight(0.1);
  for (const char* id : {"identity", "openness"}) {
    v1::Indicator* i = c->add_indicators();
    i->set_id(id);
    i->set_question("?");
    i->set_weight(0.1);
  }
  c->mutable_indicators(2)->set_weight(0.6);
  FrameworkIndex index(framework_);
  v1::Profile p = ComputeProfile(
      index, Of({MakeResponse("leadership.vision", 4.5), MakeResponse("leadership.identity", 4.5),
                 MakeResponse("leadership.openness", 4.5)}));
  ASSERT_LT(ScoreOf(p, "leadership").score(), 4.5);
  EXPECT_THAT(PotentialCapacities(p), ElementsAre("leadership"));
}

TEST_F(ProfileTest, NeedsAreOrderedByLargestGapThenFrameworkOrder) {
  v1::Profile p =
      Compute({MakeResponse("knowledge.shared-framework", 2.5),
               MakeResponse("leadership.vision", 1.5), MakeResponse("learning.monitoring", 2.5)});
  EXPECT_THAT(NeedCapacities(p), ElementsAre("leadership", "knowledge", "learning"));
  EXPECT_DOUBLE_EQ(p.learning_needs(0).gap(), 1.5);
  EXPECT_DOUBLE_EQ(p.learning_needs(1).gap(), 0.5);
}

TEST_F(ProfileTest, PotentialsAreOrderedByHighestScoreThenFrameworkOrder) {
  v1::Profile p =
      Compute({MakeResponse("knowledge.shared-framework", 4.2),
               MakeResponse("leadership.vision", 5), MakeResponse("learning.monitoring", 4.2)});
  EXPECT_THAT(PotentialCapacities(p), ElementsAre("leadership", "knowledge", "learning"));
}

TEST_F(ProfileTest, ComputesAProfilePerDimension) {
  v1::Profile p = Compute({
      MakeResponse("leadership.vision", 2, v1::Assessment::INTERVIEW, "digital-transition"),
      MakeResponse("leadership.vision", 5, v1::Assessment::SURVEY, "climate-transition"),
      MakeResponse("leadership.vision", 4.5, v1::Assessment::DATA, "climate-transition"),
      MakeResponse("learning.training", 3, v1::Assessment::SURVEY),  // no dimension: overall only
  });
  EXPECT_DOUBLE_EQ(ScoreOf(p, "leadership").score(), (2 + 5 + 4.5) / 3);
  ASSERT_EQ(p.dimension_profiles_size(), 2);

  const v1::DimensionProfile& climate = p.dimension_profiles(0);
  EXPECT_EQ(climate.dimension(), "climate-transition");
  ASSERT_EQ(climate.capacity_scores_size(), 1);
  EXPECT_DOUBLE_EQ(climate.capacity_scores(0).score(), 4.75);
  EXPECT_EQ(climate.capacity_scores(0).confidence(), v1::CapacityScore::MEDIUM);
  EXPECT_THAT(climate.learning_needs(), IsEmpty());
  ASSERT_EQ(climate.potentials_size(), 1);
  EXPECT_EQ(climate.potentials(0).capacity(), "leadership");

  const v1::DimensionProfile& digital = p.dimension_profiles(1);
  EXPECT_EQ(digital.dimension(), "digital-transition");
  ASSERT_EQ(digital.learning_needs_size(), 1);
  EXPECT_DOUBLE_EQ(digital.learning_needs(0).gap(), 1);
  EXPECT_THAT(digital.potentials(), IsEmpty());
}

TEST_F(ProfileTest, DimensionsWithoutResponsesAreAbsent) {
  v1::Profile p = Compute(
      {MakeResponse("leadership.vision", 2, v1::Assessment::INTERVIEW, "digital-transition")});
  ASSERT_EQ(p.dimension_profiles_size(), 1);
  EXPECT_EQ(p.dimension_profiles(0).dimension(), "digital-transition");
}

TEST_F(ProfileTest, IgnoresResponsesThatDoNotResolve) {
  v1::Profile p = Compute({MakeResponse("leadership.vision", 4), MakeResponse("leadership.nope", 1),
                           MakeResponse("leadership.vision", 4, v1::Assessment::SURVEY, "nope")});
  EXPECT_DOUBLE_EQ(ScoreOf(p, "leadership").score(), 4);
  EXPECT_EQ(ScoreOf(p, "leadership").response_count(), 2);
  EXPECT_THAT(p.dimension_profiles(), IsEmpty());
}

}  // namespace
}  // namespace metrocap::assessment
