#pragma once

#include <vector>

#include "absl/status/status.h"
#include "google/type/date.pb.h"
#include "metrocap/membership/v1/membership.pb.h"

// The board: which seats sit on a given day, which of them vote, and the quorum a
// ratification needs.
namespace metrocap::membership {

// A seat is active on `date` when term_start <= date and, if it has a term end,
// date < term_end: on a handover day the incoming holder has the seat, not both. A seat
// without a term start is never active. The store has an SQL twin of this rule for
// ListBoardSeats' activeOn (storage SeatsActiveOn; a test proves they agree).
bool SeatActiveOn(const v1::BoardSeat& seat, const google::type::Date& date);

// Seats that vote: every role but REGIONAL_SECRETARY (the regions' focal points, who are
// not members of the Board of Directors).
bool SeatVotes(const v1::BoardSeat& seat);

// How many of `seats` are voting seats active on `date`: the size of the board that
// decides on that day.
int CountVotingSeats(const std::vector<v1::BoardSeat>& seats, const google::type::Date& date);

// The quorum rule: votes_for must be more than half of `voting_seats` (the voting seats
// active on the decision date). FAILED_PRECONDITION (reason QUORUM_NOT_MET) otherwise;
// INVALID_ARGUMENT naming decision.votesFor when more votes were cast than there are seats.
absl::Status CheckQuorum(const v1::Decision& decision, int voting_seats);

}  // namespace metrocap::membership
