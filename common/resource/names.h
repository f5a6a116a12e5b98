#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace metrocap::resource {

// True for a valid resource ID: [a-z0-9-]{1,63}, starting with a letter, not ending with '-'.
bool IsValidId(absl::string_view id);

// An ID derived from a display name: ASCII-folded (common Latin accents), lower case, runs
// of other characters turned into '-', trimmed to 63 characters; "" when nothing is left.
std::string DeriveId(absl::string_view display_name);

// Checks that `name` is "<collection>/<id>" with a valid ID (collection may itself contain
// slashes, e.g. "partners/acme/apiKeys"). INVALID_ARGUMENT naming `field` otherwise.
absl::Status CheckName(absl::string_view field, absl::string_view name,
                       absl::string_view collection);

// The ID for a Create: `requested` when given (checked, INVALID_ARGUMENT naming
// `id_field`), else derived from `display_name` (INVALID_ARGUMENT when nothing derives).
absl::StatusOr<std::string> IdForCreate(absl::string_view id_field, absl::string_view requested,
                                        absl::string_view display_name);

}  // namespace metrocap::resource
