#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "metrocap/hubs/v1/hubs.pb.h"

namespace metrocap::hubs {

// The insight outbox. Publishing an insight records one Delivery per target roadmap in the
// same transaction as the PUBLISHED state; a background deliverer then creates the
// revision proposal on each and records the outcome:
//
//   PENDING --created (or found already created)--> DELIVERED
//   PENDING --failed, retryable--> PENDING (attempts + 1, last_error, next_attempt_time
//                                           = now + backoff(attempts))
//   PENDING --refused for good--> FAILED (attempts + 1, last_error)
//
// Every attempt for one delivery sends the same request id (DeliveryRequestId), so
// roadmaps creates the proposal once however often, and from however many replicas, it is
// tried. The clock is always passed in.

// How long the deliverer waits after a failed attempt: `initial` after the first, doubled
// after each further one, never more than `max`.
struct Backoff {
  absl::Duration initial = absl::Seconds(1);
  absl::Duration max = absl::Minutes(5);
};

// The wait after `attempts` failed attempts (attempts >= 1): initial * 2^(attempts-1),
// capped at max.
absl::Duration BackoffAfter(int attempts, const Backoff& backoff);

// DRAFT -> PUBLISHED: sets publish_time and one PENDING delivery per target roadmap (in
// target order), due at once (next_delivery_time = now). FAILED_PRECONDITION (the generic
// reason; nothing changed) when the insight has no target roadmap. Publishing a
// PUBLISHED insight is not an error: it returns OK and `changed` false, and nothing is touched.
absl::Status Publish(v1::Insight& insight, absl::Time now, bool* changed);

// Sets the insight's next_delivery_time to the earliest next_attempt_time of its PENDING
// deliveries, or clears it when none is pending. Publish calls it; the deliverer calls it
// after recording an attempt's outcome.
void RefreshNextDeliveryTime(v1::Insight& insight);

// True when the delivery is PENDING and its next attempt is due at `now`.
bool IsDue(const v1::Delivery& delivery, absl::Time now);

// Records a successful attempt: DELIVERED with the proposal's name, attempts + 1,
// deliver_time = now, no next attempt. last_error keeps the previous failure for the
// record.
void RecordDelivered(v1::Delivery& delivery, absl::string_view proposal, absl::Time now);

// Records a failed attempt: attempts + 1 and last_error ("<CODE>: <message>"). A
// retryable error (IsRetryable) leaves it PENDING, due again after BackoffAfter(attempts);
// any other makes it FAILED, with no next attempt.
void RecordFailure(v1::Delivery& delivery, const absl::Status& error, absl::Time now,
                   const Backoff& backoff);

// Whether an error from roadmaps may go away by itself: UNAVAILABLE, DEADLINE_EXCEEDED,
// ABORTED, RESOURCE_EXHAUSTED, CANCELLED, UNKNOWN, INTERNAL, UNAUTHENTICATED (credentials
// being rotated). The others (INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED,
// FAILED_PRECONDITION, ALREADY_EXISTS, ...) will not.
bool IsRetryable(absl::StatusCode code);

// The request id every attempt of the delivery of `insight` to `roadmap` sends: a UUID
// (version 8, RFC 9562) derived from the SHA-256 of both names, the same in every process
// and across restarts.
std::string DeliveryRequestId(absl::string_view insight, absl::string_view roadmap);

// The id of the proposal the delivery of `insight` (`hubs/{hub}/insights/{insight}`) creates
// on each target: "<hub>-<insight>" (resource::DeriveId, so at most 63 characters). Two
// insights with one summary in different hubs, which the roadmap's own id derivation would
// make collide, get different proposals.
std::string ProposalId(absl::string_view insight);

}  // namespace metrocap::hubs
