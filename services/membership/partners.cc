// Partners: the organisations and people that integrate with metrocap, their role and the
// organisations they are granted. ADMIN-only writes; a partner may read itself. A change of
// role or grants, or a deletion, invalidates the principal its keys resolve to.
#include <algorithm>

#include "common/identity/access.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/status_macros.h"
#include "services/membership/api_key_secrets.h"
#include "services/membership/core/access.h"
#include "services/membership/core/validation.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"

namespace metrocap::membership {
namespace {

using google::protobuf::Empty;
using identity::RequireAdmin;

const std::vector<std::string> kPartnerWritable = {"display_name", "organisation", "role",
                                                   "grants"};

// The api-keys cache names of `keys`.
std::vector<std::string> DigestsOf(const std::vector<v1::ApiKey>& keys) {
  std::vector<std::string> digests;
  for (const v1::ApiKey& key : keys) digests.push_back(DigestOfStoredHash(key.secret()));
  return digests;
}

// Whether a change of `before` into `after` changes the principal its keys resolve to.
bool ChangesPrincipal(const v1::Partner& before, const v1::Partner& after) {
  return before.role() != after.role() ||
         !std::equal(before.grants().begin(), before.grants().end(), after.grants().begin(),
                     after.grants().end());
}

absl::Status CheckPartnerReferences(store::Transaction& tx, const Schemas& schemas,
                                    const v1::Partner& partner) {
  if (!partner.organisation().empty()) {
    RETURN_IF_ERROR(
        RequireExists(tx, schemas.organisations, "partner.organisation", partner.organisation()));
  }
  for (int i = 0; i < partner.grants_size(); ++i) {
    RETURN_IF_ERROR(RequireExists(tx, schemas.organisations,
                                  absl::StrCat("partner.grants[", i, "]"), partner.grants(i)));
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status MembershipService::GetPartner(grpc::ServerContext* context,
                                           const v1::GetPartnerRequest* request,
                                           v1::Partner* response) {
  return server::Serve(env_, context, "GetPartner", [&](const server::Call& call) -> absl::Status {
    RETURN_IF_ERROR(resource::CheckName("name", request->name(), "partners"));
    RETURN_IF_ERROR(RequireSelfOrAdmin(call.caller, request->name()));
    ASSIGN_OR_RETURN(*response,
                     resource::Load<v1::Partner>(*store_, schemas_.partners, request->name()));
    return absl::OkStatus();
  });
}

grpc::Status MembershipService::ListPartners(grpc::ServerContext* context,
                                             const v1::ListPartnersRequest* request,
                                             v1::ListPartnersResponse* response) {
  return server::Serve(
      env_, context, "ListPartners", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "list partners"));
        return resource::ListInto(*store_, schemas_.partners, resource::ParamsOf(*request), {},
                                  page_token_key_, call.caller.principal,
                                  response->mutable_partners(), response);
      });
}

grpc::Status MembershipService::CreatePartner(grpc::ServerContext* context,
                                              const v1::CreatePartnerRequest* request,
                                              v1::Partner* response) {
  return server::Serve(
      env_, context, "CreatePartner", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "create partners"));
        const v1::Partner& partner = request->partner();
        RETURN_IF_ERROR(ValidatePartner(partner, "partner."));
        ASSIGN_OR_RETURN(std::string id, resource::IdForCreate("partnerId", request->partner_id(),
                                                               partner.display_name()));
        ASSIGN_OR_RETURN(*response,
                         resource::WriteOnce<v1::Partner>(
                             *store_, call, "CreatePartner", *request, request->request_id(),
                             [&](store::Transaction& tx) -> absl::StatusOr<v1::Partner> {
                               RETURN_IF_ERROR(CheckPartnerReferences(tx, schemas_, partner));
                               return resource::Insert(tx, schemas_.partners, "partners/" + id,
                                                       partner);
                             }));
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::UpdatePartner(grpc::ServerContext* context,
                                              const v1::UpdatePartnerRequest* request,
                                              v1::Partner* response) {
  return server::Serve(
      env_, context, "UpdatePartner", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "update partners"));
        const std::string& name = request->partner().name();
        RETURN_IF_ERROR(resource::CheckName("partner.name", name, "partners"));
        std::vector<std::string> changed_keys;
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::Partner>(
                *store_, call, "UpdatePartner", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::Partner> {
                  changed_keys.clear();
                  ASSIGN_OR_RETURN(v1::Partner current,
                                   resource::Get<v1::Partner>(tx, schemas_.partners, name));
                  RETURN_IF_ERROR(
                      resource::CheckEtag(request->partner().etag(), current.etag(), name));
                  const v1::Partner before = current;
                  RETURN_IF_ERROR(resource::ApplyUpdateMask(
                      request->partner(), request->update_mask(), kPartnerWritable, &current));
                  RETURN_IF_ERROR(ValidatePartner(current, "partner."));
                  RETURN_IF_ERROR(CheckPartnerReferences(tx, schemas_, current));
                  if (ChangesPrincipal(before, current)) {
                    ASSIGN_OR_RETURN(std::vector<v1::ApiKey> keys, ListKeysOf(tx, name));
                    changed_keys = DigestsOf(keys);
                  }
                  return resource::Replace(tx, schemas_.partners, current);
                }));
        ApiKeysChanged(changed_keys);
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::DeletePartner(grpc::ServerContext* context,
                                              const v1::DeletePartnerRequest* request,
                                              Empty* response) {
  return server::Serve(
      env_, context, "DeletePartner", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "delete partners"));
        const std::string& name = request->name();
        RETURN_IF_ERROR(resource::CheckName("name", name, "partners"));
        std::vector<std::string> deleted_keys;
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<Empty>(
                *store_, call, "DeletePartner", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<Empty> {
                  ASSIGN_OR_RETURN(v1::Partner current,
                                   resource::Get<v1::Partner>(tx, schemas_.partners, name));
                  RETURN_IF_ERROR(resource::CheckEtag(request->etag(), current.etag(), name));
                  // The partner's keys go with it, in the same transaction.
                  ASSIGN_OR_RETURN(std::vector<v1::ApiKey> keys, ListKeysOf(tx, name));
                  for (const v1::ApiKey& key : keys) {
                    RETURN_IF_ERROR(
                        tx.Delete(schemas_.api_keys, key.name(), *store::ParseEtag(key.etag())));
                  }
                  deleted_keys = DigestsOf(keys);
                  RETURN_IF_ERROR(
                      tx.Delete(schemas_.partners, name, *store::ParseEtag(current.etag())));
                  return Empty();
                }));
        ApiKeysChanged(deleted_keys);
        return absl::OkStatus();
      });
}

}  // namespace metrocap::membership
