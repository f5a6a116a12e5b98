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

resource::Declaration<v1::Partner> MembershipService::PartnerDeclaration() {
  resource::Declaration<v1::Partner> d;
  d.collection = "partners";
  d.schema = &schemas_.partners;
  d.writable = resource::ForEveryCaller({"display_name", "organisation", "role", "grants"});
  d.may_write = resource::AdminOnly("partners");
  d.read_access = [](const identity::Caller& caller, const resource::WriteTarget& target) {
    if (target.action == "list") return RequireAdmin(caller, "list partners");
    return RequireSelfOrAdmin(caller, target.name);
  };
  // Every field first, so a caller sees all bad fields at once; then the references.
  d.complete = [this](const server::Call&, store::Transaction& tx,
                      v1::Partner& partner) -> absl::Status {
    RETURN_IF_ERROR(ValidatePartner(partner, "partner."));
    return CheckPartnerReferences(tx, schemas_, partner);
  };
  // A partner's keys resolve to its role and grants: when those change, or the partner
  // goes (its keys with it, in the same transaction), every replica forgets the principal.
  d.also_write = [this](const server::Call&, store::Transaction& tx, const v1::Partner* before,
                        const v1::Partner* after)
      -> absl::StatusOr<resource::Declaration<v1::Partner>::AfterCommit> {
    if (before == nullptr) return nullptr;  // a new partner has no keys
    if (after != nullptr && !ChangesPrincipal(*before, *after)) return nullptr;
    ASSIGN_OR_RETURN(std::vector<v1::ApiKey> keys, ListKeysOf(tx, before->name()));
    if (after == nullptr) {
      for (const v1::ApiKey& key : keys) {
        RETURN_IF_ERROR(tx.Delete(schemas_.api_keys, key.name(), *store::ParseEtag(key.etag())));
      }
    }
    return [this, digests = DigestsOf(keys)] { ApiKeysChanged(digests); };
  };
  return d;
}

grpc::Status MembershipService::GetPartner(grpc::ServerContext* context,
                                           const v1::GetPartnerRequest* request,
                                           v1::Partner* response) {
  return partners_.Get(context, request, response);
}

grpc::Status MembershipService::ListPartners(grpc::ServerContext* context,
                                             const v1::ListPartnersRequest* request,
                                             v1::ListPartnersResponse* response) {
  return partners_.List(context, request, response);
}

grpc::Status MembershipService::CreatePartner(grpc::ServerContext* context,
                                              const v1::CreatePartnerRequest* request,
                                              v1::Partner* response) {
  return partners_.Create(context, request, response);
}

grpc::Status MembershipService::UpdatePartner(grpc::ServerContext* context,
                                              const v1::UpdatePartnerRequest* request,
                                              v1::Partner* response) {
  return partners_.Update(context, request, response);
}

grpc::Status MembershipService::DeletePartner(grpc::ServerContext* context,
                                              const v1::DeletePartnerRequest* request,
                                              Empty* response) {
  return partners_.Delete(context, request, response);
}

}  // namespace metrocap::membership
