#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/identity/caller.h"
#include "metrocap/membership/v1/membership.pb.h"

// Who may do what in membership, beyond the role checks every service shares
// (identity::RequireAdmin, identity::RequireWriteFor in common/identity/access.h):
//
//   reads          any authenticated caller (organisations, regions, board seats,
//                  applications); partners and their keys: an ADMIN or the partner itself;
//   writes         ADMIN for regions, organisations (create, delete), board seats,
//                  partners, keys and the board's decisions (:ratify, :reject); a PARTNER
//                  granted an organisation may update it (not its membership state) and
//                  submit, sign or withdraw its applications; a partner may revoke its keys;
//   LookupApiKey   the gateway only (the internal credential without a principal).
namespace metrocap::membership {

// Organisations are network data: every authenticated role may read one. Checked on the
// value a read returns, whether it came from the store or a cache, so that a rule added
// here holds for cached values as well. PERMISSION_DENIED (reason NOT_ALLOWED) otherwise.
absl::Status RequireMayRead(const identity::Caller& caller, const v1::Organisation& organisation);

// An ADMIN, or the partner `partner` itself. PERMISSION_DENIED (reason NOT_SELF) otherwise.
absl::Status RequireSelfOrAdmin(const identity::Caller& caller, absl::string_view partner);

// The gateway (the internal principal), which resolves API keys. PERMISSION_DENIED
// otherwise: a cached principal is no less secret than a stored one.
absl::Status RequireGateway(const identity::Caller& caller);

// The organisation fields `caller` may change (snake_case update-mask paths): a PARTNER
// everything but membership_state and member_since, which follow the board's decisions and
// only an ADMIN sets.
const std::vector<std::string>& OrganisationWritableFields(const identity::Caller& caller);

}  // namespace metrocap::membership
