// Partners and their API keys, and the key lookup the gateway authenticates with.
#include <algorithm>

#include "absl/time/clock.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "services/membership/access.h"
#include "services/membership/api_key_secrets.h"
#include "services/membership/core/rules.h"
#include "services/membership/service.h"

namespace metrocap::membership {
namespace {

using google::protobuf::Empty;

const std::vector<std::string> kPartnerWritable = {"display_name", "organisation", "role",
                                                   "grants"};

// An ADMIN, or the partner itself.
absl::Status RequireSelfOrAdmin(const identity::Caller& caller, absl::string_view partner) {
  if (caller.IsAdmin() || caller.principal == partner) return absl::OkStatus();
  return WithReason(
      absl::PermissionDeniedError(absl::StrCat(caller.principal, " may not see ", partner)),
      "NOT_SELF");
}

std::string PartnerOfKey(absl::string_view key_name) { return store::ParentOf(key_name); }

v1::ApiKey Redacted(v1::ApiKey key) {
  key.clear_secret();
  return key;
}

// Every API key of `partner` as stored (with its hash), read in `tx`.
absl::StatusOr<std::vector<v1::ApiKey>> KeysOf(store::Transaction& tx, const Schemas& schemas,
                                               const std::string& partner) {
  store::ListQuery query;
  query.parent = partner;
  ASSIGN_OR_RETURN(query.order, query::ParseOrderBy(schemas.api_keys, ""));
  query.limit = 100000;
  ASSIGN_OR_RETURN(store::ListResult result, tx.List(schemas.api_keys, query));
  std::vector<v1::ApiKey> keys(result.records.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    RETURN_IF_ERROR(store::DecodeRecord(result.records[i], &keys[i]));
  }
  return keys;
}

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
                    ASSIGN_OR_RETURN(std::vector<v1::ApiKey> keys, KeysOf(tx, schemas_, name));
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
                  ASSIGN_OR_RETURN(std::vector<v1::ApiKey> keys, KeysOf(tx, schemas_, name));
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

grpc::Status MembershipService::GetApiKey(grpc::ServerContext* context,
                                          const v1::GetApiKeyRequest* request,
                                          v1::ApiKey* response) {
  return server::Serve(env_, context, "GetApiKey", [&](const server::Call& call) -> absl::Status {
    const std::string& name = request->name();
    RETURN_IF_ERROR(resource::CheckName("name", name, PartnerOfKey(name) + "/apiKeys"));
    RETURN_IF_ERROR(resource::CheckName("name", PartnerOfKey(name), "partners"));
    RETURN_IF_ERROR(RequireSelfOrAdmin(call.caller, PartnerOfKey(name)));
    ASSIGN_OR_RETURN(v1::ApiKey key, resource::Load<v1::ApiKey>(*store_, schemas_.api_keys, name));
    *response = Redacted(std::move(key));
    return absl::OkStatus();
  });
}

grpc::Status MembershipService::ListApiKeys(grpc::ServerContext* context,
                                            const v1::ListApiKeysRequest* request,
                                            v1::ListApiKeysResponse* response) {
  return server::Serve(env_, context, "ListApiKeys", [&](const server::Call& call) -> absl::Status {
    RETURN_IF_ERROR(resource::CheckName("parent", request->parent(), "partners"));
    RETURN_IF_ERROR(RequireSelfOrAdmin(call.caller, request->parent()));
    resource::ListParams params = resource::ParamsOf(*request);
    params.parent = request->parent();
    RETURN_IF_ERROR(resource::ListInto(*store_, schemas_.api_keys, params, {}, page_token_key_,
                                       call.caller.principal, response->mutable_api_keys(),
                                       response));
    for (v1::ApiKey& key : *response->mutable_api_keys()) key.clear_secret();
    return absl::OkStatus();
  });
}

grpc::Status MembershipService::CreateApiKey(grpc::ServerContext* context,
                                             const v1::CreateApiKeyRequest* request,
                                             v1::ApiKey* response) {
  return server::Serve(
      env_, context, "CreateApiKey", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "create API keys"));
        RETURN_IF_ERROR(resource::CheckName("parent", request->parent(), "partners"));
        RETURN_IF_ERROR(ValidateApiKey(request->api_key(), "apiKey."));
        std::string prefix = NewKeyPrefix();
        std::string secret = NewKeySecret(prefix);
        std::string id =
            request->api_key_id().empty() ? "key-" + prefix.substr(4) : request->api_key_id();
        if (!resource::IsValidId(id)) {
          return InvalidField("apiKeyId", "must be 1-63 of [a-z0-9-], starting with a letter");
        }
        // The secret is added after the write, so neither the key nor the recorded response
        // (request ids) ever holds it; a repeated request gets the key without its secret.
        bool created = false;
        ASSIGN_OR_RETURN(
            *response, resource::WriteOnce<v1::ApiKey>(
                           *store_, call, "CreateApiKey", *request, request->request_id(),
                           [&](store::Transaction& tx) -> absl::StatusOr<v1::ApiKey> {
                             RETURN_IF_ERROR(
                                 RequireExists(tx, schemas_.partners, "parent", request->parent()));
                             v1::ApiKey key = request->api_key();
                             key.set_state(v1::ApiKey::ACTIVE);
                             key.set_key_prefix(prefix);
                             key.set_secret(StoredHashOfKey(secret));
                             key.clear_revoke_time();
                             ASSIGN_OR_RETURN(
                                 v1::ApiKey stored,
                                 resource::Insert(tx, schemas_.api_keys,
                                                  request->parent() + "/apiKeys/" + id, key));
                             created = true;
                             stored.clear_secret();
                             return stored;
                           }));
        if (created) response->set_secret(secret);
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::DeleteApiKey(grpc::ServerContext* context,
                                             const v1::DeleteApiKeyRequest* request,
                                             Empty* response) {
  return server::Serve(
      env_, context, "DeleteApiKey", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "delete API keys"));
        const std::string& name = request->name();
        RETURN_IF_ERROR(resource::CheckName("name", PartnerOfKey(name), "partners"));
        std::string digest;
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<Empty>(
                *store_, call, "DeleteApiKey", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<Empty> {
                  ASSIGN_OR_RETURN(v1::ApiKey current,
                                   resource::Get<v1::ApiKey>(tx, schemas_.api_keys, name));
                  RETURN_IF_ERROR(resource::CheckEtag(request->etag(), current.etag(), name));
                  digest = DigestOfStoredHash(current.secret());
                  RETURN_IF_ERROR(
                      tx.Delete(schemas_.api_keys, name, *store::ParseEtag(current.etag())));
                  return Empty();
                }));
        ApiKeysChanged({digest});
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::RevokeApiKey(grpc::ServerContext* context,
                                             const v1::RevokeApiKeyRequest* request,
                                             v1::ApiKey* response) {
  return server::Serve(
      env_, context, "RevokeApiKey", [&](const server::Call& call) -> absl::Status {
        const std::string& name = request->name();
        RETURN_IF_ERROR(resource::CheckName("name", PartnerOfKey(name), "partners"));
        RETURN_IF_ERROR(RequireSelfOrAdmin(call.caller, PartnerOfKey(name)));
        std::string digest;
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::ApiKey>(
                *store_, call, "RevokeApiKey", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::ApiKey> {
                  ASSIGN_OR_RETURN(v1::ApiKey key,
                                   resource::Get<v1::ApiKey>(tx, schemas_.api_keys, name));
                  RETURN_IF_ERROR(resource::CheckEtag(request->etag(), key.etag(), name));
                  digest = DigestOfStoredHash(key.secret());
                  if (key.state() == v1::ApiKey::REVOKED) return Redacted(key);
                  key.set_state(v1::ApiKey::REVOKED);
                  *key.mutable_revoke_time() =
                      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
                          absl::ToUnixMicros(absl::Now()));
                  ASSIGN_OR_RETURN(v1::ApiKey stored,
                                   resource::Replace(tx, schemas_.api_keys, key));
                  return Redacted(stored);
                }));
        ApiKeysChanged({digest});
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::LookupApiKey(grpc::ServerContext* context,
                                             const v1::LookupApiKeyRequest* request,
                                             v1::Principal* response) {
  return server::Serve(
      env_, context, "LookupApiKey", [&](const server::Call& call) -> absl::Status {
        // Checked on every call, before the cache: a cached principal is no less secret.
        if (call.caller.principal != "internal") {
          return absl::PermissionDeniedError("LookupApiKey is for the gateway only");
        }
        ASSIGN_OR_RETURN(*response, ResolveApiKey(request->secret()));
        return absl::OkStatus();
      });
}

}  // namespace metrocap::membership
