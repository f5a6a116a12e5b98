#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/identity/caller.h"
#include "metrocap/assessment/v1/assessment.pb.h"

namespace metrocap::assessment {

// The assessment state machine:
//
//   DRAFT --:submit--> SUBMITTED --:validate (ADMIN)--> VALIDATED (immutable)
//
// DRAFT and SUBMITTED assessments may be edited (the assessors and the network's research
// team correct a submitted assessment before validating it) and deleted; a VALIDATED one
// is the record that Compare and SuggestPeers use, so it never changes again.

// FAILED_PRECONDITION (reason ASSESSMENT_VALIDATED) once the assessment is VALIDATED.
absl::Status CheckAssessmentEditable(const v1::Assessment& assessment);

// FAILED_PRECONDITION (reason FRAMEWORK_NOT_PUBLISHED) unless the framework is PUBLISHED:
// only an immutable framework can anchor responses that must stay valid.
absl::Status CheckFrameworkUsable(const v1::Framework& framework);

// DRAFT -> SUBMITTED, stamping submit_time with `now`. FAILED_PRECONDITION when the
// assessment is not a DRAFT (ASSESSMENT_NOT_DRAFT) or has no response (ASSESSMENT_EMPTY).
absl::Status Submit(v1::Assessment& assessment, absl::Time now);

// SUBMITTED -> VALIDATED, stamping validate_time and validated_by. PERMISSION_DENIED unless
// the caller is ADMIN (checked first); FAILED_PRECONDITION when the assessment is not
// SUBMITTED (ASSESSMENT_NOT_SUBMITTED, or ASSESSMENT_VALIDATED when already validated).
absl::Status Validate(v1::Assessment& assessment, const identity::Caller& caller, absl::Time now);

// Sets a protobuf Timestamp from an absl::Time.
void SetTimestamp(absl::Time time, google::protobuf::Timestamp* out);

}  // namespace metrocap::assessment
