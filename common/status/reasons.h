#pragma once

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace metrocap {

// One google.rpc.ErrorInfo reason the suite can return: the catalogue partners read
// (docs/errors.md is generated from it by `metrocapctl errors`), and the list every
// WithReason() call site must draw from (tests/common/status/reasons_test.cc scans the
// sources and fails on a reason missing here).
struct ErrorReason {
  absl::string_view reason;  // UPPER_SNAKE, as ErrorInfo.reason carries it
  absl::StatusCode code;     // the status it comes with
  absl::string_view meaning;
  absl::string_view client_action;  // what a client should do about it
};

// Every reason, in catalogue order: first the ones a service attaches with WithReason(),
// then the generic ones (the status code's own name) that an error without a specific
// reason carries.
const std::vector<ErrorReason>& ErrorReasons();

// The catalogue entry for `reason`, or nullptr when it is not in the catalogue.
const ErrorReason* FindErrorReason(absl::string_view reason);

}  // namespace metrocap
