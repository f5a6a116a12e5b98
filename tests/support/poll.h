#pragma once

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

// The one way tests wait for something: poll it, with a deadline.
namespace metrocap::testing {

// Calls `ready` every few milliseconds (2 ms, doubling up to 50 ms) until it returns true or
// `timeout` passes (DEADLINE_EXCEEDED naming `what`). `ready` may return an error to stop
// early; that error is returned.
absl::Status PollUntil(const std::function<absl::StatusOr<bool>()>& ready, absl::Duration timeout,
                       const std::string& what);

}  // namespace metrocap::testing
