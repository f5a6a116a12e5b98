#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Rules about how organisations and regions hang together, free of gRPC and SQL.
namespace metrocap::membership {

// How far up a parent chain is followed; deeper chains are not checked further.
inline constexpr int kMaxParentDepth = 64;

// The parent of an organisation (its name, "" for none), as the caller reads it. NOT_FOUND
// when the organisation does not exist.
using ParentOf = std::function<absl::StatusOr<std::string>(const std::string& organisation)>;

// INVALID_ARGUMENT naming organisation.parent when making `parent` the parent of `name`
// would close a loop, i.e. `name` is `parent` or one of its ancestors. The chain is followed
// through `parent_of` up to kMaxParentDepth steps; a missing ancestor ends it. Other errors
// of `parent_of` are returned as they are.
absl::Status RefuseParentCycle(absl::string_view name, std::string parent,
                               const ParentOf& parent_of);

// A region can be deleted only when nothing is in it. FAILED_PRECONDITION (reason
// REGION_IN_USE), with both counts, when `organisations` or `board_seats` are in `region`.
absl::Status CheckRegionUnused(absl::string_view region, int64_t organisations,
                               int64_t board_seats);

// What still refers to an organisation, counted.
struct OrganisationReferences {
  int64_t child_organisations = 0;  // their parent
  int64_t board_seats = 0;          // their organisation
  int64_t applications = 0;         // their applicant, whatever their state
  int64_t partners = 0;             // their own organisation
  int64_t grants = 0;               // partners granted it
};

// An organisation can be deleted only when nothing refers to it: deleting would leave
// names that resolve to nothing (a board seat of no one, an application without an
// applicant, a grant of nothing). FAILED_PRECONDITION (reason ORGANISATION_IN_USE) naming
// each kind of reference still there, with its count.
absl::Status CheckOrganisationUnused(absl::string_view organisation,
                                     const OrganisationReferences& references);

}  // namespace metrocap::membership
