#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "google/protobuf/timestamp.pb.h"
#include "metrocap/membership/v1/membership.pb.h"

// A membership application's life, free of gRPC and SQL:
//
//   SUBMITTED --:signForm--> FORM_SIGNED --:ratify (ADMIN, quorum)--> RATIFIED
//   SUBMITTED or FORM_SIGNED --:reject (ADMIN)--> REJECTED
//   SUBMITTED or FORM_SIGNED --:withdraw--> WITHDRAWN
//
// and what it does to the applicant: submitting makes it an APPLICANT; ratifying makes it
// an ACTIVE member since the decision date; an application that ends otherwise (rejected,
// withdrawn, or deleted while open) returns it to NON_MEMBER.
namespace metrocap::membership {

// The states of an application still waiting for the board: SUBMITTED and FORM_SIGNED.
// The store's count of open applications is built from this list.
const std::vector<v1::MembershipApplication::State>& OpenApplicationStates();
bool IsOpen(const v1::MembershipApplication& application);

// Readies a new application as a caller sent it. INVALID_ARGUMENT naming application.note
// (longer than kMaxText). Then: state SUBMITTED, submit_time `now` unless the caller gave
// one (an application filed on paper), no form_sign_time and no decision. What the caller
// sent for those output-only fields is ignored, not an error (AIP-203).
absl::Status PrepareSubmission(v1::MembershipApplication& application, absl::Time now);

// The IDs a Create tries, in turn, when none is given: the applicant's ID and the UTC year
// of submit_time ("kocaeli-2022"), then with "-2", "-3"... for later applications of the
// same year ("kocaeli-2022-2"); the applicant's ID is shortened so that every one is a
// valid ID of at most 63 characters. `attempt` counts from 1.
std::string DerivedApplicationId(const v1::MembershipApplication& application, int attempt = 1);
// How many derived IDs a Create tries before giving up (ALREADY_EXISTS).
inline constexpr int kMaxApplicationIdAttempts = 100;

// Submitting an application makes `applicant` an APPLICANT. FAILED_PRECONDITION when it is
// already an ACTIVE member (reason ALREADY_MEMBER) or has `open_applications` open ones
// (reason APPLICATION_OPEN).
absl::Status BecomeApplicant(v1::Organisation& applicant, int64_t open_applications);

// Application actions and the states they may start from. FAILED_PRECONDITION (reason
// INVALID_STATE_TRANSITION) when `from` does not allow `action`.
enum class ApplicationAction { kSignForm, kRatify, kReject, kWithdraw };
absl::Status CheckTransition(v1::MembershipApplication::State from, ApplicationAction action);
v1::MembershipApplication::State StateAfter(ApplicationAction action);

// The transitions. Each checks CheckTransition first and changes nothing when it fails.
//
// :signForm: FORM_SIGNED, form_sign_time = `signed_at` when given, else `now`.
absl::Status SignForm(v1::MembershipApplication& application,
                      const absl::optional<google::protobuf::Timestamp>& signed_at, absl::Time now);
// :ratify: RATIFIED with `decision` once CheckQuorum(decision, voting_seats) holds
// (core/board.h); the applicant becomes ACTIVE with member_since = the decision date.
absl::Status Ratify(v1::MembershipApplication& application, const v1::Decision& decision,
                    int voting_seats, v1::Organisation& applicant);
// :reject: REJECTED, with `decision` when given; the applicant is released.
absl::Status Reject(v1::MembershipApplication& application,
                    const absl::optional<v1::Decision>& decision, v1::Organisation& applicant);
// :withdraw: WITHDRAWN; the applicant is released.
absl::Status Withdraw(v1::MembershipApplication& application, v1::Organisation& applicant);

// An organisation whose open application ends without admitting it is no longer an
// APPLICANT: NON_MEMBER again. Other states are left alone. True when it changed.
bool ReleaseApplicant(v1::Organisation& applicant);

}  // namespace metrocap::membership
