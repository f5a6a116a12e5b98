#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/identity/caller.h"

// The role checks every service applies before touching data. Both answer with a
// google.rpc.ErrorInfo reason so clients can tell the two refusals apart.
namespace metrocap::identity {

// PERMISSION_DENIED (reason ADMIN_REQUIRED) unless the caller is ADMIN. `action` completes
// "only an ADMIN may ...", e.g. "ratify applications".
absl::Status RequireAdmin(const Caller& caller, absl::string_view action);

// PERMISSION_DENIED (reason NOT_GRANTED) unless the caller is ADMIN or a PARTNER granted
// `organisation` ("organisations/x").
absl::Status RequireWriteFor(const Caller& caller, absl::string_view organisation);

}  // namespace metrocap::identity
