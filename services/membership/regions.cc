// Regions: the world regions members belong to. ADMIN-only writes; a region with members
// or board seats cannot be deleted.
#include "common/status/status_macros.h"
#include "services/membership/core/organisations.h"
#include "services/membership/core/validation.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"

namespace metrocap::membership {

resource::Declaration<v1::Region> MembershipService::RegionDeclaration() const {
  resource::Declaration<v1::Region> d;
  d.collection = "regions";
  d.schema = &schemas_.regions;
  d.writable = resource::ForEveryCaller({"display_name"});
  d.validate = [](const v1::Region& region) { return ValidateRegion(region, "region."); };
  d.may_write = resource::AdminOnly("regions");
  d.before_delete = [this](const server::Call&, store::Transaction& tx,
                           const v1::Region& region) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t members,
                     CountReferences(tx, schemas_.organisations, "region", region.name()));
    ASSIGN_OR_RETURN(int64_t seats,
                     CountReferences(tx, schemas_.board_seats, "region", region.name()));
    return CheckRegionUnused(region.name(), members, seats);
  };
  return d;
}

grpc::Status MembershipService::GetRegion(grpc::ServerContext* context,
                                          const v1::GetRegionRequest* request,
                                          v1::Region* response) {
  return regions_.Get(context, request, response);
}

grpc::Status MembershipService::ListRegions(grpc::ServerContext* context,
                                            const v1::ListRegionsRequest* request,
                                            v1::ListRegionsResponse* response) {
  return regions_.List(context, request, response);
}

grpc::Status MembershipService::CreateRegion(grpc::ServerContext* context,
                                             const v1::CreateRegionRequest* request,
                                             v1::Region* response) {
  return regions_.Create(context, request, response);
}

grpc::Status MembershipService::UpdateRegion(grpc::ServerContext* context,
                                             const v1::UpdateRegionRequest* request,
                                             v1::Region* response) {
  return regions_.Update(context, request, response);
}

grpc::Status MembershipService::DeleteRegion(grpc::ServerContext* context,
                                             const v1::DeleteRegionRequest* request,
                                             google::protobuf::Empty* response) {
  return regions_.Delete(context, request, response);
}

}  // namespace metrocap::membership
