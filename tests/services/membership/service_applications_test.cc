// Membership applications: every transition of the state machine, what each does to the
// applicant, and every refused move.
#include "google/protobuf/util/time_util.h"
#include "tests/services/membership/service_fixture.h"

namespace metrocap::membership::testing {
namespace {

using App = v1::MembershipApplication;
using Org = v1::Organisation;
using google::protobuf::util::TimeUtil;

class ApplicationTest : public MembershipServiceTest {
 protected:
  void SetUp() override {
    MembershipServiceTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    CreateOrganisation("board");
    for (const char* id : {"a", "b", "c"}) {
      CreateSeat(id, "organisations/board", v1::BoardSeat::MEMBER, Day(2020, 1, 1), {});
    }
    applicant_ = CreateOrganisation("kocaeli").name();
  }

  Reply<App> Sign(const std::string& name, const Who& who = Who::Admin()) {
    v1::SignApplicationFormRequest request;
    request.set_name(name);
    return Call(&Stub::SignApplicationForm, request, who);
  }
  Reply<App> Ratify(const std::string& name, const Who& who = Who::Admin()) {
    v1::RatifyApplicationRequest request;
    request.set_name(name);
    *request.mutable_decision()->mutable_decision_date() = Day(2022, 6, 1);
    request.mutable_decision()->set_votes_for(3);
    return Call(&Stub::RatifyApplication, request, who);
  }
  Reply<App> Reject(const std::string& name, const Who& who = Who::Admin()) {
    v1::RejectApplicationRequest request;
    request.set_name(name);
    *request.mutable_decision()->mutable_decision_date() = Day(2022, 6, 1);
    request.mutable_decision()->set_votes_against(2);
    request.mutable_decision()->set_note("incomplete form");
    return Call(&Stub::RejectApplication, request, who);
  }
  Reply<App> Withdraw(const std::string& name, const Who& who = Who::Admin()) {
    v1::WithdrawApplicationRequest request;
    request.set_name(name);
    return Call(&Stub::WithdrawApplication, request, who);
  }

  // Every action from a closed state is refused and leaves the application as it was.
  void ExpectClosed(const std::string& name) {
    std::string etag = GetApplication(name).etag();
    for (const Reply<App>& reply : {Sign(name), Ratify(name), Reject(name), Withdraw(name)}) {
      EXPECT_THAT(reply.status, HasCode(grpc::StatusCode::FAILED_PRECONDITION));
      EXPECT_EQ(ReasonOf(reply.status), "INVALID_STATE_TRANSITION");
    }
    EXPECT_EQ(GetApplication(name).etag(), etag);
  }

  std::string applicant_;
};

TEST_P(ApplicationTest, SubmittingMakesTheOrganisationAnApplicant) {
  v1::CreateApplicationRequest request;
  request.mutable_application()->set_applicant(applicant_);
  request.mutable_application()->set_note("Letter of intent sent");
  auto reply = Call(&Stub::CreateApplication, request);
  ASSERT_THAT(reply.status, IsGrpcOk());
  const App& application = reply.value;
  EXPECT_EQ(application.state(), App::SUBMITTED);
  EXPECT_EQ(TimeUtil::TimestampToMilliseconds(application.submit_time()), 1650000000250);
  EXPECT_FALSE(application.has_form_sign_time());
  EXPECT_EQ(application.note(), "Letter of intent sent");
  // The ID is derived from the applicant and the year of submission.
  EXPECT_EQ(application.name(), "applications/kocaeli-2022");
  EXPECT_EQ(GetOrganisation(applicant_).membership_state(), Org::APPLICANT);

  v1::ListApplicationsRequest list;
  list.set_filter("applicant = \"organisations/kocaeli\" AND state = SUBMITTED");
  auto listed = Call(&Stub::ListApplications, list);
  ASSERT_THAT(listed.status, IsGrpcOk());
  ASSERT_EQ(listed.value.applications_size(), 1);
  EXPECT_EQ(listed.value.applications(0).name(), application.name());
}

TEST_P(ApplicationTest, SubmitSignRatify) {
  App submitted = Apply("kocaeli-2022", applicant_);
  google::protobuf::Timestamp signed_at = TimeUtil::SecondsToTimestamp(1650000000);
  v1::SignApplicationFormRequest sign;
  sign.set_name(submitted.name());
  sign.set_etag(submitted.etag());
  *sign.mutable_sign_time() = signed_at;
  auto form_signed = Call(&Stub::SignApplicationForm, sign);
  ASSERT_THAT(form_signed.status, IsGrpcOk());
  EXPECT_EQ(form_signed.value.state(), App::FORM_SIGNED);
  EXPECT_EQ(form_signed.value.form_sign_time().seconds(), 1650000000);
  EXPECT_EQ(GetOrganisation(applicant_).membership_state(), Org::APPLICANT);

  // Signing twice is not a transition.
  EXPECT_THAT(Sign(submitted.name()).status, HasCode(grpc::StatusCode::FAILED_PRECONDITION));

  auto ratified = Ratify(submitted.name());
  ASSERT_THAT(ratified.status, IsGrpcOk());
  EXPECT_EQ(ratified.value.state(), App::RATIFIED);
  Org member = GetOrganisation(applicant_);
  EXPECT_EQ(member.membership_state(), Org::ACTIVE);
  EXPECT_EQ(member.member_since().year(), 2022);
  ExpectClosed(submitted.name());

  // An ACTIVE member cannot apply again.
  v1::CreateApplicationRequest again;
  again.mutable_application()->set_applicant(applicant_);
  auto refused = Call(&Stub::CreateApplication, again);
  EXPECT_THAT(refused.status, HasCode(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_EQ(ReasonOf(refused.status), "ALREADY_MEMBER");
}

TEST_P(ApplicationTest, SignFormDefaultsToNow) {
  App submitted = Apply("kocaeli-2022", applicant_);
  now_ += absl::Hours(24);
  auto reply = Sign(submitted.name());
  ASSERT_THAT(reply.status, IsGrpcOk());
  EXPECT_EQ(TimeUtil::TimestampToMilliseconds(reply.value.form_sign_time()),
            1650000000250 + 24 * 3600 * 1000);
}

TEST_P(ApplicationTest, RatifyBeforeTheFormIsSignedIsRefused) {
  App submitted = Apply("kocaeli-2022", applicant_);
  auto reply = Ratify(submitted.name());
  EXPECT_THAT(reply.status, HasCode(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_EQ(ReasonOf(reply.status), "INVALID_STATE_TRANSITION");
  EXPECT_EQ(GetApplication(submitted.name()).state(), App::SUBMITTED);
  EXPECT_EQ(GetOrganisation(applicant_).membership_state(), Org::APPLICANT);
}

TEST_P(ApplicationTest, RejectFromSubmittedAndFromFormSigned) {
  App first = Apply("first", applicant_);
  auto rejected = Reject(first.name());
  ASSERT_THAT(rejected.status, IsGrpcOk());
  EXPECT_EQ(rejected.value.state(), App::REJECTED);
  EXPECT_EQ(rejected.value.decision().note(), "incomplete form");
  EXPECT_EQ(GetOrganisation(applicant_).membership_state(), Org::NON_MEMBER);
  ExpectClosed(first.name());

  App second = Apply("second", applicant_);  // a new application is allowed afterwards
  ASSERT_THAT(Sign(second.name()).status, IsGrpcOk());
  ASSERT_THAT(Reject(second.name()).status, IsGrpcOk());
  EXPECT_EQ(GetApplication(second.name()).state(), App::REJECTED);
  EXPECT_EQ(GetOrganisation(applicant_).membership_state(), Org::NON_MEMBER);
}

TEST_P(ApplicationTest, WithdrawFromSubmittedAndFromFormSigned) {
  App first = Apply("first", applicant_);
  auto withdrawn = Withdraw(first.name());
  ASSERT_THAT(withdrawn.status, IsGrpcOk());
  EXPECT_EQ(withdrawn.value.state(), App::WITHDRAWN);
  EXPECT_EQ(GetOrganisation(applicant_).membership_state(), Org::NON_MEMBER);
  ExpectClosed(first.name());

  App second = Apply("second", applicant_);
  ASSERT_THAT(Sign(second.name()).status, IsGrpcOk());
  ASSERT_THAT(Withdraw(second.name()).status, IsGrpcOk());
  EXPECT_EQ(GetApplication(second.name()).state(), App::WITHDRAWN);
  EXPECT_EQ(GetOrganisation(applicant_).membership_state(), Org::NON_MEMBER);
}

TEST_P(ApplicationTest, OnlyOneOpenApplicationPerOrganisation) {
  Apply("first", applicant_);
  v1::CreateApplicationRequest second;
  second.set_application_id("second");
  second.mutable_application()->set_applicant(applicant_);
  auto reply = Call(&Stub::CreateApplication, second);
  EXPECT_THAT(reply.status, HasCode(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_EQ(ReasonOf(reply.status), "APPLICATION_OPEN");
  EXPECT_EQ(CountApplications(), 1);
}

TEST_P(ApplicationTest, TransitionsOfAMissingOrMalformedApplication) {
  EXPECT_THAT(Sign("applications/nothing").status, HasCode(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(Withdraw("nothing").status, IsBadField("name"));
  EXPECT_THAT(Ratify("organisations/kocaeli").status, IsBadField("name"));
}

TEST_P(ApplicationTest, DeletingAnOpenApplicationReleasesTheApplicant) {
  App application = Apply("kocaeli-2022", applicant_);
  ASSERT_EQ(GetOrganisation(applicant_).membership_state(), Org::APPLICANT);
  v1::DeleteApplicationRequest remove;
  remove.set_name(application.name());
  ASSERT_THAT(Call(&Stub::DeleteApplication, remove).status, IsGrpcOk());
  EXPECT_EQ(GetOrganisation(applicant_).membership_state(), Org::NON_MEMBER);
  // Released, it may apply again.
  Apply("kocaeli-2023", applicant_);
  EXPECT_EQ(GetOrganisation(applicant_).membership_state(), Org::APPLICANT);
}

TEST_P(ApplicationTest, DeletingADecidedApplicationLeavesTheMember) {
  App application = Apply("kocaeli-2022", applicant_);
  ASSERT_THAT(Sign(application.name()).status, IsGrpcOk());
  ASSERT_THAT(Ratify(application.name()).status, IsGrpcOk());
  v1::DeleteApplicationRequest remove;
  remove.set_name(application.name());
  ASSERT_THAT(Call(&Stub::DeleteApplication, remove).status, IsGrpcOk());
  EXPECT_EQ(GetOrganisation(applicant_).membership_state(), Org::ACTIVE);
}

TEST_P(ApplicationTest, DeletingAnApplicationWithAStaleEtagReleasesNobody) {
  App application = Apply("kocaeli-2022", applicant_);
  v1::DeleteApplicationRequest remove;
  remove.set_name(application.name());
  remove.set_etag("\"999\"");
  EXPECT_THAT(Call(&Stub::DeleteApplication, remove).status, HasCode(grpc::StatusCode::ABORTED));
  EXPECT_EQ(GetOrganisation(applicant_).membership_state(), Org::APPLICANT);
  EXPECT_EQ(CountApplications(), 1);
}

TEST_P(ApplicationTest, GetListAndDelete) {
  App application = Apply("kocaeli-2022", applicant_);
  v1::GetApplicationRequest get;
  get.set_name(application.name());
  auto got = Call(&Stub::GetApplication, get);
  ASSERT_THAT(got.status, IsGrpcOk());
  EXPECT_EQ(got.value.applicant(), applicant_);

  v1::ListApplicationsRequest list;
  list.set_filter("state = FORM_SIGNED");
  auto none = Call(&Stub::ListApplications, list);
  ASSERT_THAT(none.status, IsGrpcOk());
  EXPECT_EQ(none.value.applications_size(), 0);

  v1::DeleteApplicationRequest remove;
  remove.set_name(application.name());
  remove.set_etag(application.etag());
  ASSERT_THAT(Call(&Stub::DeleteApplication, remove).status, IsGrpcOk());
  EXPECT_THAT(Call(&Stub::GetApplication, get).status, HasCode(grpc::StatusCode::NOT_FOUND));
  EXPECT_EQ(CountApplications(), 0);
}

METROCAP_ON_EVERY_STORE_BACKEND(ApplicationTest);

}  // namespace
}  // namespace metrocap::membership::testing
