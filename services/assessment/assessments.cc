// AssessmentService: assessments and their state machine. Reads follow each assessment's
// visibility; writes need ADMIN or a PARTNER granted the organisation; :validate needs ADMIN.
#include "absl/strings/str_cat.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/assessment/core/access.h"
#include "services/assessment/core/assessment_rules.h"
#include "services/assessment/core/lifecycle.h"
#include "services/assessment/core/profile.h"
#include "services/assessment/service.h"

namespace metrocap::assessment {
namespace {

// Checks `assessment` against its framework (which must exist and be published) and fills
// in what the service derives: organisation, default visibility and the profile.
absl::Status Prepare(store::Transaction& tx, const Schemas& schemas, v1::Assessment& assessment) {
  RETURN_IF_ERROR(
      resource::CheckName("assessment.framework", assessment.framework(), "frameworks"));
  absl::StatusOr<v1::Framework> framework =
      resource::Get<v1::Framework>(tx, schemas.frameworks, assessment.framework());
  if (absl::IsNotFound(framework.status())) {
    return InvalidField("assessment.framework",
                        absl::StrCat(assessment.framework(), " does not exist"));
  }
  RETURN_IF_ERROR(framework.status());
  RETURN_IF_ERROR(CheckFrameworkUsable(*framework));
  if (assessment.visibility() == v1::Assessment::VISIBILITY_UNSPECIFIED) {
    assessment.set_visibility(v1::Assessment::PRIVATE);
  }
  assessment.set_organisation(OrganisationOf(assessment.name()));
  FrameworkIndex index(*framework);
  RETURN_IF_ERROR(ValidateAssessment(assessment, index, "assessment"));
  *assessment.mutable_profile() = ComputeProfile(index, assessment.responses());
  return absl::OkStatus();
}

}  // namespace

resource::Declaration<v1::Assessment> AssessmentService::AssessmentDeclaration() const {
  resource::Declaration<v1::Assessment> d;
  d.collection = "organisations/{organisation}/assessments";
  d.list_across_parents = true;
  d.schema = &schemas_.assessments;
  d.writable = resource::ForEveryCaller({"display_name", "framework", "period_start", "period_end",
                                         "methods", "visibility", "responses"});
  // Private assessments do not reveal their existence: unreadable is NOT_FOUND.
  d.may_read = MayRead;
  d.readable_by = ReadableBy;
  d.may_write = resource::GrantedParent();
  // The output-only fields are already cleared (the proto's field_behavior); a new
  // assessment starts as a DRAFT.
  d.prepare = [](const server::Call&, v1::Assessment& assessment) {
    assessment.set_state(v1::Assessment::DRAFT);
    return absl::OkStatus();
  };
  // On Create, everything that can be checked locally is, before membership is asked: a bad
  // request fails fast and costs no remote call. A published framework never changes, so
  // the profile computed then still holds when the assessment is inserted.
  d.complete = [this](const server::Call&, store::Transaction& tx, v1::Assessment& assessment) {
    return Prepare(tx, schemas_, assessment);
  };
  d.check_outside = [this](const server::Call& call, const v1::Assessment& assessment) {
    return organisations_->CheckExists(call, assessment.organisation());
  };
  d.before_update = [](const server::Call&, store::Transaction&, const v1::Assessment& current) {
    return CheckAssessmentEditable(current);
  };
  d.before_delete = d.before_update;
  // A VALIDATED assessment's profile row commits with it (storage/schemas.h).
  d.also_write = [](const server::Call&, store::Transaction& tx, const v1::Assessment* before,
                    const v1::Assessment* after)
      -> absl::StatusOr<resource::Declaration<v1::Assessment>::AfterCommit> {
    RETURN_IF_ERROR(SyncProfileRow(tx, before, after));
    return nullptr;
  };
  return d;
}

grpc::Status AssessmentService::GetAssessment(grpc::ServerContext* context,
                                              const v1::GetAssessmentRequest* request,
                                              v1::Assessment* response) {
  return assessments_.Get(context, request, response);
}

grpc::Status AssessmentService::ListAssessments(grpc::ServerContext* context,
                                                const v1::ListAssessmentsRequest* request,
                                                v1::ListAssessmentsResponse* response) {
  return assessments_.List(context, request, response);
}

grpc::Status AssessmentService::CreateAssessment(grpc::ServerContext* context,
                                                 const v1::CreateAssessmentRequest* request,
                                                 v1::Assessment* response) {
  return assessments_.Create(context, request, response);
}

grpc::Status AssessmentService::UpdateAssessment(grpc::ServerContext* context,
                                                 const v1::UpdateAssessmentRequest* request,
                                                 v1::Assessment* response) {
  return assessments_.Update(context, request, response);
}

grpc::Status AssessmentService::DeleteAssessment(grpc::ServerContext* context,
                                                 const v1::DeleteAssessmentRequest* request,
                                                 google::protobuf::Empty* response) {
  return assessments_.Delete(context, request, response);
}

grpc::Status AssessmentService::SubmitAssessment(grpc::ServerContext* context,
                                                 const v1::SubmitAssessmentRequest* request,
                                                 v1::Assessment* response) {
  return assessments_.Transition(context, request, response,
                                 [&](const server::Call&, v1::Assessment& assessment) {
                                   return Submit(assessment, clock_());
                                 });
}

grpc::Status AssessmentService::ValidateAssessment(grpc::ServerContext* context,
                                                   const v1::ValidateAssessmentRequest* request,
                                                   v1::Assessment* response) {
  return assessments_.Transition(
      context, request, response,
      [&](const server::Call& call, v1::Assessment& assessment) {
        return Validate(assessment, call.caller, clock_());
      },
      resource::AdminOnly("assessments"));
}

}  // namespace metrocap::assessment
