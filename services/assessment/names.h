#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace metrocap::assessment {

// INVALID_ARGUMENT naming `field` unless `name` is
// "organisations/{organisation}/assessments/{assessment}" with valid IDs.
absl::Status CheckAssessmentName(absl::string_view field, absl::string_view name);

}  // namespace metrocap::assessment
