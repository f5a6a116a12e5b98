#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_field.h"
#include "metrocap/hubs/v1/hubs.pb.h"

namespace metrocap::hubs {

// The pilot state machine:
//
//   :start      PROPOSED                       -> RUNNING
//   :evaluate   RUNNING                        -> EVALUATED
//   :replicate  EVALUATED, REPLICATED          -> REPLICATED (adds replications)
//   :scale      EVALUATED, REPLICATED          -> SCALED
//   :stop       PROPOSED, RUNNING, EVALUATED   -> STOPPED
//
// A pilot is tested (RUNNING), judged (EVALUATED), then taken up by other organisations
// (REPLICATED, again and again) and/or turned into regular policy at scale (SCALED). It can
// be stopped until someone has taken it up; once replicated or scaled its results stand.
// SCALED and STOPPED are final. Each transition returns FAILED_PRECONDITION with reason
// INVALID_STATE_TRANSITION from any other state, and changes nothing then (nor on any error).

// Checks the shape of a pilot's writable fields: title (required), lead (an Organisation
// name, required), partners (Organisation names, none repeated, not the lead) and
// capacities (ids). INVALID_ARGUMENT naming each bad field under `field_prefix`.
absl::Status ValidatePilot(const v1::Pilot& pilot, absl::string_view field_prefix);

// Sets what a new pilot starts with: PROPOSED, and `hub` from the name. Its other
// output-only fields must be clear already (resource::ClearOutputOnlyFields, as the kit's
// Create does before `prepare`).
void InitPilot(v1::Pilot& pilot);

// PROPOSED -> RUNNING; start_time = now.
absl::Status Start(v1::Pilot& pilot, absl::Time now);

// RUNNING -> EVALUATED with the evaluation (required: INVALID_ARGUMENT naming
// "evaluation"); evaluate_time = now.
absl::Status Evaluate(v1::Pilot& pilot, absl::string_view evaluation, absl::Time now);

// EVALUATED or REPLICATED -> REPLICATED, appending `replications` (Organisation names; at
// least one; none repeated, none the lead, a partner or already listed: INVALID_ARGUMENT
// naming "replications[i]"). end_time is left unset: more replications may follow.
absl::Status Replicate(v1::Pilot& pilot,
                       const google::protobuf::RepeatedPtrField<std::string>& replications);

// EVALUATED or REPLICATED -> SCALED; end_time = now.
absl::Status Scale(v1::Pilot& pilot, absl::Time now);

// PROPOSED, RUNNING or EVALUATED -> STOPPED with the reason (required: INVALID_ARGUMENT
// naming "reason"); end_time = now.
absl::Status Stop(v1::Pilot& pilot, absl::string_view reason, absl::Time now);

}  // namespace metrocap::hubs
