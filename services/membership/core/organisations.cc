#include "services/membership/core/organisations.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace metrocap::membership {

absl::Status RefuseParentCycle(absl::string_view name, std::string parent,
                               const ParentOf& parent_of) {
  for (int depth = 0; !parent.empty() && depth < kMaxParentDepth; ++depth) {
    if (parent == name) {
      return InvalidField("organisation.parent",
                          absl::StrCat(name, " is already an ancestor of that parent"));
    }
    absl::StatusOr<std::string> up = parent_of(parent);
    if (!up.ok()) return absl::IsNotFound(up.status()) ? absl::OkStatus() : up.status();
    parent = *std::move(up);
  }
  return absl::OkStatus();
}

absl::Status CheckRegionUnused(absl::string_view region, int64_t organisations,
                               int64_t board_seats) {
  if (organisations + board_seats == 0) return absl::OkStatus();
  return WithReason(absl::FailedPreconditionError(absl::StrCat(region, " still has ", organisations,
                                                               " organisations and ", board_seats,
                                                               " board seats")),
                    "REGION_IN_USE");
}

absl::Status CheckOrganisationUnused(absl::string_view organisation, int64_t children,
                                     int64_t board_seats) {
  if (children + board_seats == 0) return absl::OkStatus();
  return WithReason(absl::FailedPreconditionError(absl::StrCat(organisation, " still holds ",
                                                               children, " organisations and ",
                                                               board_seats, " board seats")),
                    "ORGANISATION_IN_USE");
}

}  // namespace metrocap::membership
