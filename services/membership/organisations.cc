// Organisations: the network's members and everyone else it deals with. Reads go through
// the organisations cache; every committed write invalidates the organisation it changed.
#include "common/identity/access.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/membership/core/access.h"
#include "services/membership/core/organisations.h"
#include "services/membership/core/validation.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"

namespace metrocap::membership {
namespace {

using google::protobuf::Empty;
using identity::RequireAdmin;
using identity::RequireWriteFor;

}  // namespace

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
        const std::vector<std::string>& writable = OrganisationWritableFields(call.caller);
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
                    RETURN_IF_ERROR(RefuseParentCycle(
                        name, current.parent(),
                        [&](const std::string& organisation) -> absl::StatusOr<std::string> {
                          ASSIGN_OR_RETURN(v1::Organisation up,
                                           resource::Get<v1::Organisation>(
                                               tx, schemas_.organisations, organisation));
                          return up.parent();
                        }));
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
                                   CountReferences(tx, schemas_.organisations, "parent", name));
                  ASSIGN_OR_RETURN(int64_t seats, CountReferences(tx, schemas_.board_seats,
                                                                  "organisation", name));
                  RETURN_IF_ERROR(CheckOrganisationUnused(name, children, seats));
                  RETURN_IF_ERROR(
                      tx.Delete(schemas_.organisations, name, *store::ParseEtag(current.etag())));
                  return Empty();
                }));
        OrganisationChanged(name);
        return absl::OkStatus();
      });
}

}  // namespace metrocap::membership
