#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/status/violations.h"
#include "google/protobuf/timestamp.pb.h"
#include "metrocap/hubs/v1/hubs.pb.h"

namespace metrocap::hubs {

// The most entries each repeated field of a session may hold, and the longest texts.
inline constexpr int kMaxOrganisations = 1000;
inline constexpr int kMaxAlliances = 100;
inline constexpr int kMaxCodes = 200;
inline constexpr size_t kMaxTitle = 300;
inline constexpr size_t kMaxDescription = 10000;
inline constexpr size_t kMaxAlliance = 200;

// True for a Timestamp inside 0001-01-01..9999-12-31 with nanos in [0, 1e9).
bool IsValidTimestamp(const google::protobuf::Timestamp& time);

// Checks a list of Organisation names (`organisations/{id}`), none repeated and at most
// kMaxOrganisations, adding violations at `field[i]` (e.g. "session.participants[2]").
void CheckOrganisationList(absl::string_view field,
                           const google::protobuf::RepeatedPtrField<std::string>& names,
                           Violations& out);

// Checks a list of capacity ids ([a-z][a-z0-9-]{0,62}, none repeated) at `field[i]`.
void CheckCapacityList(absl::string_view field,
                       const google::protobuf::RepeatedPtrField<std::string>& ids, Violations& out);

// Checks the shape of a session's writable fields, without asking any other service:
// title (required), format (required, known), mode (known when set), start and end times
// (valid; end only with a start and not before it), organisers and participants
// (Organisation names, none repeated), alliances (non-empty, none repeated), plan (a Plan
// name; required when outcome or challenge codes are given), outcome codes (`L<n>`,
// `L<n>A<n>` or `L<n>A<n>D<n>`), challenge codes (`<n>.<n>`) and capacities (ids).
// INVALID_ARGUMENT with one field violation per problem, paths under `field_prefix`
// (e.g. "session"), such as "session.outcomeCodes[1]". Whether the names and codes exist
// is the reference check's job (the owning services).
absl::Status ValidateSession(const v1::Session& session, absl::string_view field_prefix);

// Sets the output-only fields derived from the session's own fields: `hub` from the name
// and `outcome_scope` from the outcome codes (OutcomeScope).
void DeriveSessionFields(v1::Session& session);

}  // namespace metrocap::hubs
