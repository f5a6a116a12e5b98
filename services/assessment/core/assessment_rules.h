#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/status/violations.h"
#include "google/type/date.pb.h"
#include "metrocap/assessment/v1/assessment.pb.h"
#include "services/assessment/core/framework.h"

namespace metrocap::assessment {

// The most responses one assessment may hold.
inline constexpr int kMaxResponses = 5000;

// True for an unset date (all zero) or a real calendar date in years 1-9999.
bool IsValidDateOrUnset(const google::type::Date& date);

// Checks one response against the framework: the indicator "<capacityId>.<indicatorId>"
// exists, the dimension (when set) exists, the score is finite and inside the scale, the
// source is set and known, respondent and evidence are not too long. Adds one violation per
// problem, with paths under `field` (e.g. "assessment.responses[3]").
void CheckResponse(const v1::Response& response, const FrameworkIndex& framework,
                   absl::string_view field, Violations& out);

// Checks the writable fields of an assessment against its framework: display name, period
// dates (real dates, start not after end), methods (known, set), visibility (known) and
// every response (CheckResponse). INVALID_ARGUMENT with one field violation per problem,
// paths prefixed with `field_prefix` (e.g. "assessment").
absl::Status ValidateAssessment(const v1::Assessment& assessment, const FrameworkIndex& framework,
                                absl::string_view field_prefix);

}  // namespace metrocap::assessment
