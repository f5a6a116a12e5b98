#pragma once

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/type/date.pb.h"
#include "metrocap/membership/v1/membership.pb.h"

// The membership rules, free of gRPC and SQL: what makes each resource valid, how an
// application moves through its states, and the board's quorum.
namespace metrocap::membership {

namespace v1 = ::metrocap::membership::v1;

// True for an ISO 3166-1 alpha-2 code currently assigned (upper case).
bool IsCountryCode(absl::string_view code);

// True for a real calendar date (year 1..9999).
bool IsValidDate(const google::type::Date& date);
// -1, 0, 1 as a is before, equal to, after b.
int CompareDates(const google::type::Date& a, const google::type::Date& b);

// Field checks. Each returns INVALID_ARGUMENT with one field violation per bad field, the
// field paths prefixed with `prefix` (e.g. "organisation."). References to other resources
// are checked for form only; the service checks that they exist.
absl::Status ValidateRegion(const v1::Region& region, absl::string_view prefix);
absl::Status ValidateOrganisation(const v1::Organisation& organisation, absl::string_view prefix);
absl::Status ValidateBoardSeat(const v1::BoardSeat& seat, absl::string_view prefix);
absl::Status ValidatePartner(const v1::Partner& partner, absl::string_view prefix);
absl::Status ValidateApiKey(const v1::ApiKey& key, absl::string_view prefix);
absl::Status ValidateDecision(const v1::Decision& decision, absl::string_view prefix);

// A seat is active on `date` when term_start <= date and, if it has a term end,
// date < term_end: on a handover day the incoming holder has the seat, not both.
bool SeatActiveOn(const v1::BoardSeat& seat, const google::type::Date& date);
// Seats that vote: every role but REGIONAL_SECRETARY (the regions' focal points, who are
// not members of the Board of Directors).
bool SeatVotes(const v1::BoardSeat& seat);

// Application actions and the states they may start from. FAILED_PRECONDITION (reason
// INVALID_STATE_TRANSITION) when `from` does not allow `action`.
enum class ApplicationAction { kSignForm, kRatify, kReject, kWithdraw };
absl::Status CheckTransition(v1::MembershipApplication::State from, ApplicationAction action);
v1::MembershipApplication::State StateAfter(ApplicationAction action);

// The quorum rule: votes_for must be more than half of `voting_seats` (the voting seats
// active on the decision date). FAILED_PRECONDITION (reason QUORUM_NOT_MET) otherwise;
// INVALID_ARGUMENT when more votes were cast than there are seats.
absl::Status CheckQuorum(const v1::Decision& decision, int voting_seats);

}  // namespace metrocap::membership
