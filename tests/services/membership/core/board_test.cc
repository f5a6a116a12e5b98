// The board: seat terms, voting seats and the quorum (services/membership/core/board.h).
#include "services/membership/core/board.h"

#include <string>
#include <tuple>
#include <vector>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/membership/core/fixtures.h"

namespace metrocap::membership {
namespace {

using ::metrocap::testing::IsOk;
using ::metrocap::testing::StatusIs;
using testing::Day;
using testing::DescriptionOf;
using ::testing::ElementsAre;
using testing::FieldsOf;
using testing::GoodSeat;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::Votes;

// Terms: start inclusive, end exclusive.

TEST(SeatActiveOnTest, TermStartIsInclusiveAndTermEndExclusive) {
  v1::BoardSeat seat = GoodSeat();  // 2021-01-01 .. 2023-01-01
  EXPECT_FALSE(SeatActiveOn(seat, Day(2020, 12, 31)));
  EXPECT_TRUE(SeatActiveOn(seat, Day(2021, 1, 1)));
  EXPECT_TRUE(SeatActiveOn(seat, Day(2022, 6, 15)));
  EXPECT_TRUE(SeatActiveOn(seat, Day(2022, 12, 31)));
  EXPECT_FALSE(SeatActiveOn(seat, Day(2023, 1, 1)));
  EXPECT_FALSE(SeatActiveOn(seat, Day(2024, 1, 1)));
}

TEST(SeatActiveOnTest, OpenTermRunsForeverAndNoStartNeverActive) {
  v1::BoardSeat open = GoodSeat();
  open.clear_term_end();
  EXPECT_TRUE(SeatActiveOn(open, Day(9999, 12, 31)));
  EXPECT_FALSE(SeatActiveOn(open, Day(2020, 12, 31)));
  v1::BoardSeat no_start = open;
  no_start.clear_term_start();
  EXPECT_FALSE(SeatActiveOn(no_start, Day(2022, 1, 1)));
}

TEST(SeatActiveOnTest, OnAHandoverDayOnlyTheIncomingHolderSits) {
  v1::BoardSeat outgoing = GoodSeat();
  *outgoing.mutable_term_end() = Day(2022, 2, 14);
  v1::BoardSeat incoming = GoodSeat();
  *incoming.mutable_term_start() = Day(2022, 2, 14);
  incoming.clear_term_end();
  EXPECT_FALSE(SeatActiveOn(outgoing, Day(2022, 2, 14)));
  EXPECT_TRUE(SeatActiveOn(incoming, Day(2022, 2, 14)));
  EXPECT_TRUE(SeatActiveOn(outgoing, Day(2022, 2, 13)));
  EXPECT_FALSE(SeatActiveOn(incoming, Day(2022, 2, 13)));
}

TEST(SeatVotesTest, EveryRoleButRegionalSecretaryVotes) {
  v1::BoardSeat seat = GoodSeat();
  for (auto role :
       {v1::BoardSeat::PRESIDENCY, v1::BoardSeat::CO_PRESIDENCY,
        v1::BoardSeat::REGIONAL_VICE_PRESIDENCY, v1::BoardSeat::TREASURY, v1::BoardSeat::MEMBER}) {
    seat.set_role(role);
    EXPECT_TRUE(SeatVotes(seat)) << v1::BoardSeat::Role_Name(role);
  }
  seat.set_role(v1::BoardSeat::REGIONAL_SECRETARY);
  EXPECT_FALSE(SeatVotes(seat));
}

TEST(CountVotingSeatsTest, CountsTheVotingSeatsActiveOnTheDay) {
  v1::BoardSeat president = GoodSeat();  // 2021-01-01 .. 2023-01-01
  v1::BoardSeat secretary = GoodSeat();
  secretary.set_role(v1::BoardSeat::REGIONAL_SECRETARY);
  v1::BoardSeat later = GoodSeat();
  *later.mutable_term_start() = Day(2022, 6, 1);
  later.clear_term_end();
  later.set_role(v1::BoardSeat::MEMBER);
  const std::vector<v1::BoardSeat> seats = {president, secretary, later};
  EXPECT_EQ(CountVotingSeats(seats, Day(2020, 12, 31)), 0);
  EXPECT_EQ(CountVotingSeats(seats, Day(2021, 1, 1)), 1);  // the secretary never votes
  EXPECT_EQ(CountVotingSeats(seats, Day(2022, 6, 1)), 2);  // the later seat's first day
  EXPECT_EQ(CountVotingSeats(seats, Day(2023, 1, 1)), 1);  // the president's term is over
  EXPECT_EQ(CountVotingSeats({}, Day(2022, 6, 1)), 0);
}

// Quorum: more than half of the voting seats.

TEST(CheckQuorumTest, ExactlyHalfFailsAndHalfPlusOnePasses) {
  absl::Status half = CheckQuorum(Votes(3, 3), 6);
  EXPECT_THAT(half, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("quorum")));
  EXPECT_EQ(ReasonOf(half), "QUORUM_NOT_MET");
  EXPECT_OK(CheckQuorum(Votes(4, 2), 6));
  EXPECT_OK(CheckQuorum(Votes(4), 6));  // absent members count against the quorum
}

TEST(CheckQuorumTest, OddBoards) {
  EXPECT_THAT(CheckQuorum(Votes(2), 5), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_OK(CheckQuorum(Votes(3), 5));
  EXPECT_OK(CheckQuorum(Votes(1), 1));
  EXPECT_THAT(CheckQuorum(Votes(0), 1), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(CheckQuorumTest, NoSeatsNeverReachesQuorum) {
  absl::Status status = CheckQuorum(Votes(0), 0);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(status), "QUORUM_NOT_MET");
}

TEST(CheckQuorumTest, MoreVotesThanSeatsIsInvalidArgument) {
  absl::Status too_many_for = CheckQuorum(Votes(7), 6);
  EXPECT_THAT(too_many_for, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldsOf(too_many_for), ElementsAre("decision.votesFor"));
  // Every vote cast counts, not only those in favour.
  EXPECT_THAT(CheckQuorum(Votes(4, 2, 1), 6), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_OK(CheckQuorum(Votes(4, 1, 1), 6));
  // Large counts do not overflow into a pass.
  EXPECT_THAT(CheckQuorum(Votes(2147483647, 2147483647, 2147483647), 6),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CheckQuorumTest, PassingHasNoViolations) {
  EXPECT_THAT(FieldViolationsOf(CheckQuorum(Votes(4), 6)), IsEmpty());
}

}  // namespace
}  // namespace metrocap::membership
