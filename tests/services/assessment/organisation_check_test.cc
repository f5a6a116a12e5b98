// The organisation check: CreateAssessment asks the real membership service (in this
// process, over gRPC) whether the organisation exists.
#include "common/testing/status_matchers.h"
#include "tests/services/assessment/service_fixture.h"

namespace metrocap::assessment::testing {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST_P(AssessmentServiceTest, CreatesAnAssessmentOfAnExistingOrganisation) {
  ASSERT_OK_AND_ASSIGN(v1::Assessment created,
                       Create(PartnerCaller(kMilan), kMilan, "a2024",
                              Draft({{"leadership.vision", 2}, {"knowledge.shared-framework", 4}},
                                    v1::Assessment::VISIBILITY_UNSPECIFIED)));
  EXPECT_EQ(created.name(), "organisations/milan/assessments/a2024");
  EXPECT_EQ(created.organisation(), kMilan);
  EXPECT_EQ(created.state(), v1::Assessment::DRAFT);
  EXPECT_EQ(created.visibility(), v1::Assessment::PRIVATE);
  EXPECT_FALSE(created.etag().empty());
  EXPECT_TRUE(created.has_create_time());
  ASSERT_EQ(created.profile().capacity_scores_size(), 2);
  ASSERT_EQ(created.profile().learning_needs_size(), 1);
  EXPECT_EQ(created.profile().learning_needs(0).capacity(), "leadership");
  EXPECT_DOUBLE_EQ(created.profile().learning_needs(0).gap(), 1.0);
}

TEST_P(AssessmentServiceTest, RefusesAnOrganisationUnknownToMembership) {
  absl::StatusOr<v1::Assessment> created =
      Create(AdminCaller(), "organisations/atlantis", "a2024", Draft({{"leadership.vision", 3}}));
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kNotFound, HasSubstr("organisations/atlantis")));
  EXPECT_EQ(ReasonOf(created.status()), "ORGANISATION_NOT_FOUND");
  ASSERT_OK_AND_ASSIGN(auto listed, List(AdminCaller(), "organisations/-"));
  EXPECT_THAT(listed.assessments(), IsEmpty());
}

TEST_P(AssessmentServiceTest, MembershipDownIsUnavailableAndWritesNothing) {
  env_.Stop(Service::kMembership, {kMilan});
  absl::StatusOr<v1::Assessment> created =
      Create(AdminCaller(), kMilan, "a2024", Draft({{"leadership.vision", 3}}));
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("membership")));
  EXPECT_EQ(ReasonOf(created.status()), "MEMBERSHIP_UNAVAILABLE");
  ASSERT_OK_AND_ASSIGN(auto listed, List(AdminCaller(), "organisations/-"));
  EXPECT_THAT(listed.assessments(), IsEmpty());
  EXPECT_EQ(listed.total_size(), 0);
}

TEST_P(AssessmentServiceTest, RemembersThatAnOrganisationExists) {
  ASSERT_OK(Create(AdminCaller(), kMilan, "a2023", Draft({{"leadership.vision", 3}})));
  // Without forgetting: the answer for Milan is still fresh, so membership is not needed.
  env_.Stop(Service::kMembership);
  EXPECT_OK(Create(AdminCaller(), kMilan, "a2024", Draft({{"leadership.vision", 3}})));
  // Tirana was never asked about, so its check needs membership.
  EXPECT_THAT(Create(AdminCaller(), kTirana, "a2024", Draft({{"leadership.vision", 3}})),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_P(AssessmentServiceTest, BadRequestsFailBeforeMembershipIsAsked) {
  env_.Stop(Service::kMembership, {kMilan});
  absl::StatusOr<v1::Assessment> created =
      Create(AdminCaller(), kMilan, "a2024", Draft({{"leadership.vision", 9}}));
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_EQ(FieldViolationsOf(created.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(created.status())[0].field, "assessment.responses[0].score");
}

}  // namespace
}  // namespace metrocap::assessment::testing
