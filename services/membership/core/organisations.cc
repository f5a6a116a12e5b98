#include "services/membership/core/organisations.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

absl::Status CheckOrganisationUnused(absl::string_view organisation,
                                     const OrganisationReferences& references) {
  std::vector<std::string> still;
  auto count = [&](int64_t n, absl::string_view what) {
    if (n > 0) still.push_back(absl::StrCat(n, " ", what));
  };
  count(references.child_organisations, "organisations (its children)");
  count(references.board_seats, "board seats");
  count(references.applications, "applications (as applicant)");
  count(references.partners, "partners (as their organisation)");
  count(references.grants, "partners (granted it)");
  if (still.empty()) return absl::OkStatus();
  return WithReason(absl::FailedPreconditionError(
                        absl::StrCat(organisation, " is still referred to by ",
                                     absl::StrJoin(still, ", "), "; delete or change those first")),
                    "ORGANISATION_IN_USE");
}

}  // namespace metrocap::membership
