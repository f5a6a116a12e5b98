// The demo dataset in data/roadmaps/ parses as the API's canonical JSON, passes the
// service's own rules (codes checked, every outcome and challenge code and capacity
// resolved in the plan, its taxonomy and data/assessment's framework), names organisations
// of data/membership/, and gives the figures docs/roadmaps.md works through.
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/roadmaps/core/codes.h"
#include "services/roadmaps/core/progress.h"
#include "services/roadmaps/core/roadmap_rules.h"

namespace metrocap::roadmaps {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

std::string ReadFile(const std::string& path) {
  std::ifstream in(std::string(METROCAP_SOURCE_DIR) + "/data/" + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A JSON array file as messages of one type, each element strictly parsed (an unknown
// field fails here as it would fail the loader).
template <typename T>
std::vector<T> Load(const std::string& path) {
  google::protobuf::ListValue list;
  auto parsed = google::protobuf::util::JsonStringToMessage(ReadFile(path), &list);
  EXPECT_TRUE(parsed.ok()) << path << ": " << parsed;
  std::vector<T> out;
  for (const google::protobuf::Value& value : list.values()) {
    std::string json;
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(value, &json).ok());
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &out.emplace_back()).ok())
        << path << ": " << json.substr(0, 200);
  }
  return out;
}

std::set<std::string> Names(const std::string& path, const std::string& field) {
  std::set<std::string> names;
  std::string json = ReadFile(path);
  std::string key = "\"" + field + "\": \"";
  for (size_t at = json.find(key); at != std::string::npos; at = json.find(key, at + 1)) {
    size_t begin = at + key.size();
    names.insert(json.substr(begin, json.find('"', begin) - begin));
  }
  return names;
}

class DemoDataTest : public ::testing::Test {
 protected:
  std::vector<v1::Taxonomy> taxonomies_ = Load<v1::Taxonomy>("roadmaps/taxonomies.json");
  std::vector<v1::Plan> plans_ = Load<v1::Plan>("roadmaps/plans.json");
  std::vector<v1::Roadmap> roadmaps_ = Load<v1::Roadmap>("roadmaps/roadmaps.json");
};

TEST_F(DemoDataTest, TaxonomyHasTheSeedsFourThemesAndTwelveChallenges) {
  ASSERT_THAT(taxonomies_, SizeIs(1));
  const v1::Taxonomy& taxonomy = taxonomies_[0];
  EXPECT_OK(ValidateTaxonomy(taxonomy, "taxonomy."));
  EXPECT_THAT(taxonomy.themes(), SizeIs(4));
  ASSERT_THAT(taxonomy.challenges(), SizeIs(12));
  EXPECT_EQ(taxonomy.challenges(0).title(), "Combating inequalities and segregation");
  EXPECT_EQ(taxonomy.challenges(11).code(), "4.3");
  EXPECT_EQ(taxonomy.challenges(11).title(), "Adapting to the shared economy");
}

TEST_F(DemoDataTest, PlanHasEveryCodeTheProgressReportNames) {
  ASSERT_THAT(plans_, SizeIs(1));
  const v1::Plan& plan = plans_[0];
  EXPECT_OK(ValidatePlan(plan, "plan."));
  EXPECT_EQ(plan.taxonomy(), taxonomies_[0].name());
  PlanCodes codes(plan);
  // Every code the report's activities cite as an outcome (seed 001).
  for (const char* code : {"L1A1D1", "L1A1D2", "L1A1D3", "L1A2D1", "L1A2D2", "L1A2D4", "L1A3D1",
                           "L1A3D2", "L1A3D3", "L2A1D1", "L2A1D3", "L2A2D1", "L2A2D2", "L2A2D3",
                           "L2A2D4", "L2A2D7", "L2A3D2", "L3A1D3", "L3A1D4", "L3A2D2"}) {
    EXPECT_TRUE(codes.Contains(code)) << code;
  }
  ASSERT_OK_AND_ASSIGN(v1::PlanCode code, codes.Resolve("L2A2D3"));
  EXPECT_EQ(code.title(),
            "Learning and capacity-building activities for senior managers and practitioners");
  EXPECT_EQ(code.path(0).title(), "Build adaptive capacities for metropolitan governance");
}

TEST_F(DemoDataTest, RoadmapsResolveInThePlanTaxonomyAndFramework) {
  PlanCodes plan(plans_[0]);
  TaxonomyCodes taxonomy(taxonomies_[0]);
  std::set<std::string> ids = Names("assessment/frameworks.json", "id");
  absl::flat_hash_set<std::string> capacities;
  for (const char* c : {"knowledge", "management", "leadership", "relational", "mobilization",
                        "learning", "experimental"}) {
    ASSERT_TRUE(ids.count(c)) << c;
    capacities.insert(c);
  }
  RoadmapReferences refs{&plan, &taxonomy, &capacities};
  std::set<std::string> organisations = Names("membership/organisations.json", "name");
  ASSERT_THAT(roadmaps_, SizeIs(5));
  for (const v1::Roadmap& roadmap : roadmaps_) {
    EXPECT_OK(ValidateRoadmap(roadmap, refs, "roadmap.")) << roadmap.name();
    std::string organisation = roadmap.name().substr(0, roadmap.name().find("/roadmaps/"));
    EXPECT_TRUE(organisations.count(organisation)) << organisation;
    EXPECT_EQ(roadmap.plan(), plans_[0].name());
    EXPECT_EQ(roadmap.framework(), "frameworks/micad");
  }
}

// The worked example of docs/roadmaps.md: Milan's roadmap as of 2026-12-07.
TEST_F(DemoDataTest, MilanFiguresMatchTheWorkedExample) {
  v1::Roadmap milan = roadmaps_[1];
  ASSERT_EQ(milan.name(), "organisations/metropolitan-city-of-milan/roadmaps/twin-transition");
  ComputeOutputs(milan, absl::CivilDay(2026, 12, 7));
  // relational: DONE (100) and IN_PROGRESS 40; mobilization: DELAYED 30, the CANCELLED
  // campaign left out.
  EXPECT_DOUBLE_EQ(milan.objectives(0).progress_percent(), 70);
  EXPECT_DOUBLE_EQ(milan.objectives(1).progress_percent(), 30);
  ASSERT_THAT(milan.objectives(1).progress_basis().excluded(), SizeIs(1));
  EXPECT_EQ(milan.objectives(1).progress_basis().excluded(0).id(), "awareness-campaign");
  EXPECT_DOUBLE_EQ(milan.progress_percent(), 50);
  EXPECT_THAT(milan.progress_basis().counted(), ElementsAre("relational", "mobilization"));
  EXPECT_EQ(milan.late_action_count(), 1);  // the DELAYED action due 2026-06-30
  const v1::RoadmapIndicator& trained = milan.indicators(0);
  EXPECT_DOUBLE_EQ(trained.progress_percent(), 42.0 / 160 * 100);
  EXPECT_TRUE(trained.off_track());  // 42 against the 2026-06-30 milestone of 53
  const v1::RoadmapIndicator& emissions = milan.indicators(1);
  EXPECT_NEAR(emissions.progress_percent(), (105 - 99.8) / (105 - 73.5) * 100, 1e-9);
  EXPECT_TRUE(emissions.off_track());  // 99.8 above the 2025-12-31 milestone of 94.5
}

}  // namespace
}  // namespace metrocap::roadmaps
