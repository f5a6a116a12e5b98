// Regions: the world regions members belong to. ADMIN-only writes; a region with members
// or board seats cannot be deleted.
#include "common/identity/access.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/status_macros.h"
#include "services/membership/core/organisations.h"
#include "services/membership/core/validation.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"

namespace metrocap::membership {
namespace {

using google::protobuf::Empty;
using identity::RequireAdmin;

const std::vector<std::string> kRegionWritable = {"display_name"};

}  // namespace

grpc::Status MembershipService::GetRegion(grpc::ServerContext* context,
                                          const v1::GetRegionRequest* request,
                                          v1::Region* response) {
  return server::Serve(env_, context, "GetRegion", [&](const server::Call&) -> absl::Status {
    RETURN_IF_ERROR(resource::CheckName("name", request->name(), "regions"));
    ASSIGN_OR_RETURN(*response,
                     resource::Load<v1::Region>(*store_, schemas_.regions, request->name()));
    return absl::OkStatus();
  });
}

grpc::Status MembershipService::ListRegions(grpc::ServerContext* context,
                                            const v1::ListRegionsRequest* request,
                                            v1::ListRegionsResponse* response) {
  return server::Serve(env_, context, "ListRegions", [&](const server::Call& call) {
    return resource::ListInto(*store_, schemas_.regions, resource::ParamsOf(*request), {},
                              page_token_key_, call.caller.principal, response->mutable_regions(),
                              response);
  });
}

grpc::Status MembershipService::CreateRegion(grpc::ServerContext* context,
                                             const v1::CreateRegionRequest* request,
                                             v1::Region* response) {
  return server::Serve(
      env_, context, "CreateRegion", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "create regions"));
        RETURN_IF_ERROR(ValidateRegion(request->region(), "region."));
        ASSIGN_OR_RETURN(std::string id, resource::IdForCreate("regionId", request->region_id(),
                                                               request->region().display_name()));
        ASSIGN_OR_RETURN(*response, resource::WriteOnce<v1::Region>(
                                        *store_, call, "CreateRegion", *request,
                                        request->request_id(), [&](store::Transaction& tx) {
                                          return resource::Insert(tx, schemas_.regions,
                                                                  "regions/" + id,
                                                                  request->region());
                                        }));
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::UpdateRegion(grpc::ServerContext* context,
                                             const v1::UpdateRegionRequest* request,
                                             v1::Region* response) {
  return server::Serve(
      env_, context, "UpdateRegion", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "update regions"));
        const std::string& name = request->region().name();
        RETURN_IF_ERROR(resource::CheckName("region.name", name, "regions"));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::Region>(
                *store_, call, "UpdateRegion", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::Region> {
                  ASSIGN_OR_RETURN(v1::Region current,
                                   resource::Get<v1::Region>(tx, schemas_.regions, name));
                  RETURN_IF_ERROR(
                      resource::CheckEtag(request->region().etag(), current.etag(), name));
                  RETURN_IF_ERROR(resource::ApplyUpdateMask(
                      request->region(), request->update_mask(), kRegionWritable, &current));
                  RETURN_IF_ERROR(ValidateRegion(current, "region."));
                  return resource::Replace(tx, schemas_.regions, current);
                }));
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::DeleteRegion(grpc::ServerContext* context,
                                             const v1::DeleteRegionRequest* request,
                                             Empty* response) {
  return server::Serve(
      env_, context, "DeleteRegion", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "delete regions"));
        const std::string& name = request->name();
        RETURN_IF_ERROR(resource::CheckName("name", name, "regions"));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<Empty>(
                *store_, call, "DeleteRegion", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<Empty> {
                  ASSIGN_OR_RETURN(v1::Region current,
                                   resource::Get<v1::Region>(tx, schemas_.regions, name));
                  RETURN_IF_ERROR(resource::CheckEtag(request->etag(), current.etag(), name));
                  ASSIGN_OR_RETURN(int64_t members,
                                   CountReferences(tx, schemas_.organisations, "region", name));
                  ASSIGN_OR_RETURN(int64_t seats,
                                   CountReferences(tx, schemas_.board_seats, "region", name));
                  RETURN_IF_ERROR(CheckRegionUnused(name, members, seats));
                  RETURN_IF_ERROR(
                      tx.Delete(schemas_.regions, name, *store::ParseEtag(current.etag())));
                  return Empty();
                }));
        return absl::OkStatus();
      });
}

}  // namespace metrocap::membership
