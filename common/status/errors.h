#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace metrocap {

// One bad field of a request: the field's path as callers spell it (lowerCamelCase JSON,
// e.g. "organisation.countryCode") and what is wrong with it.
struct FieldViolation {
  std::string field;
  std::string description;
};

// INVALID_ARGUMENT for one bad field; the message names it and the status carries a
// google.rpc.BadRequest field violation.
absl::Status InvalidField(absl::string_view field, absl::string_view description);

// INVALID_ARGUMENT for several bad fields at once. `violations` must not be empty.
absl::Status InvalidFields(const std::vector<FieldViolation>& violations);

// Attaches a google.rpc.ErrorInfo reason (UPPER_SNAKE) to `status`, e.g.
// WithReason(absl::FailedPreconditionError("..."), "QUORUM_NOT_MET").
absl::Status WithReason(absl::Status status, absl::string_view reason);

// The field violations and the reason attached to a status (empty when none).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);
std::string ReasonOf(const absl::Status& status);

// The google.rpc.Code name of a status code in UPPER_SNAKE, e.g. "INVALID_ARGUMENT".
std::string CodeName(absl::StatusCode code);

}  // namespace metrocap
