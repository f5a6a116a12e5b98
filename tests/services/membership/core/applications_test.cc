// An application's life (services/membership/core/applications.h).
#include "services/membership/core/applications.h"

#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/membership/core/validation.h"
#include "tests/services/membership/core/fixtures.h"

namespace metrocap::membership {
namespace {

using ::metrocap::testing::IsOk;
using ::metrocap::testing::StatusIs;
using testing::Day;
using testing::DescriptionOf;
using ::testing::ElementsAre;
using testing::FieldsOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using App = v1::MembershipApplication;
using Org = v1::Organisation;
using testing::Votes;

// 2022-04-15T05:20:00.123456Z.
const absl::Time kNow = absl::FromUnixMicros(1650000000123456);

App Application(App::State state) {
  App application;
  application.set_name("applications/kocaeli-2022");
  application.set_applicant("organisations/kocaeli");
  application.set_state(state);
  return application;
}

Org Applicant(Org::MembershipState state = Org::APPLICANT) {
  Org organisation = testing::GoodOrganisation();
  organisation.set_name("organisations/kocaeli");
  organisation.set_membership_state(state);
  return organisation;
}

TEST(OpenApplicationTest, SubmittedAndFormSignedAreOpen) {
  EXPECT_THAT(OpenApplicationStates(), ElementsAre(App::SUBMITTED, App::FORM_SIGNED));
  for (App::State state : {App::SUBMITTED, App::FORM_SIGNED}) {
    EXPECT_TRUE(IsOpen(Application(state))) << App::State_Name(state);
  }
  for (App::State state : {App::STATE_UNSPECIFIED, App::RATIFIED, App::REJECTED, App::WITHDRAWN}) {
    EXPECT_FALSE(IsOpen(Application(state))) << App::State_Name(state);
  }
}

TEST(PrepareSubmissionTest, StampsTheSubmitTimeFromTheClock) {
  App application = Application(App::STATE_UNSPECIFIED);
  *application.mutable_form_sign_time() = TimestampOf(kNow);
  ASSERT_OK(PrepareSubmission(application, kNow));
  EXPECT_EQ(application.state(), App::SUBMITTED);
  EXPECT_EQ(application.submit_time().seconds(), 1650000000);
  EXPECT_EQ(application.submit_time().nanos(), 123456000);
  EXPECT_FALSE(application.has_form_sign_time());
}

TEST(PrepareSubmissionTest, KeepsASubmitTimeGivenForAPaperApplication) {
  App application = Application(App::SUBMITTED);
  application.mutable_submit_time()->set_seconds(1600000000);
  ASSERT_OK(PrepareSubmission(application, kNow));
  EXPECT_EQ(application.submit_time().seconds(), 1600000000);
}

// state and decision are output only: what a caller sends for them is ignored (AIP-203).
TEST(PrepareSubmissionTest, IgnoresWhatOnlyTheServerSets) {
  App application = Application(App::RATIFIED);
  application.mutable_decision()->set_votes_for(3);
  ASSERT_OK(PrepareSubmission(application, kNow));
  EXPECT_EQ(application.state(), App::SUBMITTED);
  EXPECT_FALSE(application.has_decision());
}

TEST(PrepareSubmissionTest, NamesABadNote) {
  App application = Application(App::STATE_UNSPECIFIED);
  application.set_note(std::string(kMaxText + 1, 'n'));
  absl::Status status = PrepareSubmission(application, kNow);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldsOf(status), ElementsAre("application.note"));
  EXPECT_EQ(application.state(), App::STATE_UNSPECIFIED);  // unchanged
}

TEST(DerivedApplicationIdTest, ApplicantAndYearOfSubmission) {
  App application = Application(App::SUBMITTED);
  *application.mutable_submit_time() = TimestampOf(kNow);
  EXPECT_EQ(DerivedApplicationId(application), "kocaeli-2022");
  application.set_applicant("organisations/" + std::string(63, 'a'));
  EXPECT_EQ(DerivedApplicationId(application), std::string(57, 'a') + "-2022");
}

TEST(DerivedApplicationIdTest, LaterApplicationsOfTheYearAreNumberedAndStayValid) {
  App application = Application(App::SUBMITTED);
  *application.mutable_submit_time() = TimestampOf(kNow);
  EXPECT_EQ(DerivedApplicationId(application, 1), "kocaeli-2022");
  EXPECT_EQ(DerivedApplicationId(application, 2), "kocaeli-2022-2");
  EXPECT_EQ(DerivedApplicationId(application, 10), "kocaeli-2022-10");
  application.set_applicant("organisations/" + std::string(63, 'a'));
  for (int attempt = 1; attempt <= kMaxApplicationIdAttempts; ++attempt) {
    const std::string id = DerivedApplicationId(application, attempt);
    EXPECT_LE(id.size(), 63u) << id;
    EXPECT_TRUE(absl::EndsWith(id, attempt == 1 ? "-2022" : absl::StrCat("-2022-", attempt)));
  }
}

TEST(BecomeApplicantTest, OnlyANonMemberWithoutAnOpenApplication) {
  Org organisation = Applicant(Org::NON_MEMBER);
  ASSERT_OK(BecomeApplicant(organisation, 0));
  EXPECT_EQ(organisation.membership_state(), Org::APPLICANT);

  Org member = Applicant(Org::ACTIVE);
  absl::Status already = BecomeApplicant(member, 0);
  EXPECT_THAT(already, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(already), "ALREADY_MEMBER");
  EXPECT_EQ(member.membership_state(), Org::ACTIVE);

  Org waiting = Applicant(Org::LAPSED);
  absl::Status open = BecomeApplicant(waiting, 1);
  EXPECT_EQ(ReasonOf(open), "APPLICATION_OPEN");
  EXPECT_EQ(waiting.membership_state(), Org::LAPSED);
}

TEST(SignFormTest, StampsTheClockOrTheGivenTime) {
  App now = Application(App::SUBMITTED);
  ASSERT_OK(SignForm(now, absl::nullopt, kNow));
  EXPECT_EQ(now.state(), App::FORM_SIGNED);
  EXPECT_EQ(now.form_sign_time().seconds(), 1650000000);
  EXPECT_EQ(now.form_sign_time().nanos(), 123456000);

  App on_paper = Application(App::SUBMITTED);
  google::protobuf::Timestamp signed_at;
  signed_at.set_seconds(1640000000);
  ASSERT_OK(SignForm(on_paper, signed_at, kNow));
  EXPECT_EQ(on_paper.form_sign_time().seconds(), 1640000000);
}

TEST(RatifyTest, MakesTheApplicantAMemberSinceTheDecisionDate) {
  App application = Application(App::FORM_SIGNED);
  Org applicant = Applicant();
  ASSERT_OK(Ratify(application, Votes(4), 6, applicant));
  EXPECT_EQ(application.state(), App::RATIFIED);
  EXPECT_EQ(application.decision().votes_for(), 4);
  EXPECT_EQ(applicant.membership_state(), Org::ACTIVE);
  EXPECT_EQ(applicant.member_since().year(), 2022);
  EXPECT_EQ(applicant.member_since().month(), 3);
  EXPECT_EQ(applicant.member_since().day(), 15);
}

TEST(RatifyTest, WithoutQuorumOrBeforeSigningNothingChanges) {
  App application = Application(App::FORM_SIGNED);
  Org applicant = Applicant();
  EXPECT_EQ(ReasonOf(Ratify(application, Votes(3, 3), 6, applicant)), "QUORUM_NOT_MET");
  App unsigned_form = Application(App::SUBMITTED);
  EXPECT_EQ(ReasonOf(Ratify(unsigned_form, Votes(4), 6, applicant)), "INVALID_STATE_TRANSITION");
  EXPECT_EQ(application.state(), App::FORM_SIGNED);
  EXPECT_FALSE(application.has_decision());
  EXPECT_EQ(applicant.membership_state(), Org::APPLICANT);
}

TEST(RejectAndWithdrawTest, ReleaseTheApplicant) {
  App rejected = Application(App::FORM_SIGNED);
  Org applicant = Applicant();
  ASSERT_OK(Reject(rejected, Votes(1, 5), applicant));
  EXPECT_EQ(rejected.state(), App::REJECTED);
  EXPECT_EQ(rejected.decision().votes_against(), 5);
  EXPECT_EQ(applicant.membership_state(), Org::NON_MEMBER);

  App withdrawn = Application(App::SUBMITTED);
  Org other = Applicant();
  ASSERT_OK(Withdraw(withdrawn, other));
  EXPECT_EQ(withdrawn.state(), App::WITHDRAWN);
  EXPECT_FALSE(withdrawn.has_decision());
  EXPECT_EQ(other.membership_state(), Org::NON_MEMBER);

  App closed = Application(App::RATIFIED);
  EXPECT_EQ(ReasonOf(Withdraw(closed, other)), "INVALID_STATE_TRANSITION");
}

TEST(ReleaseApplicantTest, OnlyAnApplicantGoesBackToNonMember) {
  Org applicant = Applicant();
  EXPECT_TRUE(ReleaseApplicant(applicant));
  EXPECT_EQ(applicant.membership_state(), Org::NON_MEMBER);
  for (Org::MembershipState state : {Org::NON_MEMBER, Org::ACTIVE, Org::SUSPENDED}) {
    Org other = Applicant(state);
    EXPECT_FALSE(ReleaseApplicant(other)) << Org::MembershipState_Name(state);
    EXPECT_EQ(other.membership_state(), state);
  }
}

// Every (state, action) pair.

class CheckTransitionTest
    : public ::testing::TestWithParam<std::tuple<App::State, ApplicationAction>> {};

bool Allowed(App::State from, ApplicationAction action) {
  switch (action) {
    case ApplicationAction::kSignForm:
      return from == App::SUBMITTED;
    case ApplicationAction::kRatify:
      return from == App::FORM_SIGNED;
    case ApplicationAction::kReject:
    case ApplicationAction::kWithdraw:
      return from == App::SUBMITTED || from == App::FORM_SIGNED;
  }
  return false;
}

std::string TransitionName(
    const ::testing::TestParamInfo<std::tuple<App::State, ApplicationAction>>& info) {
  static const char* kActions[] = {"SignForm", "Ratify", "Reject", "Withdraw"};
  return App::State_Name(std::get<0>(info.param)) + "_" +
         kActions[static_cast<int>(std::get<1>(info.param))];
}

TEST_P(CheckTransitionTest, AllowsExactlyTheDocumentedMoves) {
  auto [from, action] = GetParam();
  absl::Status status = CheckTransition(from, action);
  if (Allowed(from, action)) {
    EXPECT_OK(status);
  } else {
    EXPECT_THAT(status,
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(App::State_Name(from))));
    EXPECT_EQ(ReasonOf(status), "INVALID_STATE_TRANSITION");
  }
}

INSTANTIATE_TEST_SUITE_P(
    EveryPair, CheckTransitionTest,
    ::testing::Combine(::testing::Values(App::STATE_UNSPECIFIED, App::SUBMITTED, App::FORM_SIGNED,
                                         App::RATIFIED, App::REJECTED, App::WITHDRAWN),
                       ::testing::Values(ApplicationAction::kSignForm, ApplicationAction::kRatify,
                                         ApplicationAction::kReject, ApplicationAction::kWithdraw)),
    TransitionName);

TEST(StateAfterTest, EachActionLandsInItsState) {
  EXPECT_EQ(StateAfter(ApplicationAction::kSignForm), App::FORM_SIGNED);
  EXPECT_EQ(StateAfter(ApplicationAction::kRatify), App::RATIFIED);
  EXPECT_EQ(StateAfter(ApplicationAction::kReject), App::REJECTED);
  EXPECT_EQ(StateAfter(ApplicationAction::kWithdraw), App::WITHDRAWN);
}

}  // namespace
}  // namespace metrocap::membership
