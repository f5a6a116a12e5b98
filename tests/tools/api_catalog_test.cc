// metrocapctl finds Create, Get and custom methods from the services' http annotations.
#include "tools/api_catalog.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metrocap/assessment/v1/assessment.grpc.pb.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"

namespace metrocap::tools {
namespace {

// Both services, reached through a message of their file so that it is linked in.
ApiCatalog Catalog() {
  return ApiCatalog(
      {assessment::v1::Framework::descriptor()->file()->FindServiceByName("AssessmentService"),
       membership::v1::Organisation::descriptor()->file()->FindServiceByName("MembershipService")});
}

TEST(MatchesPatternTest, StarIsOneNonEmptySegment) {
  EXPECT_TRUE(MatchesPattern("organisations/*/assessments/*", "organisations/a/assessments/b"));
  EXPECT_FALSE(MatchesPattern("organisations/*/assessments/*", "organisations/a/assessments"));
  EXPECT_FALSE(MatchesPattern("organisations/*/assessments/*", "organisations//assessments/b"));
  EXPECT_FALSE(MatchesPattern("organisations/*", "organisations/a/assessments/b"));
  EXPECT_FALSE(MatchesPattern("organisations/*", "regions/a"));
  EXPECT_FALSE(MatchesPattern("frameworks/*", "frameworks/f:publish"));
}

TEST(ApiCatalogTest, FindsTheCreateAndGetMethodsOfAResource) {
  ApiCatalog catalog = Catalog();
  auto assessment = catalog.ForResource("organisations/milan/assessments/micad-2025");
  ASSERT_TRUE(assessment.ok()) << assessment.status();
  EXPECT_EQ(assessment->create->name(), "CreateAssessment");
  EXPECT_EQ(assessment->get->name(), "GetAssessment");
  EXPECT_EQ(assessment->body, "assessment");
  EXPECT_TRUE(assessment->has_parent);
  auto organisation = catalog.ForResource("organisations/milan");
  ASSERT_TRUE(organisation.ok()) << organisation.status();
  EXPECT_EQ(organisation->create->name(), "CreateOrganisation");
  EXPECT_FALSE(organisation->has_parent);
  auto seat = catalog.ForResource("boardSeats/x");
  ASSERT_TRUE(seat.ok()) << seat.status();
  EXPECT_EQ(seat->body, "board_seat");
  EXPECT_EQ(catalog.ForResource("plans/x").status().code(), absl::StatusCode::kNotFound);
}

TEST(ApiCatalogTest, FindsCustomMethodsByVerbOnTheResourcesPath) {
  ApiCatalog catalog = Catalog();
  auto publish = catalog.CustomMethod("frameworks/micad", ":publish");
  ASSERT_TRUE(publish.ok()) << publish.status();
  EXPECT_EQ((*publish)->name(), "PublishFramework");
  auto validate = catalog.CustomMethod("organisations/a/assessments/b", ":validate");
  ASSERT_TRUE(validate.ok()) << validate.status();
  EXPECT_EQ((*validate)->name(), "ValidateAssessment");
  auto ratify = catalog.CustomMethod("applications/kocaeli-2022", ":ratify");
  ASSERT_TRUE(ratify.ok()) << ratify.status();
  EXPECT_EQ((*ratify)->name(), "RatifyApplication");
  // A verb of another kind of resource, an unknown verb, and a GET custom method.
  EXPECT_EQ(catalog.CustomMethod("frameworks/micad", ":submit").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(catalog.CustomMethod("frameworks/micad", ":archive").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(catalog.CustomMethod("organisations/a/assessments/b", ":suggestPeers").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(ApiCatalogTest, FindsMethodsByShortOrFullServiceName) {
  ApiCatalog catalog = Catalog();
  ASSERT_NE(catalog.FindMethod("AssessmentService/CompareAssessments"), nullptr);
  ASSERT_NE(catalog.FindMethod("metrocap.membership.v1.MembershipService/GetOrganisation"),
            nullptr);
  EXPECT_EQ(catalog.FindMethod("AssessmentService/Nope"), nullptr);
  EXPECT_EQ(catalog.FindMethod("AssessmentService"), nullptr);
}

}  // namespace
}  // namespace metrocap::tools
