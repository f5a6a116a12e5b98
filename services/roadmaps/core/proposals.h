#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/identity/caller.h"
#include "metrocap/roadmaps/v1/roadmaps.pb.h"

// The revision proposal state machine:
//
//   OPEN --:accept--> ACCEPTED (records acceptedRevision)
//   OPEN --:decline (with a note)--> DECLINED
//
// A decided proposal never changes again. Deciding one that is already decided is ABORTED
// (reason PROPOSAL_DECIDED) rather than FAILED_PRECONDITION: it is what the loser of two
// racing decisions sees, and like a stale etag it means "you acted on an old view".
namespace metrocap::roadmaps {

namespace v1 = ::metrocap::roadmaps::v1;

// Checks a new proposal's writable fields: summary required; source, when given, an Insight
// name `hubs/{hub}/insights/{insight}`; origin, when given, a Session or Pilot name
// (`hubs/{hub}/sessions/{session}`, `hubs/{hub}/pilots/{pilot}`) with a title; capacities
// well formed. INVALID_ARGUMENT with one violation per problem, paths under `prefix`.
absl::Status ValidateProposal(const v1::RevisionProposal& proposal, absl::string_view prefix);

// ABORTED (reason PROPOSAL_DECIDED) unless the proposal is OPEN.
absl::Status CheckOpen(const v1::RevisionProposal& proposal);

// OPEN -> ACCEPTED: records the roadmap revision the acceptance produced, who decided,
// when, and the note. ABORTED as CheckOpen.
absl::Status Accept(v1::RevisionProposal& proposal, const identity::Caller& caller, absl::Time now,
                    int64_t revision, absl::string_view note);

// OPEN -> DECLINED with `note` (required: INVALID_ARGUMENT naming "note"). ABORTED as
// CheckOpen.
absl::Status Decline(v1::RevisionProposal& proposal, const identity::Caller& caller, absl::Time now,
                     absl::string_view note);

}  // namespace metrocap::roadmaps
