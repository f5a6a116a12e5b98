#include "services/assessment/core/lifecycle.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/assessment/core/fixtures.h"

namespace metrocap::assessment {
namespace {

using ::metrocap::testing::StatusIs;
using testing::Admin;
using testing::MakeResponse;
using testing::PartnerFor;
using testing::Viewer;

constexpr char kMilan[] = "organisations/milan";
const absl::Time kNow = absl::FromUnixSeconds(1700000000) + absl::Milliseconds(250);

v1::Assessment InState(v1::Assessment::State state) {
  v1::Assessment a;
  a.set_name(std::string(kMilan) + "/assessments/a2024");
  a.set_state(state);
  *a.add_responses() = MakeResponse("leadership.vision", 3);
  return a;
}

TEST(LifecycleTest, DraftAndSubmittedAreEditable) {
  EXPECT_OK(CheckAssessmentEditable(InState(v1::Assessment::DRAFT)));
  EXPECT_OK(CheckAssessmentEditable(InState(v1::Assessment::SUBMITTED)));
}

TEST(LifecycleTest, ValidatedIsImmutable) {
  absl::Status status = CheckAssessmentEditable(InState(v1::Assessment::VALIDATED));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(status), "ASSESSMENT_VALIDATED");
}

TEST(LifecycleTest, OnlyPublishedFrameworksCanBeUsed) {
  v1::Framework f = testing::TestFramework();
  EXPECT_OK(CheckFrameworkUsable(f));
  f.set_state(v1::Framework::DRAFT);
  absl::Status status = CheckFrameworkUsable(f);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(status), "FRAMEWORK_NOT_PUBLISHED");
}

TEST(LifecycleTest, SubmitMovesADraftToSubmitted) {
  v1::Assessment a = InState(v1::Assessment::DRAFT);
  ASSERT_OK(Submit(a, kNow));
  EXPECT_EQ(a.state(), v1::Assessment::SUBMITTED);
  EXPECT_EQ(a.submit_time().seconds(), 1700000000);
  EXPECT_EQ(a.submit_time().nanos(), 250000000);
}

TEST(LifecycleTest, SubmitNeedsAResponse) {
  v1::Assessment a = InState(v1::Assessment::DRAFT);
  a.clear_responses();
  absl::Status status = Submit(a, kNow);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(status), "ASSESSMENT_EMPTY");
  EXPECT_EQ(a.state(), v1::Assessment::DRAFT);
}

TEST(LifecycleTest, SubmitIsRefusedOutsideDraft) {
  for (auto state : {v1::Assessment::SUBMITTED, v1::Assessment::VALIDATED}) {
    v1::Assessment a = InState(state);
    absl::Status status = Submit(a, kNow);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
    EXPECT_EQ(ReasonOf(status), "ASSESSMENT_NOT_DRAFT");
    EXPECT_EQ(a.state(), state);
  }
}

TEST(LifecycleTest, AdminValidatesASubmittedAssessment) {
  v1::Assessment a = InState(v1::Assessment::SUBMITTED);
  ASSERT_OK(Validate(a, Admin(), kNow));
  EXPECT_EQ(a.state(), v1::Assessment::VALIDATED);
  EXPECT_EQ(a.validate_time().seconds(), 1700000000);
  EXPECT_EQ(a.validated_by(), "partners/secretariat");
}

TEST(LifecycleTest, OnlyAnAdminMayValidate) {
  for (const identity::Caller& caller : {PartnerFor(kMilan), Viewer(), identity::Caller{}}) {
    v1::Assessment a = InState(v1::Assessment::SUBMITTED);
    absl::Status status = Validate(a, caller, kNow);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied));
    EXPECT_EQ(ReasonOf(status), "ADMIN_REQUIRED");
    EXPECT_EQ(a.state(), v1::Assessment::SUBMITTED);
  }
}

TEST(LifecycleTest, PermissionIsCheckedBeforeState) {
  v1::Assessment a = InState(v1::Assessment::DRAFT);
  EXPECT_THAT(Validate(a, PartnerFor(kMilan), kNow), StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(LifecycleTest, ValidateNeedsASubmittedAssessment) {
  v1::Assessment a = InState(v1::Assessment::DRAFT);
  absl::Status status = Validate(a, Admin(), kNow);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(status), "ASSESSMENT_NOT_SUBMITTED");
  EXPECT_EQ(a.state(), v1::Assessment::DRAFT);

  a = InState(v1::Assessment::VALIDATED);
  status = Validate(a, Admin(), kNow);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(status), "ASSESSMENT_VALIDATED");
}

}  // namespace
}  // namespace metrocap::assessment
