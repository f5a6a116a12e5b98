// Organisations: the network's members and everyone else it deals with. Anyone
// authenticated reads them, through the organisations cache; an ADMIN creates and deletes
// them; a PARTNER granted one may update it (not its membership state). Every committed
// write invalidates the organisation it changed.
#include "services/membership/core/organisations.h"

#include "common/cache/names.h"
#include "common/identity/access.h"
#include "common/resource/crud.h"
#include "common/status/status_macros.h"
#include "services/membership/core/access.h"
#include "services/membership/core/validation.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"

namespace metrocap::membership {

resource::Declaration<v1::Organisation> MembershipService::OrganisationDeclaration() const {
  resource::Declaration<v1::Organisation> d;
  d.collection = "organisations";
  d.schema = &schemas_.organisations;
  d.writable = [](const identity::Caller& caller) { return OrganisationWritableFields(caller); };
  d.may_write = [admin = resource::AdminOnly("organisations")](
                    const identity::Caller& caller, const resource::WriteTarget& target) {
    if (target.action == "update") return identity::RequireWriteFor(caller, target.name);
    return admin(caller, target);
  };
  d.invalidates = {cache::kOrganisationsCache};
  d.prepare = [](const server::Call&, v1::Organisation& organisation) {
    if (organisation.membership_state() == v1::Organisation::MEMBERSHIP_STATE_UNSPECIFIED) {
      organisation.set_membership_state(v1::Organisation::NON_MEMBER);
    }
    return absl::OkStatus();
  };
  // Every field first, so a caller sees all bad fields at once; then the references.
  d.complete = [this](const server::Call&, store::Transaction& tx,
                      v1::Organisation& organisation) -> absl::Status {
    RETURN_IF_ERROR(ValidateOrganisation(organisation, "organisation."));
    RETURN_IF_ERROR(
        RequireExists(tx, schemas_.regions, "organisation.region", organisation.region()));
    if (organisation.parent().empty()) return absl::OkStatus();
    RETURN_IF_ERROR(
        RequireExists(tx, schemas_.organisations, "organisation.parent", organisation.parent()));
    return RefuseParentCycle(
        organisation.name(), organisation.parent(),
        [&](const std::string& name) -> absl::StatusOr<std::string> {
          ASSIGN_OR_RETURN(v1::Organisation up,
                           resource::Get<v1::Organisation>(tx, schemas_.organisations, name));
          return up.parent();
        });
  };
  d.before_delete = [this](const server::Call&, store::Transaction& tx,
                           const v1::Organisation& organisation) -> absl::Status {
    const std::string& name = organisation.name();
    OrganisationReferences references;
    ASSIGN_OR_RETURN(references.child_organisations,
                     CountReferences(tx, schemas_.organisations, "parent", name));
    ASSIGN_OR_RETURN(references.board_seats,
                     CountReferences(tx, schemas_.board_seats, "organisation", name));
    ASSIGN_OR_RETURN(references.applications,
                     CountReferences(tx, schemas_.applications, "applicant", name));
    ASSIGN_OR_RETURN(references.partners,
                     CountReferences(tx, schemas_.partners, "organisation", name));
    ASSIGN_OR_RETURN(references.grants, CountReferences(tx, schemas_.partners, "grants", name));
    return CheckOrganisationUnused(name, references);
  };
  return d;
}

// Not the declared Get: reads go through the organisations cache, the shared lookup other
// services use too.
grpc::Status MembershipService::GetOrganisation(grpc::ServerContext* context,
                                                const v1::GetOrganisationRequest* request,
                                                v1::Organisation* response) {
  return server::Serve(
      env_, context, "GetOrganisation", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(organisations_.pattern().CheckName("name", request->name()));
        ASSIGN_OR_RETURN(v1::Organisation organisation, ReadOrganisation(request->name()));
        RETURN_IF_ERROR(RequireMayRead(call.caller, organisation));
        *response = std::move(organisation);
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::ListOrganisations(grpc::ServerContext* context,
                                                  const v1::ListOrganisationsRequest* request,
                                                  v1::ListOrganisationsResponse* response) {
  return organisations_.List(context, request, response);
}

grpc::Status MembershipService::CreateOrganisation(grpc::ServerContext* context,
                                                   const v1::CreateOrganisationRequest* request,
                                                   v1::Organisation* response) {
  return organisations_.Create(context, request, response);
}

grpc::Status MembershipService::UpdateOrganisation(grpc::ServerContext* context,
                                                   const v1::UpdateOrganisationRequest* request,
                                                   v1::Organisation* response) {
  return organisations_.Update(context, request, response);
}

grpc::Status MembershipService::DeleteOrganisation(grpc::ServerContext* context,
                                                   const v1::DeleteOrganisationRequest* request,
                                                   google::protobuf::Empty* response) {
  return organisations_.Delete(context, request, response);
}

}  // namespace metrocap::membership
