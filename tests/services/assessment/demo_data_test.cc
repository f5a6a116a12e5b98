// The demo dataset in data/assessment/ parses as the API's canonical JSON, passes the
// service's own rules and gives the profiles data/assessment/README.md describes.
#include <fstream>
#include <map>
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

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Parses a JSON array of resources, one message per element.
template <typename T>
std::vector<T> ParseArray(const std::string& file) {
  std::string json = ReadFile(std::string(METROCAP_SOURCE_DIR) + "/data/assessment/" + file);
  EXPECT_FALSE(json.empty()) << file;
  google::protobuf::util::JsonParseOptions options;
  std::vector<T> out;
  // The top-level array as a ListValue, then each element as the resource.
  google::protobuf::ListValue list;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &list, options).ok()) << file;
  for (const google::protobuf::Value& value : list.values()) {
    std::string element;
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(value, &element).ok());
    T message;
    auto status = google::protobuf::util::JsonStringToMessage(element, &message, options);
    EXPECT_TRUE(status.ok()) << file << ": " << status;
    out.push_back(std::move(message));
  }
  return out;
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
    frameworks_ = ParseArray<v1::Framework>("frameworks.json");
    ASSERT_EQ(frameworks_.size(), 1u);
    assessments_ = ParseArray<v1::Assessment>("assessments.json");
  }
  std::vector<v1::Framework> frameworks_;
  std::vector<v1::Assessment> assessments_;
};

TEST_F(DemoDataTest, OrderNamesFilesThatExist) {
  std::stringstream order(ReadFile(std::string(METROCAP_SOURCE_DIR) + "/data/assessment/ORDER"));
  std::vector<std::string> files;
  for (std::string line; std::getline(order, line);) {
    if (line.empty() || line[0] == '#') continue;
    files.push_back(line);
    EXPECT_FALSE(ReadFile(std::string(METROCAP_SOURCE_DIR) + "/data/assessment/" + line).empty())
        << line;
  }
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files.front(), "frameworks.json");
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
                         "organisations/milan-metropolitan-city/assessments/micad-2025",
                         "organisations/tirana/assessments/micad-2025",
                         "organisations/chisinau/assessments/micad-2025",
                         "organisations/gzm/assessments/micad-2025"));
}

// The needs and potentials in data/assessment/README.md.
TEST_F(DemoDataTest, ProfilesMatchTheReadme) {
  FrameworkIndex index(frameworks_[0]);
  std::map<std::string, v1::Profile> profiles;
  for (const v1::Assessment& a : assessments_) {
    profiles[OrganisationOf(a.name())] = ComputeProfile(index, a.responses());
    for (const v1::CapacityScore& s : profiles[OrganisationOf(a.name())].capacity_scores()) {
      EXPECT_EQ(s.confidence(), v1::HIGH) << a.name() << " " << s.capacity();
    }
  }
  const v1::Profile& tirana = profiles["organisations/tirana"];
  EXPECT_THAT(Capacities(tirana.learning_needs()),
              UnorderedElementsAre("knowledge", "management", "relational", "learning"));
  const v1::Profile& chisinau = profiles["organisations/chisinau"];
  EXPECT_THAT(
      Capacities(chisinau.learning_needs()),
      UnorderedElementsAre("knowledge", "management", "relational", "learning", "experimental"));
  const v1::Profile& gzm = profiles["organisations/gzm"];
  EXPECT_THAT(Capacities(gzm.learning_needs()), ElementsAre("mobilization"));
  EXPECT_THAT(Capacities(gzm.potentials()), UnorderedElementsAre("management", "relational"));
  const v1::Profile& milan = profiles["organisations/milan-metropolitan-city"];
  EXPECT_TRUE(milan.learning_needs().empty());
  EXPECT_THAT(Capacities(milan.potentials()),
              UnorderedElementsAre("knowledge", "learning", "experimental"));
  const v1::Profile& barcelona = profiles["organisations/barcelona-metropolitan-area"];
  EXPECT_TRUE(barcelona.learning_needs().empty());
  EXPECT_EQ(barcelona.potentials_size(), 6);
}

}  // namespace
}  // namespace metrocap::assessment
