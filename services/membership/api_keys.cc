// API keys: a partner's credentials for the gateway, shown once and stored as a SHA-256.
// ADMIN-only create and delete; a partner may read and revoke its own keys. LookupApiKey
// resolves a key to its principal for the gateway, through the api-keys cache.
#include "common/identity/access.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/errors.h"
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

std::string PartnerOfKey(absl::string_view key_name) { return store::ParentOf(key_name); }

v1::ApiKey Redacted(v1::ApiKey key) {
  key.clear_secret();
  return key;
}

}  // namespace

resource::Declaration<v1::ApiKey> MembershipService::ApiKeyDeclaration() {
  resource::Declaration<v1::ApiKey> d;
  d.collection = "partners/{partner}/apiKeys";
  d.schema = &schemas_.api_keys;
  d.writable = resource::ForEveryCaller({});  // keys change only by :revoke
  d.may_write = resource::AdminOnly("API keys");
  d.read_access = [](const identity::Caller& caller, const resource::WriteTarget& target) {
    return RequireSelfOrAdmin(caller, target.parent);
  };
  d.present = [](v1::ApiKey& key) { key.clear_secret(); };
  // A deleted key stops resolving at once in every replica.
  d.also_write =
      [this](const server::Call&, store::Transaction&, const v1::ApiKey* before,
             const v1::ApiKey*) -> absl::StatusOr<resource::Declaration<v1::ApiKey>::AfterCommit> {
    return [this, digest = DigestOfStoredHash(before->secret())] { ApiKeysChanged({digest}); };
  };
  return d;
}

grpc::Status MembershipService::GetApiKey(grpc::ServerContext* context,
                                          const v1::GetApiKeyRequest* request,
                                          v1::ApiKey* response) {
  return api_keys_.Get(context, request, response);
}

grpc::Status MembershipService::ListApiKeys(grpc::ServerContext* context,
                                            const v1::ListApiKeysRequest* request,
                                            v1::ListApiKeysResponse* response) {
  return api_keys_.List(context, request, response);
}

// Not the declared Create: the server makes the key, its ID and its secret, and the secret
// is in this one response only (never stored, never in a recorded response).
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
  return api_keys_.Delete(context, request, response);
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
                  *key.mutable_revoke_time() = TimestampOf(clock_());
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
  return server::Serve(env_, context, "LookupApiKey",
                       [&](const server::Call& call) -> absl::Status {
                         // Checked on every call, before the cache: a cached principal is no less
                         // secret.
                         RETURN_IF_ERROR(RequireGateway(call.caller));
                         ASSIGN_OR_RETURN(*response, ResolveApiKey(request->secret()));
                         return absl::OkStatus();
                       });
}

}  // namespace metrocap::membership
