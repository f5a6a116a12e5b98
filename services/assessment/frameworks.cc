// AssessmentService: frameworks. Anyone authenticated reads them; only an ADMIN writes,
// and only while a framework is a DRAFT.
#include "absl/strings/str_cat.h"
#include "common/identity/access.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/status_macros.h"
#include "services/assessment/core/access.h"
#include "services/assessment/core/framework.h"
#include "services/assessment/core/lifecycle.h"
#include "services/assessment/service.h"

namespace metrocap::assessment {
namespace {

using google::protobuf::Empty;

const std::vector<std::string> kFrameworkWritable = {
    "display_name",        "version",    "description", "scale_min", "scale_max", "need_threshold",
    "potential_threshold", "capacities", "dimensions"};

}  // namespace

AssessmentService::AssessmentService(server::CallEnv env, store::Store* store,
                                     OrganisationDirectory* organisations,
                                     std::string page_token_key, Clock clock)
    : env_(std::move(env)),
      store_(store),
      organisations_(organisations),
      page_token_key_(std::move(page_token_key)),
      clock_(std::move(clock)),
      schemas_(AssessmentSchemas()) {}

grpc::Status AssessmentService::GetFramework(grpc::ServerContext* context,
                                             const v1::GetFrameworkRequest* request,
                                             v1::Framework* response) {
  return server::Serve(env_, context, "GetFramework", [&](const server::Call&) -> absl::Status {
    RETURN_IF_ERROR(resource::CheckName("name", request->name(), "frameworks"));
    ASSIGN_OR_RETURN(*response,
                     resource::Load<v1::Framework>(*store_, schemas_.frameworks, request->name()));
    return absl::OkStatus();
  });
}

grpc::Status AssessmentService::ListFrameworks(grpc::ServerContext* context,
                                               const v1::ListFrameworksRequest* request,
                                               v1::ListFrameworksResponse* response) {
  return server::Serve(env_, context, "ListFrameworks", [&](const server::Call& call) {
    return resource::ListInto(*store_, schemas_.frameworks, resource::ParamsOf(*request), {},
                              page_token_key_, call.caller.principal,
                              response->mutable_frameworks(), response);
  });
}

grpc::Status AssessmentService::CreateFramework(grpc::ServerContext* context,
                                                const v1::CreateFrameworkRequest* request,
                                                v1::Framework* response) {
  return server::Serve(
      env_, context, "CreateFramework", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(identity::RequireAdmin(call.caller, "create frameworks"));
        v1::Framework framework = request->framework();
        framework.set_state(v1::Framework::DRAFT);
        framework.clear_publish_time();
        RETURN_IF_ERROR(ValidateFramework(framework, "framework"));
        ASSIGN_OR_RETURN(std::string id,
                         resource::IdForCreate("frameworkId", request->framework_id(),
                                               framework.display_name()));
        ASSIGN_OR_RETURN(*response, resource::WriteOnce<v1::Framework>(
                                        *store_, call, "CreateFramework", *request,
                                        request->request_id(), [&](store::Transaction& tx) {
                                          return resource::Insert(tx, schemas_.frameworks,
                                                                  "frameworks/" + id, framework);
                                        }));
        return absl::OkStatus();
      });
}

grpc::Status AssessmentService::UpdateFramework(grpc::ServerContext* context,
                                                const v1::UpdateFrameworkRequest* request,
                                                v1::Framework* response) {
  return server::Serve(
      env_, context, "UpdateFramework", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(identity::RequireAdmin(call.caller, "update frameworks"));
        const std::string& name = request->framework().name();
        RETURN_IF_ERROR(resource::CheckName("framework.name", name, "frameworks"));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::Framework>(
                *store_, call, "UpdateFramework", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::Framework> {
                  ASSIGN_OR_RETURN(v1::Framework current,
                                   resource::Get<v1::Framework>(tx, schemas_.frameworks, name));
                  RETURN_IF_ERROR(
                      resource::CheckEtag(request->framework().etag(), current.etag(), name));
                  RETURN_IF_ERROR(CheckFrameworkEditable(current));
                  RETURN_IF_ERROR(resource::ApplyUpdateMask(
                      request->framework(), request->update_mask(), kFrameworkWritable, &current));
                  RETURN_IF_ERROR(ValidateFramework(current, "framework"));
                  return resource::Replace(tx, schemas_.frameworks, current);
                }));
        return absl::OkStatus();
      });
}

grpc::Status AssessmentService::DeleteFramework(grpc::ServerContext* context,
                                                const v1::DeleteFrameworkRequest* request,
                                                Empty* response) {
  return server::Serve(
      env_, context, "DeleteFramework", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(identity::RequireAdmin(call.caller, "delete frameworks"));
        const std::string& name = request->name();
        RETURN_IF_ERROR(resource::CheckName("name", name, "frameworks"));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<Empty>(
                *store_, call, "DeleteFramework", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<Empty> {
                  ASSIGN_OR_RETURN(v1::Framework current,
                                   resource::Get<v1::Framework>(tx, schemas_.frameworks, name));
                  RETURN_IF_ERROR(resource::CheckEtag(request->etag(), current.etag(), name));
                  // Only drafts can go, and no assessment uses a draft (CheckFrameworkUsable).
                  RETURN_IF_ERROR(CheckFrameworkEditable(current));
                  ASSIGN_OR_RETURN(int64_t version, store::ParseEtag(current.etag()));
                  RETURN_IF_ERROR(tx.Delete(schemas_.frameworks, name, version));
                  return Empty();
                }));
        return absl::OkStatus();
      });
}

grpc::Status AssessmentService::PublishFramework(grpc::ServerContext* context,
                                                 const v1::PublishFrameworkRequest* request,
                                                 v1::Framework* response) {
  return server::Serve(
      env_, context, "PublishFramework", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(identity::RequireAdmin(call.caller, "publish frameworks"));
        const std::string& name = request->name();
        RETURN_IF_ERROR(resource::CheckName("name", name, "frameworks"));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::Framework>(
                *store_, call, "PublishFramework", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::Framework> {
                  ASSIGN_OR_RETURN(v1::Framework current,
                                   resource::Get<v1::Framework>(tx, schemas_.frameworks, name));
                  RETURN_IF_ERROR(resource::CheckEtag(request->etag(), current.etag(), name));
                  RETURN_IF_ERROR(Publish(current));
                  SetTimestamp(clock_(), current.mutable_publish_time());
                  return resource::Replace(tx, schemas_.frameworks, current);
                }));
        return absl::OkStatus();
      });
}

}  // namespace metrocap::assessment
