#include "services/membership/service.h"

#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/status_macros.h"
#include "services/membership/access.h"
#include "services/membership/core/rules.h"

namespace metrocap::membership {
namespace {

using google::protobuf::Empty;

const std::vector<std::string> kRegionWritable = {"display_name"};
// What a PARTNER granted an organisation may change; membership state and date follow
// the board's decisions and only an ADMIN sets them.
const std::vector<std::string> kOrganisationPartnerWritable = {
    "display_name", "kind",   "country_code", "region",
    "population",   "parent", "website",      "description"};
const std::vector<std::string> kOrganisationAdminWritable = {
    "display_name", "kind",    "country_code", "region",           "population",
    "parent",       "website", "description",  "membership_state", "member_since"};

// INVALID_ARGUMENT when making `parent` the parent of `name` would close a loop.
absl::Status RefuseParentCycle(store::Transaction& tx, const std::string& name,
                               std::string parent) {
  const store::ResourceSchema& organisations = MembershipSchemas().organisations;
  for (int depth = 0; !parent.empty() && depth < 64; ++depth) {
    if (parent == name) {
      return InvalidField("organisation.parent",
                          absl::StrCat(name, " is already an ancestor of that parent"));
    }
    absl::StatusOr<v1::Organisation> up =
        resource::Get<v1::Organisation>(tx, organisations, parent);
    if (!up.ok()) return absl::IsNotFound(up.status()) ? absl::OkStatus() : up.status();
    parent = up->parent();
  }
  return absl::OkStatus();
}

query::Condition Equals(absl::string_view column, absl::string_view value) {
  return query::Condition{std::string(column) + " = ?", {std::string(value)}};
}

}  // namespace

// Regions.

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
                                   tx.Count(schemas_.organisations, "", Equals("region", name)));
                  ASSIGN_OR_RETURN(int64_t seats,
                                   tx.Count(schemas_.board_seats, "", Equals("region", name)));
                  if (members + seats > 0) {
                    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                                          name, " still has ", members, " organisations and ",
                                          seats, " board seats")),
                                      "REGION_IN_USE");
                  }
                  RETURN_IF_ERROR(
                      tx.Delete(schemas_.regions, name, *store::ParseEtag(current.etag())));
                  return Empty();
                }));
        return absl::OkStatus();
      });
}

// Organisations.

grpc::Status MembershipService::GetOrganisation(grpc::ServerContext* context,
                                                const v1::GetOrganisationRequest* request,
                                                v1::Organisation* response) {
  return server::Serve(
      env_, context, "GetOrganisation", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(resource::CheckName("name", request->name(), "organisations"));
        ASSIGN_OR_RETURN(v1::Organisation organisation, ReadOrganisation(request->name()));
        RETURN_IF_ERROR(RequireMayRead(call.caller, organisation));
        *response = std::move(organisation);
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::ListOrganisations(grpc::ServerContext* context,
                                                  const v1::ListOrganisationsRequest* request,
                                                  v1::ListOrganisationsResponse* response) {
  return server::Serve(env_, context, "ListOrganisations", [&](const server::Call& call) {
    return resource::ListInto(*store_, schemas_.organisations, resource::ParamsOf(*request), {},
                              page_token_key_, call.caller.principal,
                              response->mutable_organisations(), response);
  });
}

grpc::Status MembershipService::CreateOrganisation(grpc::ServerContext* context,
                                                   const v1::CreateOrganisationRequest* request,
                                                   v1::Organisation* response) {
  return server::Serve(
      env_, context, "CreateOrganisation", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "create organisations"));
        v1::Organisation organisation = request->organisation();
        if (organisation.membership_state() == v1::Organisation::MEMBERSHIP_STATE_UNSPECIFIED) {
          organisation.set_membership_state(v1::Organisation::NON_MEMBER);
        }
        RETURN_IF_ERROR(ValidateOrganisation(organisation, "organisation."));
        ASSIGN_OR_RETURN(std::string id,
                         resource::IdForCreate("organisationId", request->organisation_id(),
                                               organisation.display_name()));
        std::string name = "organisations/" + id;
        if (organisation.parent() == name) {
          return InvalidField("organisation.parent", "an organisation cannot be its own parent");
        }
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::Organisation>(
                *store_, call, "CreateOrganisation", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::Organisation> {
                  RETURN_IF_ERROR(RequireExists(tx, schemas_.regions, "organisation.region",
                                                organisation.region()));
                  if (!organisation.parent().empty()) {
                    RETURN_IF_ERROR(RequireExists(tx, schemas_.organisations, "organisation.parent",
                                                  organisation.parent()));
                  }
                  return resource::Insert(tx, schemas_.organisations, name, organisation);
                }));
        OrganisationChanged(name);
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::UpdateOrganisation(grpc::ServerContext* context,
                                                   const v1::UpdateOrganisationRequest* request,
                                                   v1::Organisation* response) {
  return server::Serve(
      env_, context, "UpdateOrganisation", [&](const server::Call& call) -> absl::Status {
        const std::string& name = request->organisation().name();
        RETURN_IF_ERROR(resource::CheckName("organisation.name", name, "organisations"));
        RETURN_IF_ERROR(RequireWriteFor(call.caller, name));
        const std::vector<std::string>& writable =
            call.caller.IsAdmin() ? kOrganisationAdminWritable : kOrganisationPartnerWritable;
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::Organisation>(
                *store_, call, "UpdateOrganisation", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::Organisation> {
                  ASSIGN_OR_RETURN(v1::Organisation current, resource::Get<v1::Organisation>(
                                                                 tx, schemas_.organisations, name));
                  RETURN_IF_ERROR(
                      resource::CheckEtag(request->organisation().etag(), current.etag(), name));
                  std::string old_region = current.region();
                  std::string old_parent = current.parent();
                  RETURN_IF_ERROR(resource::ApplyUpdateMask(
                      request->organisation(), request->update_mask(), writable, &current));
                  RETURN_IF_ERROR(ValidateOrganisation(current, "organisation."));
                  if (current.region() != old_region) {
                    RETURN_IF_ERROR(RequireExists(tx, schemas_.regions, "organisation.region",
                                                  current.region()));
                  }
                  if (!current.parent().empty() && current.parent() != old_parent) {
                    RETURN_IF_ERROR(RequireExists(tx, schemas_.organisations, "organisation.parent",
                                                  current.parent()));
                    RETURN_IF_ERROR(RefuseParentCycle(tx, name, current.parent()));
                  }
                  return resource::Replace(tx, schemas_.organisations, current);
                }));
        OrganisationChanged(name);
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::DeleteOrganisation(grpc::ServerContext* context,
                                                   const v1::DeleteOrganisationRequest* request,
                                                   Empty* response) {
  return server::Serve(
      env_, context, "DeleteOrganisation", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "delete organisations"));
        const std::string& name = request->name();
        RETURN_IF_ERROR(resource::CheckName("name", name, "organisations"));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<Empty>(
                *store_, call, "DeleteOrganisation", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<Empty> {
                  ASSIGN_OR_RETURN(v1::Organisation current, resource::Get<v1::Organisation>(
                                                                 tx, schemas_.organisations, name));
                  RETURN_IF_ERROR(resource::CheckEtag(request->etag(), current.etag(), name));
                  ASSIGN_OR_RETURN(int64_t children,
                                   tx.Count(schemas_.organisations, "", Equals("parent", name)));
                  ASSIGN_OR_RETURN(int64_t seats, tx.Count(schemas_.board_seats, "",
                                                           Equals("organisation", name)));
                  if (children + seats > 0) {
                    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                                          name, " still holds ", children, " organisations and ",
                                          seats, " board seats")),
                                      "ORGANISATION_IN_USE");
                  }
                  RETURN_IF_ERROR(
                      tx.Delete(schemas_.organisations, name, *store::ParseEtag(current.etag())));
                  return Empty();
                }));
        OrganisationChanged(name);
        return absl::OkStatus();
      });
}

}  // namespace metrocap::membership
