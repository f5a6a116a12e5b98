#include "services/assessment/core/comparison.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/assessment/core/fixtures.h"

namespace metrocap::assessment {
namespace {

using testing::Admin;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::PartnerFor;
using testing::ScoredAssessment;
using testing::TestFramework;
using testing::Viewer;

constexpr char kBarcelona[] = "organisations/barcelona";
constexpr char kMilan[] = "organisations/milan";
constexpr char kTirana[] = "organisations/tirana";
constexpr char kGzm[] = "organisations/gzm";
constexpr char kChisinau[] = "organisations/chisinau";

google::type::Date MakeDate(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

std::vector<std::string> Organisations(const v1::CompareAssessmentsResponse& r) {
  std::vector<std::string> out;
  for (const auto& row : r.organisations()) out.push_back(row.organisation());
  return out;
}

std::vector<std::string> PeerNames(const v1::PeerSuggestion& s) {
  std::vector<std::string> out;
  for (const auto& p : s.peers()) out.push_back(p.organisation());
  return out;
}

class ComparisonTest : public ::testing::Test {
 protected:
  ComparisonTest() : framework_(TestFramework()) {
    barcelona_ = ScoredAssessment(framework_, kBarcelona, "a2024",
                                  {{"knowledge", 4.5}, {"leadership", 4}, {"learning", 2}});
    milan_ = ScoredAssessment(framework_, kMilan, "a2024",
                              {{"knowledge", 3.5}, {"leadership", 2}, {"learning", 4.5}});
    tirana_ = ScoredAssessment(framework_, kTirana, "a2024", {{"knowledge", 2}, {"leadership", 4}},
                               v1::Assessment::PRIVATE);
    gzm_ = ScoredAssessment(framework_, kGzm, "a2024",
                            {{"knowledge", 5}, {"leadership", 4}, {"learning", 2.5}},
                            v1::Assessment::PUBLIC);
  }
  std::vector<Standing> All() {
    return {{kBarcelona, &barcelona_},
            {kMilan, &milan_},
            {kTirana, &tirana_},
            {kGzm, &gzm_},
            {kChisinau, nullptr}};
  }

  v1::Framework framework_;
  v1::Assessment barcelona_, milan_, tirana_, gzm_;
};

TEST(IsLaterTest, LaterPeriodEndWins) {
  v1::Assessment a, b;
  *a.mutable_period_end() = MakeDate(2024, 12, 31);
  *b.mutable_period_end() = MakeDate(2024, 6, 30);
  b.mutable_validate_time()->set_seconds(999999);
  EXPECT_TRUE(IsLater(a, b));
  EXPECT_FALSE(IsLater(b, a));
}

TEST(IsLaterTest, ThenLaterValidation) {
  v1::Assessment a, b;
  a.mutable_validate_time()->set_seconds(10);
  a.mutable_validate_time()->set_nanos(2);
  b.mutable_validate_time()->set_seconds(10);
  b.mutable_validate_time()->set_nanos(1);
  EXPECT_TRUE(IsLater(a, b));
  EXPECT_FALSE(IsLater(b, a));
}

TEST(IsLaterTest, ThenNameForAStableChoice) {
  v1::Assessment a, b;
  a.set_name("organisations/x/assessments/b");
  b.set_name("organisations/x/assessments/a");
  EXPECT_TRUE(IsLater(a, b));
  EXPECT_FALSE(IsLater(b, a));
  EXPECT_FALSE(IsLater(a, a));
}

TEST(LatestByOrganisationTest, KeepsEachOrganisationsLatest) {
  v1::Framework f = TestFramework();
  std::vector<v1::Assessment> all = {
      ScoredAssessment(f, kMilan, "a2022", {{"knowledge", 2}}),
      ScoredAssessment(f, kBarcelona, "a2023", {{"knowledge", 3}}),
      ScoredAssessment(f, kMilan, "a2024", {{"knowledge", 4}}),
      ScoredAssessment(f, kMilan, "a2023", {{"knowledge", 3}}),
  };
  *all[0].mutable_period_end() = MakeDate(2022, 12, 31);
  *all[2].mutable_period_end() = MakeDate(2024, 12, 31);
  *all[3].mutable_period_end() = MakeDate(2023, 12, 31);
  std::vector<Standing> latest = LatestByOrganisation(all);
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0].organisation, kBarcelona);
  EXPECT_EQ(latest[0].latest, &all[1]);
  EXPECT_EQ(latest[1].organisation, kMilan);
  EXPECT_EQ(latest[1].latest, &all[2]);
}

TEST_F(ComparisonTest, AdminComparesEveryAssessedOrganisation) {
  v1::CompareAssessmentsResponse r = Compare(framework_, All(), Admin());
  EXPECT_EQ(r.framework(), "frameworks/test");
  EXPECT_THAT(Organisations(r), ElementsAre(kBarcelona, kMilan, kTirana, kGzm));
  EXPECT_THAT(r.unassessed_organisations(), ElementsAre(kChisinau));
  EXPECT_THAT(r.withheld_organisations(), IsEmpty());
  EXPECT_EQ(r.organisations(1).assessment(), "organisations/milan/assessments/a2024");
  ASSERT_EQ(r.organisations(1).capacity_scores_size(), 3);
  EXPECT_DOUBLE_EQ(r.organisations(1).capacity_scores(1).score(), 2);

  ASSERT_EQ(r.capacities_size(), 3);
  const v1::CapacityComparison& knowledge = r.capacities(0);
  EXPECT_EQ(knowledge.capacity(), "knowledge");
  EXPECT_DOUBLE_EQ(knowledge.network_mean(), (4.5 + 3.5 + 2 + 5) / 4);
  EXPECT_EQ(knowledge.organisation_count(), 4);
  EXPECT_DOUBLE_EQ(knowledge.min_score(), 2);
  EXPECT_DOUBLE_EQ(knowledge.max_score(), 5);
  // Tirana has no learning score: the mean is over those that do.
  EXPECT_EQ(r.capacities(2).capacity(), "learning");
  EXPECT_EQ(r.capacities(2).organisation_count(), 3);
  EXPECT_DOUBLE_EQ(r.capacities(2).network_mean(), (2 + 4.5 + 2.5) / 3);
}

TEST_F(ComparisonTest, PrivateAssessmentsAreWithheldAndLeftOutOfTheMeans) {
  v1::CompareAssessmentsResponse r = Compare(framework_, All(), Viewer());
  EXPECT_THAT(Organisations(r), ElementsAre(kBarcelona, kMilan, kGzm));
  EXPECT_THAT(r.withheld_organisations(), ElementsAre(kTirana));
  EXPECT_DOUBLE_EQ(r.capacities(0).network_mean(), (4.5 + 3.5 + 5) / 3);
  EXPECT_DOUBLE_EQ(r.capacities(0).min_score(), 3.5);
  EXPECT_EQ(r.capacities(0).organisation_count(), 3);
  EXPECT_EQ(r.ShortDebugString().find("tirana/assessments"), std::string::npos);
}

TEST_F(ComparisonTest, AGrantedPartnerSeesItsOwnPrivateAssessment) {
  v1::CompareAssessmentsResponse r = Compare(framework_, All(), PartnerFor(kTirana));
  EXPECT_THAT(Organisations(r), ElementsAre(kBarcelona, kMilan, kTirana, kGzm));
  EXPECT_THAT(r.withheld_organisations(), IsEmpty());
}

TEST_F(ComparisonTest, AnonymousCallersSeeOnlyPublicAssessments) {
  v1::CompareAssessmentsResponse r = Compare(framework_, All(), identity::Caller{});
  EXPECT_THAT(Organisations(r), ElementsAre(kGzm));
  EXPECT_THAT(r.withheld_organisations(), ElementsAre(kBarcelona, kMilan, kTirana));
}

TEST_F(ComparisonTest, KeepsTheRequestedOrderAndCountsEachOrganisationOnce) {
  std::vector<Standing> asked = {{kGzm, &gzm_}, {kMilan, &milan_}, {kGzm, &gzm_}};
  v1::CompareAssessmentsResponse r = Compare(framework_, asked, Admin());
  EXPECT_THAT(Organisations(r), ElementsAre(kGzm, kMilan));
  EXPECT_EQ(r.capacities(0).organisation_count(), 2);
}

TEST_F(ComparisonTest, NothingToCompareGivesNoCapacities) {
  v1::CompareAssessmentsResponse r = Compare(framework_, {{kChisinau, nullptr}}, Admin());
  EXPECT_THAT(r.organisations(), IsEmpty());
  EXPECT_THAT(r.capacities(), IsEmpty());
  EXPECT_THAT(r.unassessed_organisations(), ElementsAre(kChisinau));
}

TEST_F(ComparisonTest, SuggestsPeersWithAPotentialBestFirst) {
  // Milan needs leadership (2.0, gap 1.0); Barcelona and GZM both have 4.0 there, Tirana
  // too but privately.
  v1::SuggestPeersResponse r = SuggestPeers(milan_, All(), Admin(), 0);
  EXPECT_EQ(r.assessment(), milan_.name());
  ASSERT_EQ(r.suggestions_size(), 1);
  EXPECT_EQ(r.suggestions(0).capacity(), "leadership");
  EXPECT_DOUBLE_EQ(r.suggestions(0).gap(), 1.0);
  // Equal scores: by organisation name.
  EXPECT_THAT(PeerNames(r.suggestions(0)), ElementsAre(kBarcelona, kGzm, kTirana));
  EXPECT_EQ(r.suggestions(0).peers(0).assessment(), barcelona_.name());
  EXPECT_DOUBLE_EQ(r.suggestions(0).peers(0).score(), 4);
}

TEST_F(ComparisonTest, HigherScoresComeFirst) {
  // Barcelona needs learning (2.0): Milan has 4.5, no one else has a potential there.
  // Tirana needs knowledge (2.0): GZM 5.0 before Barcelona 4.5.
  v1::SuggestPeersResponse r = SuggestPeers(tirana_, All(), Admin(), 0);
  ASSERT_EQ(r.suggestions_size(), 1);
  EXPECT_EQ(r.suggestions(0).capacity(), "knowledge");
  EXPECT_THAT(PeerNames(r.suggestions(0)), ElementsAre(kGzm, kBarcelona));
}

TEST_F(ComparisonTest, PrivatePeersAreWithheldWhateverTheirScores) {
  v1::SuggestPeersResponse r = SuggestPeers(milan_, All(), PartnerFor(kMilan), 0);
  EXPECT_THAT(PeerNames(r.suggestions(0)), ElementsAre(kBarcelona, kGzm));
  EXPECT_THAT(r.withheld_organisations(), ElementsAre(kTirana));

  // Barcelona's need (learning) matches no private peer, but Tirana is still listed as
  // withheld: whether it would have matched must not show.
  r = SuggestPeers(barcelona_, All(), Viewer(), 0);
  EXPECT_THAT(r.withheld_organisations(), ElementsAre(kTirana));
  EXPECT_THAT(PeerNames(r.suggestions(0)), ElementsAre(kMilan));
}

TEST_F(ComparisonTest, AnOrganisationIsNeverItsOwnPeer) {
  v1::Assessment milan_old = ScoredAssessment(framework_, kMilan, "a2020", {{"leadership", 5}});
  std::vector<Standing> peers = {{kMilan, &milan_old}, {kGzm, &gzm_}};
  v1::SuggestPeersResponse r = SuggestPeers(milan_, peers, Admin(), 0);
  EXPECT_THAT(PeerNames(r.suggestions(0)), ElementsAre(kGzm));
}

TEST_F(ComparisonTest, MaxPeersLimitsEachSuggestion) {
  v1::SuggestPeersResponse r = SuggestPeers(milan_, All(), Admin(), 2);
  EXPECT_THAT(PeerNames(r.suggestions(0)), ElementsAre(kBarcelona, kGzm));
}

TEST_F(ComparisonTest, ANeedWithoutPeersIsStillListed) {
  v1::SuggestPeersResponse r = SuggestPeers(barcelona_, {{kChisinau, nullptr}}, Admin(), 0);
  ASSERT_EQ(r.suggestions_size(), 1);
  EXPECT_EQ(r.suggestions(0).capacity(), "learning");
  EXPECT_THAT(r.suggestions(0).peers(), IsEmpty());
  EXPECT_THAT(r.withheld_organisations(), IsEmpty());
}

TEST_F(ComparisonTest, NoNeedsNoSuggestions) {
  v1::SuggestPeersResponse r = SuggestPeers(gzm_, All(), Admin(), 0);
  // GZM needs learning (2.5).
  ASSERT_EQ(r.suggestions_size(), 1);
  v1::Assessment strong = ScoredAssessment(framework_, kGzm, "b", {{"knowledge", 5}});
  EXPECT_THAT(SuggestPeers(strong, All(), Admin(), 0).suggestions(), IsEmpty());
}

}  // namespace
}  // namespace metrocap::assessment
