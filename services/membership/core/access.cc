#include "services/membership/core/access.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace metrocap::membership {

absl::Status RequireMayRead(const identity::Caller& caller, const v1::Organisation& organisation) {
  if (caller.MayRead()) return absl::OkStatus();
  return WithReason(absl::PermissionDeniedError(
                        absl::StrCat(caller.principal, " may not read ", organisation.name())),
                    "NOT_ALLOWED");
}

absl::Status RequireSelfOrAdmin(const identity::Caller& caller, absl::string_view partner) {
  if (caller.IsAdmin() || caller.principal == partner) return absl::OkStatus();
  return WithReason(
      absl::PermissionDeniedError(absl::StrCat(caller.principal, " may not see ", partner)),
      "NOT_SELF");
}

absl::Status RequireGateway(const identity::Caller& caller) {
  if (caller.principal == "internal") return absl::OkStatus();
  return absl::PermissionDeniedError("LookupApiKey is for the gateway only");
}

const std::vector<std::string>& OrganisationWritableFields(const identity::Caller& caller) {
  static const auto* partner_writable =
      new std::vector<std::string>{"display_name", "kind",   "country_code", "region",
                                   "population",   "parent", "website",      "description"};
  static const auto* admin_writable = [] {
    auto* fields = new std::vector<std::string>(*partner_writable);
    fields->push_back("membership_state");
    fields->push_back("member_since");
    return fields;
  }();
  return caller.IsAdmin() ? *admin_writable : *partner_writable;
}

}  // namespace metrocap::membership
