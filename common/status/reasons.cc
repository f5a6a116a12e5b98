#include "common/status/reasons.h"

namespace metrocap {
namespace {

using absl::StatusCode;

}  // namespace

const std::vector<ErrorReason>& ErrorReasons() {
  static const auto* reasons = new std::vector<ErrorReason>{
      // Any service.
      {"ETAG_MISMATCH", StatusCode::kAborted,
       "The etag sent with an update, delete or custom method is not the resource's current "
       "one: someone changed it since it was read.",
       "Read the resource again, reapply the change to what it is now, and retry with the new "
       "etag."},
      {"REQUEST_ID_REUSED", StatusCode::kAlreadyExists,
       "The requestId was already used by this caller within 24 hours for a different "
       "request.",
       "Use a new requestId (a fresh UUID) for every distinct write; reuse one only to retry "
       "the very same request."},
      {"ADMIN_REQUIRED", StatusCode::kPermissionDenied, "The method needs an ADMIN caller.",
       "Call it with an ADMIN key, or ask an administrator."},
      {"NOT_GRANTED", StatusCode::kPermissionDenied,
       "The caller may not write for that organisation: it is not an ADMIN, nor a PARTNER "
       "granted the organisation.",
       "Ask an administrator to grant your partner the organisation, or use a key that has it."},
      {"NOT_ALLOWED", StatusCode::kPermissionDenied,
       "The caller's role may not read this resource.", "Use a key with a role that may read it."},
      {"NOT_SELF", StatusCode::kPermissionDenied,
       "A partner may only see and manage itself and its own API keys.",
       "Name your own partner, or call as an ADMIN."},
      // Membership.
      {"REGION_IN_USE", StatusCode::kFailedPrecondition,
       "The region still has organisations or board seats and cannot be deleted.",
       "Move or delete what refers to the region first; the message counts it."},
      {"ORGANISATION_IN_USE", StatusCode::kFailedPrecondition,
       "The organisation is still referred to (child organisations, board seats, applications, "
       "partners as their organisation or in their grants) and cannot be deleted.",
       "Delete or change what refers to it first; the message counts each kind."},
      {"ALREADY_MEMBER", StatusCode::kFailedPrecondition,
       "The applicant is already an ACTIVE member.", "Do not apply again; nothing to do."},
      {"APPLICATION_OPEN", StatusCode::kFailedPrecondition,
       "The applicant already has an application waiting (SUBMITTED or FORM_SIGNED).",
       "Follow the open application instead of making a new one."},
      {"INVALID_STATE_TRANSITION", StatusCode::kFailedPrecondition,
       "The application's state does not allow that step (e.g. ratify before the form is "
       "signed, or any step after a decision).",
       "Read the application and take the step its state allows."},
      {"QUORUM_NOT_MET", StatusCode::kFailedPrecondition,
       "votesFor is not more than half of the voting board seats active on the decision date.",
       "Check the decision date and the votes; ratify only with a majority of the active board."},
      // Assessment.
      {"FRAMEWORK_PUBLISHED", StatusCode::kFailedPrecondition,
       "The framework is published and immutable (or already published).",
       "Create a new framework version instead of changing this one."},
      {"FRAMEWORK_INCOMPLETE", StatusCode::kFailedPrecondition,
       "The framework has a capacity without indicators (or no capacity) and cannot be "
       "published.",
       "Complete the framework, then publish it."},
      {"FRAMEWORK_NOT_PUBLISHED", StatusCode::kFailedPrecondition,
       "Assessments can only use a published framework.", "Publish the framework first."},
      {"ASSESSMENT_VALIDATED", StatusCode::kFailedPrecondition,
       "The assessment is validated and can no longer change.",
       "Create a new assessment for a new period."},
      {"ASSESSMENT_NOT_DRAFT", StatusCode::kFailedPrecondition,
       "Only a DRAFT assessment can be submitted.", "Read its state; it may already be submitted."},
      {"ASSESSMENT_EMPTY", StatusCode::kFailedPrecondition,
       "An assessment without responses cannot be submitted.", "Add responses, then submit."},
      {"ASSESSMENT_NOT_SUBMITTED", StatusCode::kFailedPrecondition,
       "Only a SUBMITTED assessment can be validated.", "Submit it first."},
      // Calls between services.
      {"ORGANISATION_NOT_FOUND", StatusCode::kNotFound,
       "The organisation named does not exist in membership.",
       "Create the organisation in membership first, or correct the name."},
      {"MEMBERSHIP_UNAVAILABLE", StatusCode::kUnavailable,
       "The membership service could not confirm the organisation in time; nothing was "
       "written.",
       "Retry with backoff, with the same requestId."},
      {"FRAMEWORK_NOT_FOUND", StatusCode::kNotFound,
       "The framework named (e.g. a roadmap's) does not exist in assessment.",
       "Correct the framework name; list frameworks to find it."},
      {"ASSESSMENT_UNAVAILABLE", StatusCode::kUnavailable,
       "The assessment service could not confirm the framework in time; nothing was written.",
       "Retry with backoff, with the same requestId."},
      {"PLAN_NOT_FOUND", StatusCode::kNotFound,
       "The plan named (e.g. a session's) does not exist in roadmaps.",
       "Correct the plan name; list plans to find it."},
      {"TAXONOMY_NOT_FOUND", StatusCode::kNotFound,
       "The taxonomy named does not exist in roadmaps.", "Correct the taxonomy name."},
      {"ROADMAPS_UNAVAILABLE", StatusCode::kUnavailable,
       "The roadmaps service could not confirm a plan, taxonomy or code in time; nothing was "
       "written.",
       "Retry with backoff, with the same requestId."},
      // Roadmaps.
      {"PLAN_CODE_NOT_FOUND", StatusCode::kNotFound,
       "The plan has no action line, action or deliverable with that code.",
       "Check the code against the plan (GET /v1/plans/{plan}); codes look like L1, L1A2, "
       "L1A2D4."},
      {"TAXONOMY_CODE_NOT_FOUND", StatusCode::kNotFound,
       "The taxonomy has no theme or challenge with that code.",
       "Check the code against the taxonomy; codes look like 2 or 2.3."},
      {"PLAN_IN_USE", StatusCode::kFailedPrecondition,
       "Roadmaps still name the plan, so it cannot be deleted.",
       "Point those roadmaps at another plan (or delete them) first; the message counts them."},
      {"TAXONOMY_IN_USE", StatusCode::kFailedPrecondition,
       "Plans still name the taxonomy, so it cannot be deleted.",
       "Point those plans at another taxonomy first; the message counts them."},
      {"PROPOSAL_DECIDED", StatusCode::kAborted,
       "The revision proposal was already accepted or declined; a decided proposal never "
       "changes.",
       "Read the proposal to see its decision; nothing to retry."},
      {"ROADMAP_NOT_FOUND", StatusCode::kNotFound,
       "A revision proposal names a roadmap that does not exist.",
       "Correct the roadmap name (organisations/{organisation}/roadmaps/{roadmap})."},
      // Generic: an error without a more specific reason carries its status code's name.
      {"INVALID_ARGUMENT", StatusCode::kInvalidArgument,
       "A field of the request is malformed; BadRequest field violations name each field.",
       "Correct the named fields; do not retry unchanged."},
      {"FAILED_PRECONDITION", StatusCode::kFailedPrecondition,
       "The request is well formed but the system is not in a state that allows it.",
       "Read the resource, then act on its current state."},
      {"OUT_OF_RANGE", StatusCode::kOutOfRange, "A value is outside the range allowed.",
       "Correct the value."},
      {"UNAUTHENTICATED", StatusCode::kUnauthenticated, "No API key, or an unknown or revoked one.",
       "Send a valid key as 'Authorization: Bearer'."},
      {"PERMISSION_DENIED", StatusCode::kPermissionDenied,
       "The caller is known but may not do this.", "Use a key whose role and grants allow it."},
      {"NOT_FOUND", StatusCode::kNotFound,
       "The resource does not exist, or the caller may not see it.",
       "Check the name; list the collection to find it."},
      {"ALREADY_EXISTS", StatusCode::kAlreadyExists, "A resource with that name already exists.",
       "Choose another ID, or read the existing resource."},
      {"ABORTED", StatusCode::kAborted,
       "The write conflicted with a concurrent one and was not applied.",
       "Retry the whole read-modify-write with the same requestId."},
      {"RESOURCE_EXHAUSTED", StatusCode::kResourceExhausted,
       "The partner's rate limit is exceeded (REST answers 429 with Retry-After), or a message "
       "is too large.",
       "Wait for Retry-After, then retry; send smaller requests."},
      {"CANCELLED", StatusCode::kCancelled, "The client cancelled the call.",
       "Nothing to do; the write may or may not have happened: retry with the same requestId."},
      {"DEADLINE_EXCEEDED", StatusCode::kDeadlineExceeded,
       "The call did not finish within its deadline.",
       "Retry with the same requestId; a write may have happened."},
      {"UNAVAILABLE", StatusCode::kUnavailable,
       "A service or its store is down or draining for a moment.",
       "Retry with exponential backoff and the same requestId."},
      {"UNIMPLEMENTED", StatusCode::kUnimplemented, "The method or route does not exist.",
       "Check the path and method against GET /v1/openapi.json."},
      {"INTERNAL", StatusCode::kInternal, "A bug or a broken invariant on the server side.",
       "Report it with the X-Request-Id; retrying rarely helps."},
      {"UNKNOWN", StatusCode::kUnknown, "An error that could not be classified.",
       "Report it with the X-Request-Id."},
  };
  return *reasons;
}

const ErrorReason* FindErrorReason(absl::string_view reason) {
  for (const ErrorReason& entry : ErrorReasons()) {
    if (entry.reason == reason) return &entry;
  }
  return nullptr;
}

}  // namespace metrocap
