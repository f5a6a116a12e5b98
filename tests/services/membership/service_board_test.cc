// Board seats with terms, activeOn, and the quorum rule on :ratify with seats whose terms
// start and end around the decision date.
#include "tests/services/membership/service_fixture.h"

namespace metrocap::membership::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using Seat = v1::BoardSeat;
using App = v1::MembershipApplication;

TEST_P(MembershipServiceTest, BoardSeatLifecycle) {
  CreateOrganisation("milan");
  v1::BoardSeat seat = CreateSeat("sala", "organisations/milan", Seat::REGIONAL_VICE_PRESIDENCY,
                                  Day(2019, 11, 14), {});
  EXPECT_EQ(seat.name(), "boardSeats/sala");
  EXPECT_EQ(seat.role(), Seat::REGIONAL_VICE_PRESIDENCY);
  EXPECT_FALSE(seat.has_term_end());

  v1::GetBoardSeatRequest get;
  get.set_name(seat.name());
  auto got = Call(&Stub::GetBoardSeat, get);
  ASSERT_THAT(got.status, IsGrpcOk());
  EXPECT_EQ(got.value.person_name(), "Holder of sala");
  EXPECT_EQ(got.value.term_start().year(), 2019);

  // The term is closed when the seat changes hands.
  v1::UpdateBoardSeatRequest update;
  update.mutable_board_seat()->set_name(seat.name());
  update.mutable_board_seat()->set_etag(seat.etag());
  *update.mutable_board_seat()->mutable_term_end() = Day(2022, 2, 14);
  update.mutable_update_mask()->add_paths("term_end");
  auto updated = Call(&Stub::UpdateBoardSeat, update);
  ASSERT_THAT(updated.status, IsGrpcOk());
  EXPECT_EQ(updated.value.term_end().day(), 14);
  EXPECT_EQ(updated.value.person_name(), "Holder of sala");

  v1::DeleteBoardSeatRequest remove;
  remove.set_name(seat.name());
  remove.set_etag(seat.etag());  // stale
  EXPECT_THAT(Call(&Stub::DeleteBoardSeat, remove).status, HasCode(grpc::StatusCode::ABORTED));
  remove.set_etag(updated.value.etag());
  ASSERT_THAT(Call(&Stub::DeleteBoardSeat, remove).status, IsGrpcOk());
  EXPECT_THAT(Call(&Stub::GetBoardSeat, get).status, HasCode(grpc::StatusCode::NOT_FOUND));
  EXPECT_EQ(CountBoardSeats(), 0);
}

class QuorumTest : public MembershipServiceTest {
 protected:
  // The decision date, and a board around it: 5 voting seats clearly active, one whose term
  // ends on it (not counted), one whose term starts on it (counted), a regional secretary
  // (never counted), one seat in the future and one in the past. So 6 voting seats.
  const google::type::Date kDecision = Day(2022, 2, 14);

  void SetUp() override {
    MembershipServiceTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    CreateOrganisation("board");
    const std::string org = "organisations/board";
    CreateSeat("president", org, Seat::PRESIDENCY, Day(2019, 1, 1), {});
    CreateSeat("co-president", org, Seat::CO_PRESIDENCY, Day(2019, 1, 1), Day(2023, 1, 1));
    CreateSeat("vice-president", org, Seat::REGIONAL_VICE_PRESIDENCY, Day(2021, 6, 1),
               Day(2025, 6, 1));
    CreateSeat("treasurer", org, Seat::TREASURY, Day(2022, 2, 13), {});
    CreateSeat("member", org, Seat::MEMBER, Day(2020, 1, 1), Day(2022, 2, 15));
    CreateSeat("outgoing", org, Seat::MEMBER, Day(2019, 1, 1), Day(2022, 2, 14));
    CreateSeat("incoming", org, Seat::MEMBER, Day(2022, 2, 14), {});
    CreateSeat("secretary", org, Seat::REGIONAL_SECRETARY, Day(2019, 1, 1), {});
    CreateSeat("future", org, Seat::MEMBER, Day(2022, 2, 15), {});
    CreateSeat("past", org, Seat::MEMBER, Day(2018, 1, 1), Day(2021, 1, 1));

    kocaeli_ = CreateOrganisation("kocaeli");
    App application = Apply("kocaeli-2022", kocaeli_.name());
    v1::SignApplicationFormRequest sign;
    sign.set_name(application.name());
    auto signed_form = Call(&Stub::SignApplicationForm, sign);
    ASSERT_THAT(signed_form.status, IsGrpcOk());
    application_ = signed_form.value;
    kocaeli_ = GetOrganisation(kocaeli_.name());
  }

  v1::RatifyApplicationRequest Ratify(int votes_for, int against = 0, int abstentions = 0) {
    v1::RatifyApplicationRequest request;
    request.set_name(application_.name());
    v1::Decision* decision = request.mutable_decision();
    *decision->mutable_decision_date() = kDecision;
    decision->set_votes_for(votes_for);
    decision->set_votes_against(against);
    decision->set_abstentions(abstentions);
    decision->set_note("Board meeting");
    return request;
  }

  void ExpectNothingChanged() {
    App application = GetApplication(application_.name());
    EXPECT_EQ(application.state(), App::FORM_SIGNED);
    EXPECT_EQ(application.etag(), application_.etag());
    EXPECT_FALSE(application.has_decision());
    v1::Organisation kocaeli = GetOrganisation(kocaeli_.name());
    EXPECT_EQ(kocaeli.membership_state(), v1::Organisation::APPLICANT);
    EXPECT_EQ(kocaeli.etag(), kocaeli_.etag());
    EXPECT_FALSE(kocaeli.has_member_since());
  }

  v1::Organisation kocaeli_;
  App application_;
};

TEST_P(QuorumTest, ActiveOnListsTheSeatsWhoseTermCoversTheDate) {
  v1::ListBoardSeatsRequest request;
  *request.mutable_active_on() = kDecision;
  auto reply = Call(&Stub::ListBoardSeats, request);
  ASSERT_THAT(reply.status, IsGrpcOk());
  std::vector<std::string> names;
  for (const auto& seat : reply.value.board_seats()) names.push_back(seat.name());
  EXPECT_THAT(names, UnorderedElementsAre("boardSeats/president", "boardSeats/co-president",
                                          "boardSeats/vice-president", "boardSeats/treasurer",
                                          "boardSeats/member", "boardSeats/incoming",
                                          "boardSeats/secretary"));
  EXPECT_EQ(reply.value.total_size(), 7);

  // The day before the handover the outgoing member still sits, the incoming one not yet.
  *request.mutable_active_on() = Day(2022, 2, 13);
  reply = Call(&Stub::ListBoardSeats, request);
  ASSERT_THAT(reply.status, IsGrpcOk());
  names.clear();
  for (const auto& seat : reply.value.board_seats()) names.push_back(seat.name());
  EXPECT_THAT(names, UnorderedElementsAre("boardSeats/president", "boardSeats/co-president",
                                          "boardSeats/vice-president", "boardSeats/treasurer",
                                          "boardSeats/member", "boardSeats/outgoing",
                                          "boardSeats/secretary"));

  // activeOn combines with a filter.
  request.set_filter("role = MEMBER");
  *request.mutable_active_on() = kDecision;
  reply = Call(&Stub::ListBoardSeats, request);
  ASSERT_THAT(reply.status, IsGrpcOk());
  EXPECT_EQ(reply.value.total_size(), 2);  // member, incoming

  // Without activeOn, every seat.
  EXPECT_EQ(CountBoardSeats(), 10);
}

TEST_P(QuorumTest, ExactlyHalfOfTheVotingSeatsFailsAndChangesNothing) {
  auto reply = Call(&Stub::RatifyApplication, Ratify(3, 3));
  EXPECT_THAT(reply.status, HasCode(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_EQ(ReasonOf(reply.status), "QUORUM_NOT_MET");
  EXPECT_THAT(reply.status.error_message(), HasSubstr("6 voting board seats"));
  ExpectNothingChanged();
}

TEST_P(QuorumTest, MoreVotesThanVotingSeatsIsInvalidAndChangesNothing) {
  // 7 votes: would fit the 7 seats active on the day only if the secretary voted.
  auto reply = Call(&Stub::RatifyApplication, Ratify(4, 2, 1));
  EXPECT_THAT(reply.status, IsBadField("decision.votesFor"));
  ExpectNothingChanged();
}

TEST_P(QuorumTest, HalfPlusOneRatifiesAndTheApplicantBecomesActiveOnTheDecisionDate) {
  auto reply = Call(&Stub::RatifyApplication, Ratify(4, 1, 1));
  ASSERT_THAT(reply.status, IsGrpcOk());
  EXPECT_EQ(reply.value.state(), App::RATIFIED);
  EXPECT_EQ(reply.value.decision().votes_for(), 4);
  EXPECT_EQ(reply.value.decision().note(), "Board meeting");
  EXPECT_EQ(reply.value.decision().decision_date().day(), 14);
  EXPECT_NE(reply.value.etag(), application_.etag());

  v1::Organisation kocaeli = GetOrganisation(kocaeli_.name());
  EXPECT_EQ(kocaeli.membership_state(), v1::Organisation::ACTIVE);
  EXPECT_EQ(kocaeli.member_since().year(), 2022);
  EXPECT_EQ(kocaeli.member_since().month(), 2);
  EXPECT_EQ(kocaeli.member_since().day(), 14);
  EXPECT_NE(kocaeli.etag(), kocaeli_.etag());
  EXPECT_EQ(GetApplication(application_.name()).state(), App::RATIFIED);
}

TEST_P(QuorumTest, TheBoardOnTheDecisionDateCountsNotTheBoardToday) {
  // On 2018-06-01 only the "past" seat was active: one vote of one is a majority.
  v1::RatifyApplicationRequest request = Ratify(1);
  *request.mutable_decision()->mutable_decision_date() = Day(2018, 6, 1);
  ASSERT_THAT(Call(&Stub::RatifyApplication, request).status, IsGrpcOk());
  EXPECT_EQ(GetOrganisation(kocaeli_.name()).member_since().year(), 2018);
}

TEST_P(QuorumTest, NoBoardOnTheDateMeansNoQuorum) {
  v1::RatifyApplicationRequest request = Ratify(0);
  *request.mutable_decision()->mutable_decision_date() = Day(2010, 1, 1);
  auto reply = Call(&Stub::RatifyApplication, request);
  EXPECT_THAT(reply.status, HasCode(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_EQ(ReasonOf(reply.status), "QUORUM_NOT_MET");
  ExpectNothingChanged();
}

TEST_P(QuorumTest, ABadDecisionIsRefusedNamingTheField) {
  struct Case {
    void (*spoil)(v1::Decision*);
    const char* field;
  };
  const Case cases[] = {
      {[](v1::Decision* d) { d->clear_decision_date(); }, "decision.decisionDate"},
      {[](v1::Decision* d) { *d->mutable_decision_date() = Day(2022, 2, 29); },
       "decision.decisionDate"},
      {[](v1::Decision* d) { d->set_votes_for(-4); }, "decision.votesFor"},
      {[](v1::Decision* d) { d->set_votes_against(-1); }, "decision.votesAgainst"},
      {[](v1::Decision* d) { d->set_abstentions(-1); }, "decision.abstentions"},
      {[](v1::Decision* d) { d->set_note(std::string(2001, 'n')); }, "decision.note"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::RatifyApplicationRequest request = Ratify(4);
    c.spoil(request.mutable_decision());
    EXPECT_THAT(Call(&Stub::RatifyApplication, request).status, IsBadField(c.field));
  }
  v1::RatifyApplicationRequest no_decision;
  no_decision.set_name(application_.name());
  EXPECT_THAT(Call(&Stub::RatifyApplication, no_decision).status,
              IsBadField("decision.decisionDate"));
  ExpectNothingChanged();
}

TEST_P(QuorumTest, RatifyingTwiceIsAnInvalidTransition) {
  ASSERT_THAT(Call(&Stub::RatifyApplication, Ratify(5)).status, IsGrpcOk());
  auto again = Call(&Stub::RatifyApplication, Ratify(5));
  EXPECT_THAT(again.status, HasCode(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_EQ(ReasonOf(again.status), "INVALID_STATE_TRANSITION");
}

METROCAP_ON_EVERY_STORE_BACKEND(QuorumTest);

}  // namespace
}  // namespace metrocap::membership::testing
