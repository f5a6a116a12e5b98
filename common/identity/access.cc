#include "common/identity/access.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace metrocap::identity {

absl::Status RequireAdmin(const Caller& caller, absl::string_view action) {
  if (caller.IsAdmin()) return absl::OkStatus();
  return WithReason(absl::PermissionDeniedError(absl::StrCat("only an ADMIN may ", action)),
                    "ADMIN_REQUIRED");
}

absl::Status RequireWriteFor(const Caller& caller, absl::string_view organisation) {
  if (caller.MayWriteFor(organisation)) return absl::OkStatus();
  const absl::string_view who =
      caller.principal.empty() ? absl::string_view("the caller") : caller.principal;
  return WithReason(
      absl::PermissionDeniedError(absl::StrCat(who, " may not write for ", organisation)),
      "NOT_GRANTED");
}

}  // namespace metrocap::identity
