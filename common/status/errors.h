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

// What an error may echo of a request, whatever the request's size: a client must see the
// error it caused (INVALID_ARGUMENT for an over-long name), not RESOURCE_EXHAUSTED because
// the echo outgrew gRPC's metadata limit (8 KiB for the whole trailer block: the message
// travels percent-encoded, up to three bytes per byte, and the details base64-encoded, with
// the message once more inside them). InvalidFields and ToGrpcStatus apply these limits, so
// no error anywhere needs to bound its own text.
inline constexpr size_t kMaxErrorMessageBytes = 512;
inline constexpr size_t kMaxViolationFieldBytes = 128;
inline constexpr size_t kMaxViolationDescriptionBytes = 256;
// Field violations beyond this many serialized bytes are left out of an error's details.
inline constexpr size_t kMaxViolationBytes = 2048;

// `text` cut to at most `max_bytes` (max_bytes >= 3), on a UTF-8 character boundary, ending
// in "…" when it was cut.
std::string BoundedText(absl::string_view text, size_t max_bytes);

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
