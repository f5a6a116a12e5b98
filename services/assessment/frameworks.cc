// AssessmentService: frameworks. Anyone authenticated reads them; only an ADMIN writes,
// and only while a framework is a DRAFT. Writes invalidate the shared frameworks cache,
// through which other services (roadmaps) read them.
#include "common/cache/names.h"
#include "services/assessment/core/framework.h"
#include "services/assessment/core/lifecycle.h"
#include "services/assessment/service.h"

namespace metrocap::assessment {

resource::Declaration<v1::Framework> AssessmentService::FrameworkDeclaration() const {
  resource::Declaration<v1::Framework> d;
  d.collection = "frameworks";
  d.schema = &schemas_.frameworks;
  d.writable = resource::ForEveryCaller({"display_name", "version", "description", "scale_min",
                                         "scale_max", "need_threshold", "potential_threshold",
                                         "capacities", "dimensions"});
  d.validate = [](const v1::Framework& f) { return ValidateFramework(f, "framework"); };
  d.may_write = resource::AdminOnly("frameworks");
  d.invalidates = {cache::kFrameworksCache};
  // The output-only fields are already cleared (the proto's field_behavior); a new
  // framework starts as a DRAFT.
  d.prepare = [](const server::Call&, v1::Framework& f) {
    f.set_state(v1::Framework::DRAFT);
    return absl::OkStatus();
  };
  // Only drafts change or go, and no assessment uses a draft (CheckFrameworkUsable).
  d.before_update = [](const server::Call&, store::Transaction&, const v1::Framework& current) {
    return CheckFrameworkEditable(current);
  };
  d.before_delete = d.before_update;
  return d;
}

grpc::Status AssessmentService::GetFramework(grpc::ServerContext* context,
                                             const v1::GetFrameworkRequest* request,
                                             v1::Framework* response) {
  return frameworks_.Get(context, request, response);
}

grpc::Status AssessmentService::ListFrameworks(grpc::ServerContext* context,
                                               const v1::ListFrameworksRequest* request,
                                               v1::ListFrameworksResponse* response) {
  return frameworks_.List(context, request, response);
}

grpc::Status AssessmentService::CreateFramework(grpc::ServerContext* context,
                                                const v1::CreateFrameworkRequest* request,
                                                v1::Framework* response) {
  return frameworks_.Create(context, request, response);
}

grpc::Status AssessmentService::UpdateFramework(grpc::ServerContext* context,
                                                const v1::UpdateFrameworkRequest* request,
                                                v1::Framework* response) {
  return frameworks_.Update(context, request, response);
}

grpc::Status AssessmentService::DeleteFramework(grpc::ServerContext* context,
                                                const v1::DeleteFrameworkRequest* request,
                                                google::protobuf::Empty* response) {
  return frameworks_.Delete(context, request, response);
}

grpc::Status AssessmentService::PublishFramework(grpc::ServerContext* context,
                                                 const v1::PublishFrameworkRequest* request,
                                                 v1::Framework* response) {
  return frameworks_.Transition(context, request, response,
                                [&](const server::Call&, v1::Framework& framework) {
                                  RETURN_IF_ERROR(Publish(framework));
                                  SetTimestamp(clock_(), framework.mutable_publish_time());
                                  return absl::OkStatus();
                                });
}

}  // namespace metrocap::assessment
