// Name patterns of declared resources: names, parents and the "-" wildcard parent.
#include "common/resource/pattern.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::resource {
namespace {

using ::testing::HasSubstr;

std::string FieldOf(const absl::Status& status) {
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  return violations.empty() ? "" : violations.front().field;
}

TEST(NamePatternTest, ChecksTopLevelNames) {
  NamePattern frameworks("frameworks");
  EXPECT_FALSE(frameworks.has_parent());
  EXPECT_OK(frameworks.CheckName("name", "frameworks/mcf"));
  EXPECT_OK(frameworks.CheckParent("parent", ""));
  for (const char* bad : {"frameworks", "frameworks/", "frameworks/9x", "framework/mcf",
                          "frameworks/mcf/x", "frameworks/MCF"}) {
    absl::Status status = frameworks.CheckName("name", bad);
    EXPECT_EQ(FieldOf(status), "name") << bad;
    EXPECT_THAT(std::string(status.message()), HasSubstr("frameworks/{id}")) << bad;
  }
  EXPECT_THAT(std::string(frameworks.CheckName("name", "").message()), HasSubstr("is required"));
  EXPECT_EQ(frameworks.NameOf("", "mcf"), "frameworks/mcf");
}

TEST(NamePatternTest, ChecksNestedNamesAndParents) {
  NamePattern assessments("organisations/{organisation}/assessments");
  EXPECT_TRUE(assessments.has_parent());
  EXPECT_OK(assessments.CheckName("name", "organisations/milan/assessments/y2024"));
  for (const char* bad : {"organisations/milan", "organisations/milan/assessments",
                          "organisations/Milan/assessments/x", "regions/milan/assessments/x",
                          "organisations/milan/reports/x"}) {
    EXPECT_EQ(FieldOf(assessments.CheckName("assessment.name", bad)), "assessment.name") << bad;
  }
  EXPECT_OK(assessments.CheckParent("parent", "organisations/milan"));
  absl::Status bad_parent = assessments.CheckParent("parent", "organisations/milan/assessments");
  EXPECT_EQ(FieldOf(bad_parent), "parent");
  EXPECT_THAT(std::string(bad_parent.message()), HasSubstr("organisations/{id}"));
  EXPECT_EQ(FieldOf(assessments.CheckParent("parent", "organisations/-")), "parent");
  EXPECT_EQ(assessments.NameOf("organisations/milan", "y2024"),
            "organisations/milan/assessments/y2024");
}

TEST(NamePatternTest, KnowsTheWildcardParent) {
  NamePattern assessments("organisations/{organisation}/assessments");
  EXPECT_TRUE(assessments.IsWildcardParent("organisations/-"));
  EXPECT_FALSE(assessments.IsWildcardParent("organisations/milan"));
  EXPECT_FALSE(assessments.IsWildcardParent("regions/-"));
  EXPECT_FALSE(assessments.IsWildcardParent("-"));
  EXPECT_FALSE(NamePattern("frameworks").IsWildcardParent("-"));
}

TEST(NamePatternDeathTest, AMalformedPatternIsAProgrammersError) {
  EXPECT_DEATH(NamePattern("organisations/{organisation}"), "not a collection pattern");
  EXPECT_DEATH(NamePattern("organisations/milan/assessments"), "not a collection pattern");
  EXPECT_DEATH(NamePattern(""), "not a collection pattern");
}

}  // namespace
}  // namespace metrocap::resource
