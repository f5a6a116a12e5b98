#include "services/membership/core/board.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/membership/core/validation.h"

namespace metrocap::membership {

bool SeatActiveOn(const v1::BoardSeat& seat, const google::type::Date& date) {
  if (!seat.has_term_start() || CompareDates(seat.term_start(), date) > 0) return false;
  return !seat.has_term_end() || CompareDates(date, seat.term_end()) < 0;
}

bool SeatVotes(const v1::BoardSeat& seat) {
  return seat.role() != v1::BoardSeat::REGIONAL_SECRETARY;
}

int CountVotingSeats(const std::vector<v1::BoardSeat>& seats, const google::type::Date& date) {
  int voting = 0;
  for (const v1::BoardSeat& seat : seats) {
    if (SeatActiveOn(seat, date) && SeatVotes(seat)) ++voting;
  }
  return voting;
}

absl::Status CheckQuorum(const v1::Decision& decision, int voting_seats) {
  int64_t cast = int64_t{decision.votes_for()} + decision.votes_against() + decision.abstentions();
  if (cast > voting_seats) {
    return InvalidField("decision.votesFor",
                        absl::StrCat(cast, " votes were cast but only ", voting_seats,
                                     " voting board seats are active on the decision date"));
  }
  if (int64_t{decision.votes_for()} * 2 > voting_seats) return absl::OkStatus();
  return WithReason(
      absl::FailedPreconditionError(absl::StrCat(
          "quorum not met: ", decision.votes_for(), " votes for, but more than half of the ",
          voting_seats, " voting board seats active on the decision date are needed")),
      "QUORUM_NOT_MET");
}

}  // namespace metrocap::membership
