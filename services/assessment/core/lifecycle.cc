#include "services/assessment/core/lifecycle.h"

#include "absl/strings/str_cat.h"
#include "common/identity/access.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"

namespace metrocap::assessment {

absl::Status CheckAssessmentEditable(const v1::Assessment& assessment) {
  if (assessment.state() == v1::Assessment::VALIDATED) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          assessment.name(), " is validated and can no longer change")),
                      "ASSESSMENT_VALIDATED");
  }
  return absl::OkStatus();
}

absl::Status CheckFrameworkUsable(const v1::Framework& framework) {
  if (framework.state() != v1::Framework::PUBLISHED) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          framework.name(), " is not published; publish it before assessing")),
                      "FRAMEWORK_NOT_PUBLISHED");
  }
  return absl::OkStatus();
}

absl::Status Submit(v1::Assessment& assessment, absl::Time now) {
  if (assessment.state() != v1::Assessment::DRAFT) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          assessment.name(), " is ", v1::Assessment::State_Name(assessment.state()),
                          "; only a DRAFT can be submitted")),
                      "ASSESSMENT_NOT_DRAFT");
  }
  if (assessment.responses().empty()) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          assessment.name(), " has no response and cannot be submitted")),
                      "ASSESSMENT_EMPTY");
  }
  assessment.set_state(v1::Assessment::SUBMITTED);
  SetTimestamp(now, assessment.mutable_submit_time());
  return absl::OkStatus();
}

absl::Status Validate(v1::Assessment& assessment, const identity::Caller& caller, absl::Time now) {
  RETURN_IF_ERROR(identity::RequireAdmin(caller, "validate an assessment"));
  if (assessment.state() == v1::Assessment::VALIDATED) {
    return WithReason(
        absl::FailedPreconditionError(absl::StrCat(assessment.name(), " is already validated")),
        "ASSESSMENT_VALIDATED");
  }
  if (assessment.state() != v1::Assessment::SUBMITTED) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          assessment.name(), " is ", v1::Assessment::State_Name(assessment.state()),
                          "; only a SUBMITTED assessment can be validated")),
                      "ASSESSMENT_NOT_SUBMITTED");
  }
  assessment.set_state(v1::Assessment::VALIDATED);
  SetTimestamp(now, assessment.mutable_validate_time());
  assessment.set_validated_by(caller.principal);
  return absl::OkStatus();
}

void SetTimestamp(absl::Time time, google::protobuf::Timestamp* out) {
  const int64_t seconds = absl::ToUnixSeconds(time);
  out->set_seconds(seconds);
  out->set_nanos(
      static_cast<int32_t>((time - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
}

}  // namespace metrocap::assessment
