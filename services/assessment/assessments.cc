// AssessmentService: assessments and their state machine. Reads follow each assessment's
// visibility; writes need ADMIN or a PARTNER granted the organisation; :validate needs ADMIN.
#include "absl/strings/str_cat.h"
#include "common/identity/access.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/assessment/core/access.h"
#include "services/assessment/core/assessment_rules.h"
#include "services/assessment/core/lifecycle.h"
#include "services/assessment/core/profile.h"
#include "services/assessment/names.h"
#include "services/assessment/service.h"

namespace metrocap::assessment {
namespace {

using google::protobuf::Empty;

const std::vector<std::string> kAssessmentWritable = {"display_name", "framework", "period_start",
                                                      "period_end",   "methods",   "visibility",
                                                      "responses"};

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

// Clears what callers cannot set.
void ClearOutputOnly(v1::Assessment& assessment) {
  assessment.set_state(v1::Assessment::DRAFT);
  assessment.clear_organisation();
  assessment.clear_profile();
  assessment.clear_submit_time();
  assessment.clear_validate_time();
  assessment.clear_validated_by();
}

}  // namespace

absl::StatusOr<v1::Assessment> AssessmentService::LoadReadable(const server::Call& call,
                                                               const std::string& name) {
  absl::StatusOr<v1::Assessment> assessment =
      resource::Load<v1::Assessment>(*store_, schemas_.assessments, name);
  if (assessment.ok() && !MayRead(call.caller, *assessment)) {
    return absl::NotFoundError(absl::StrCat(name, " does not exist"));
  }
  return assessment;
}

grpc::Status AssessmentService::GetAssessment(grpc::ServerContext* context,
                                              const v1::GetAssessmentRequest* request,
                                              v1::Assessment* response) {
  return server::Serve(env_, context, "GetAssessment",
                       [&](const server::Call& call) -> absl::Status {
                         RETURN_IF_ERROR(CheckAssessmentName("name", request->name()));
                         ASSIGN_OR_RETURN(*response, LoadReadable(call, request->name()));
                         return absl::OkStatus();
                       });
}

grpc::Status AssessmentService::ListAssessments(grpc::ServerContext* context,
                                                const v1::ListAssessmentsRequest* request,
                                                v1::ListAssessmentsResponse* response) {
  return server::Serve(
      env_, context, "ListAssessments", [&](const server::Call& call) -> absl::Status {
        resource::ListParams params = resource::ParamsOf(*request);
        if (request->parent() != "organisations/-") {
          RETURN_IF_ERROR(resource::CheckName("parent", request->parent(), "organisations"));
          params.parent = request->parent();
        }
        return resource::ListInto(*store_, schemas_.assessments, params, ReadableBy(call.caller),
                                  page_token_key_, call.caller.principal,
                                  response->mutable_assessments(), response);
      });
}

grpc::Status AssessmentService::CreateAssessment(grpc::ServerContext* context,
                                                 const v1::CreateAssessmentRequest* request,
                                                 v1::Assessment* response) {
  return server::Serve(
      env_, context, "CreateAssessment", [&](const server::Call& call) -> absl::Status {
        const std::string& parent = request->parent();
        RETURN_IF_ERROR(resource::CheckName("parent", parent, "organisations"));
        RETURN_IF_ERROR(identity::RequireWriteFor(call.caller, parent));
        v1::Assessment assessment = request->assessment();
        ClearOutputOnly(assessment);
        ASSIGN_OR_RETURN(std::string id,
                         resource::IdForCreate("assessmentId", request->assessment_id(),
                                               assessment.display_name()));
        const std::string name = absl::StrCat(parent, "/assessments/", id);
        assessment.set_name(name);
        {
          // Everything that can be checked locally is, before membership is asked: a bad
          // request fails fast and costs no remote call.
          ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                           store_->Begin(store::Store::Access::kReadOnly));
          RETURN_IF_ERROR(Prepare(*tx, schemas_, assessment));
        }
        // Outside any write transaction, so no lock is held while waiting on the network; when
        // membership cannot answer, nothing has been written.
        RETURN_IF_ERROR(organisations_->CheckExists(call, parent));
        ASSIGN_OR_RETURN(*response, resource::WriteOnce<v1::Assessment>(
                                        *store_, call, "CreateAssessment", *request,
                                        request->request_id(), [&](store::Transaction& tx) {
                                          // A published framework never changes, so the profile
                                          // computed above still holds.
                                          return resource::Insert(tx, schemas_.assessments, name,
                                                                  assessment);
                                        }));
        return absl::OkStatus();
      });
}

grpc::Status AssessmentService::UpdateAssessment(grpc::ServerContext* context,
                                                 const v1::UpdateAssessmentRequest* request,
                                                 v1::Assessment* response) {
  return server::Serve(
      env_, context, "UpdateAssessment", [&](const server::Call& call) -> absl::Status {
        const std::string& name = request->assessment().name();
        RETURN_IF_ERROR(CheckAssessmentName("assessment.name", name));
        RETURN_IF_ERROR(identity::RequireWriteFor(call.caller, OrganisationOf(name)));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::Assessment>(
                *store_, call, "UpdateAssessment", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::Assessment> {
                  ASSIGN_OR_RETURN(v1::Assessment current,
                                   resource::Get<v1::Assessment>(tx, schemas_.assessments, name));
                  RETURN_IF_ERROR(
                      resource::CheckEtag(request->assessment().etag(), current.etag(), name));
                  RETURN_IF_ERROR(CheckAssessmentEditable(current));
                  RETURN_IF_ERROR(resource::ApplyUpdateMask(request->assessment(),
                                                            request->update_mask(),
                                                            kAssessmentWritable, &current));
                  RETURN_IF_ERROR(Prepare(tx, schemas_, current));
                  return resource::Replace(tx, schemas_.assessments, current);
                }));
        return absl::OkStatus();
      });
}

grpc::Status AssessmentService::DeleteAssessment(grpc::ServerContext* context,
                                                 const v1::DeleteAssessmentRequest* request,
                                                 Empty* response) {
  return server::Serve(
      env_, context, "DeleteAssessment", [&](const server::Call& call) -> absl::Status {
        const std::string& name = request->name();
        RETURN_IF_ERROR(CheckAssessmentName("name", name));
        RETURN_IF_ERROR(identity::RequireWriteFor(call.caller, OrganisationOf(name)));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<Empty>(
                *store_, call, "DeleteAssessment", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<Empty> {
                  ASSIGN_OR_RETURN(v1::Assessment current,
                                   resource::Get<v1::Assessment>(tx, schemas_.assessments, name));
                  RETURN_IF_ERROR(resource::CheckEtag(request->etag(), current.etag(), name));
                  RETURN_IF_ERROR(CheckAssessmentEditable(current));
                  ASSIGN_OR_RETURN(int64_t version, store::ParseEtag(current.etag()));
                  RETURN_IF_ERROR(tx.Delete(schemas_.assessments, name, version));
                  return Empty();
                }));
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Assessment> AssessmentService::Transition(
    const server::Call& call, absl::string_view method, const google::protobuf::Message& request,
    const std::string& name, const std::string& etag, const std::string& request_id,
    const std::function<absl::Status(v1::Assessment&)>& transition) {
  return resource::WriteOnce<v1::Assessment>(
      *store_, call, method, request, request_id,
      [&](store::Transaction& tx) -> absl::StatusOr<v1::Assessment> {
        ASSIGN_OR_RETURN(v1::Assessment current,
                         resource::Get<v1::Assessment>(tx, schemas_.assessments, name));
        RETURN_IF_ERROR(resource::CheckEtag(etag, current.etag(), name));
        RETURN_IF_ERROR(transition(current));
        return resource::Replace(tx, schemas_.assessments, current);
      });
}

grpc::Status AssessmentService::SubmitAssessment(grpc::ServerContext* context,
                                                 const v1::SubmitAssessmentRequest* request,
                                                 v1::Assessment* response) {
  return server::Serve(
      env_, context, "SubmitAssessment", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(CheckAssessmentName("name", request->name()));
        RETURN_IF_ERROR(identity::RequireWriteFor(call.caller, OrganisationOf(request->name())));
        ASSIGN_OR_RETURN(*response,
                         Transition(call, "SubmitAssessment", *request, request->name(),
                                    request->etag(), request->request_id(),
                                    [&](v1::Assessment& a) { return Submit(a, clock_()); }));
        return absl::OkStatus();
      });
}

grpc::Status AssessmentService::ValidateAssessment(grpc::ServerContext* context,
                                                   const v1::ValidateAssessmentRequest* request,
                                                   v1::Assessment* response) {
  return server::Serve(
      env_, context, "ValidateAssessment", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(identity::RequireAdmin(call.caller, "validate assessments"));
        RETURN_IF_ERROR(CheckAssessmentName("name", request->name()));
        ASSIGN_OR_RETURN(*response,
                         Transition(call, "ValidateAssessment", *request, request->name(),
                                    request->etag(), request->request_id(), [&](v1::Assessment& a) {
                                      return Validate(a, call.caller, clock_());
                                    }));
        return absl::OkStatus();
      });
}

}  // namespace metrocap::assessment
