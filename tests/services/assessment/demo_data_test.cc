// The demo dataset in data/assessment/ parses as the API's canonical JSON, passes the
// service's own rules, names organisations of data/membership/, asks the loader for the
// transitions that make the framework PUBLISHED and the assessments VALIDATED, and gives
// the profiles data/assessment/README.md describes. tests/tools/load_demo_data_test.cc
// loads it into the real services with metrocapctl's loader.
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/assessment/core/access.h"
#include "services/assessment/core/assessment_rules.h"
#include "services/assessment/core/comparison.h"
#include "services/assessment/core/framework.h"
#include "services/assessment/core/profile.h"

namespace metrocap::assessment {
namespace {

using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::UnorderedElementsAre;

std::string ReadFile(const std::string& path) {
  std::ifstream in(std::string(METROCAP_SOURCE_DIR) + "/data/" + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A data file's elements as JSON objects (the file is a JSON array).
std::vector<google::protobuf::Struct> ParseElements(const std::string& path) {
  std::string json = ReadFile(path);
  EXPECT_FALSE(json.empty()) << path;
  google::protobuf::ListValue list;
  auto parsed = google::protobuf::util::JsonStringToMessage(json, &list);
  EXPECT_TRUE(parsed.ok()) << path << ": " << parsed;
  std::vector<google::protobuf::Struct> out;
  for (const google::protobuf::Value& value : list.values()) {
    EXPECT_TRUE(value.has_struct_value()) << path;
    out.push_back(value.struct_value());
  }
  return out;
}

// The element's loader transitions as "call -> state" strings.
std::vector<std::string> Transitions(const google::protobuf::Struct& element) {
  std::vector<std::string> out;
  auto it = element.fields().find("transitions");
  if (it == element.fields().end()) return out;
  for (const google::protobuf::Value& t : it->second.list_value().values()) {
    const auto& fields = t.struct_value().fields();
    out.push_back(fields.at("call").string_value() + " -> " + fields.at("state").string_value());
  }
  return out;
}

// The element as the resource: without the loader's `transitions`, strictly parsed, so
// a misspelt field fails here as it would fail the loader.
template <typename T>
T AsResource(google::protobuf::Struct element) {
  element.mutable_fields()->erase("transitions");
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(element, &json).ok());
  T message;
  auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status;
  return message;
}

std::vector<std::string> Capacities(const google::protobuf::RepeatedPtrField<v1::LearningNeed>& l) {
  std::vector<std::string> out;
  for (const auto& x : l) out.push_back(x.capacity());
  return out;
}
std::vector<std::string> Capacities(const google::protobuf::RepeatedPtrField<v1::Potential>& l) {
  std::vector<std::string> out;
  for (const auto& x : l) out.push_back(x.capacity());
  return out;
}

class DemoDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    framework_elements_ = ParseElements("assessment/frameworks.json");
    ASSERT_EQ(framework_elements_.size(), 1u);
    for (const auto& e : framework_elements_) frameworks_.push_back(AsResource<v1::Framework>(e));
    assessment_elements_ = ParseElements("assessment/assessments.json");
    for (const auto& e : assessment_elements_) {
      assessments_.push_back(AsResource<v1::Assessment>(e));
    }
  }
  std::vector<google::protobuf::Struct> framework_elements_, assessment_elements_;
  std::vector<v1::Framework> frameworks_;
  std::vector<v1::Assessment> assessments_;
};

TEST_F(DemoDataTest, OrderLoadsTheFrameworkThenTheAssessments) {
  std::stringstream order(ReadFile("assessment/ORDER"));
  std::vector<std::string> files;
  for (std::string line; std::getline(order, line);) {
    if (line.empty() || line[0] == '#') continue;
    files.push_back(line);
  }
  EXPECT_THAT(files, ElementsAre("frameworks.json", "assessments.json"));
}

// The loader publishes the framework and submits then validates every assessment; the
// element's `state` says where that ends.
TEST_F(DemoDataTest, TheLoaderIsAskedToPublishAndValidate) {
  EXPECT_THAT(Transitions(framework_elements_[0]), ElementsAre(":publish -> PUBLISHED"));
  EXPECT_EQ(frameworks_[0].state(), v1::Framework::PUBLISHED);
  for (size_t i = 0; i < assessments_.size(); ++i) {
    EXPECT_THAT(Transitions(assessment_elements_[i]),
                ElementsAre(":submit -> SUBMITTED", ":validate -> VALIDATED"))
        << assessments_[i].name();
    EXPECT_EQ(assessments_[i].state(), v1::Assessment::VALIDATED) << assessments_[i].name();
  }
}

// Every assessed organisation is in the membership dataset, which is loaded first.
TEST_F(DemoDataTest, OrganisationsExistInTheMembershipData) {
  std::set<std::string> organisations;
  for (const auto& e : ParseElements("membership/organisations.json")) {
    organisations.insert(e.fields().at("name").string_value());
  }
  ASSERT_FALSE(organisations.empty());
  for (const v1::Assessment& a : assessments_) {
    EXPECT_EQ(organisations.count(OrganisationOf(a.name())), 1u) << a.name();
  }
}

// Compare and SuggestPeers must see every area: none is PRIVATE.
TEST_F(DemoDataTest, EveryAssessmentIsReadableByTheNetwork) {
  for (const v1::Assessment& a : assessments_) {
    EXPECT_THAT(a.visibility(), AnyOf(v1::Assessment::NETWORK, v1::Assessment::PUBLIC)) << a.name();
  }
}

TEST_F(DemoDataTest, ScoresAreInsideTheScaleAndLabelledIllustrative) {
  const v1::Framework& f = frameworks_[0];
  for (const v1::Assessment& a : assessments_) {
    EXPECT_THAT(a.display_name(), EndsWith("(illustrative)"));
    std::set<int> sources;
    for (const v1::Response& r : a.responses()) {
      EXPECT_GE(r.score(), f.scale_min()) << a.name() << " " << r.indicator();
      EXPECT_LE(r.score(), f.scale_max()) << a.name() << " " << r.indicator();
      EXPECT_EQ(r.evidence(), "ILLUSTRATIVE demo score, not a MICAD finding.");
      sources.insert(r.source());
    }
    EXPECT_GE(sources.size(), 3u) << a.name();
  }
}

TEST_F(DemoDataTest, TheMicadFrameworkIsValidAndPublishable) {
  v1::Framework f = frameworks_[0];
  EXPECT_EQ(f.name(), "frameworks/micad");
  EXPECT_OK(ValidateFramework(f, "framework"));
  std::vector<std::string> capacities;
  for (const v1::Capacity& c : f.capacities()) {
    capacities.push_back(c.id());
    EXPECT_GE(c.indicators_size(), 3) << c.id();
    EXPECT_LE(c.indicators_size(), 5) << c.id();
  }
  EXPECT_THAT(capacities, ElementsAre("knowledge", "management", "leadership", "relational",
                                      "mobilization", "learning", "experimental"));
  std::vector<std::string> dimensions;
  for (const v1::Dimension& d : f.dimensions()) dimensions.push_back(d.id());
  EXPECT_THAT(dimensions,
              ElementsAre("metropolitan-governance", "climate-transition", "digital-transition",
                          "stakeholder-engagement", "social-inclusion"));
  EXPECT_EQ(f.scale_min(), 1);
  EXPECT_EQ(f.scale_max(), 5);
  EXPECT_EQ(f.need_threshold(), 3.0);
  EXPECT_EQ(f.potential_threshold(), 4.0);
  f.set_state(v1::Framework::DRAFT);
  EXPECT_OK(Publish(f));
}

TEST_F(DemoDataTest, FiveValidAssessmentsOfTheMicadAreas) {
  FrameworkIndex index(frameworks_[0]);
  std::vector<std::string> names;
  for (const v1::Assessment& a : assessments_) {
    names.push_back(a.name());
    EXPECT_EQ(a.framework(), "frameworks/micad");
    EXPECT_OK(ValidateAssessment(a, index, "assessment")) << a.name();
    EXPECT_FALSE(a.has_profile()) << "the profile is output only";
  }
  EXPECT_THAT(names, UnorderedElementsAre(
                         "organisations/barcelona-metropolitan-area/assessments/micad-2025",
                         "organisations/metropolitan-city-of-milan/assessments/micad-2025",
                         "organisations/city-of-tirana/assessments/micad-2025",
                         "organisations/city-of-chisinau/assessments/micad-2025",
                         "organisations/gornoslasko-zaglebiowska-metropolia/assessments/"
                         "micad-2025"));
}

// The needs, potentials and confidences in data/assessment/README.md.
TEST_F(DemoDataTest, ProfilesMatchTheReadme) {
  FrameworkIndex index(frameworks_[0]);
  std::map<std::string, v1::Profile> profiles;
  for (const v1::Assessment& a : assessments_) {
    profiles[OrganisationOf(a.name())] = ComputeProfile(index, a.responses());
  }
  // Experimental capacity in Tirana and Chisinau rests on desk research and interviews.
  for (const auto& [organisation, profile] : profiles) {
    ASSERT_EQ(profile.capacity_scores_size(), 7) << organisation;
    for (const v1::CapacityScore& s : profile.capacity_scores()) {
      bool thin =
          s.capacity() == "experimental" && (organisation == "organisations/city-of-tirana" ||
                                             organisation == "organisations/city-of-chisinau");
      EXPECT_EQ(s.confidence(), thin ? v1::CapacityScore::MEDIUM : v1::CapacityScore::HIGH)
          << organisation << " " << s.capacity();
    }
  }
  const v1::Profile& tirana = profiles["organisations/city-of-tirana"];
  EXPECT_THAT(Capacities(tirana.learning_needs()),
              UnorderedElementsAre("knowledge", "management", "relational", "learning"));
  EXPECT_TRUE(tirana.potentials().empty());
  const v1::Profile& chisinau = profiles["organisations/city-of-chisinau"];
  EXPECT_THAT(Capacities(chisinau.learning_needs()),
              ElementsAre("management", "learning", "knowledge", "relational", "experimental"));
  const v1::Profile& gzm = profiles["organisations/gornoslasko-zaglebiowska-metropolia"];
  EXPECT_THAT(Capacities(gzm.learning_needs()), ElementsAre("mobilization"));
  EXPECT_THAT(Capacities(gzm.potentials()), ElementsAre("management", "relational"));
  const v1::Profile& milan = profiles["organisations/metropolitan-city-of-milan"];
  EXPECT_TRUE(milan.learning_needs().empty());
  EXPECT_THAT(Capacities(milan.potentials()), ElementsAre("knowledge", "learning", "experimental"));
  const v1::Profile& barcelona = profiles["organisations/barcelona-metropolitan-area"];
  EXPECT_TRUE(barcelona.learning_needs().empty());
  EXPECT_THAT(Capacities(barcelona.potentials()),
              ElementsAre("knowledge", "experimental", "management", "leadership", "relational",
                          "mobilization"));
  EXPECT_DOUBLE_EQ(barcelona.capacity_scores(0).score(), 4.5);
}

}  // namespace
}  // namespace metrocap::assessment
