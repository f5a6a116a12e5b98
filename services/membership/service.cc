// The membership service's wiring, the shared lookups it answers for the other components
// (organisations, API keys) through the process's cache, and the invalidations its writes
// make.
//
// Why invalidation happens where it does: a write invalidates after its transaction has
// committed (resource::WriteOnce returns only then) and before it answers, so a reader
// that starts after the answer cannot find the old value in any replica's cache. Never
// inside the transaction: a reader in between would load the old row and cache it again.
// A failed write invalidates nothing; a replayed request id may invalidate again, which
// is harmless.
#include "services/membership/service.h"

#include "common/cache/names.h"
#include "common/identity/caller.h"
#include "common/resource/crud.h"
#include "common/status/status_macros.h"
#include "services/membership/api_key_secrets.h"
#include "services/membership/storage/schemas.h"

namespace metrocap::membership {
namespace {

absl::Status InvalidKey() { return absl::UnauthenticatedError("the API key is not valid"); }

}  // namespace

namespace {

// The process's cache client, or `own` made in-process when none was given (it cannot fail
// to be made: there is no URL to parse).
cache::CacheClient* CacheOrOwn(cache::CacheClient* given,
                               std::unique_ptr<cache::CacheClient>& own) {
  if (given != nullptr) return given;
  if (own == nullptr) own = *cache::CacheClient::Create(cache::CacheConfig());
  return own.get();
}

}  // namespace

MembershipService::MembershipService(server::CallEnv env, store::Store* store,
                                     std::string page_token_key, cache::CacheClient* cache,
                                     Clock clock)
    : env_(std::move(env)),
      store_(store),
      page_token_key_(std::move(page_token_key)),
      clock_(std::move(clock)),
      schemas_(MembershipSchemas()),
      organisations_cache_(&CacheOrOwn(cache, own_cache_)->Cache(cache::kOrganisationsCache)),
      api_keys_cache_(&CacheOrOwn(cache, own_cache_)->Cache(cache::kApiKeysCache)),
      shared_{env_, store_, page_token_key_, CacheOrOwn(cache, own_cache_)},
      regions_(RegionDeclaration(), &shared_),
      organisations_(OrganisationDeclaration(), &shared_),
      board_seats_(BoardSeatDeclaration(), &shared_),
      applications_(ApplicationDeclaration(), &shared_),
      partners_(PartnerDeclaration(), &shared_),
      api_keys_(ApiKeyDeclaration(), &shared_) {}

absl::StatusOr<v1::Organisation> MembershipService::ReadOrganisation(const std::string& name) {
  return cache::GetOrLoadMessage<v1::Organisation>(*organisations_cache_, name, [&] {
    return resource::Load<v1::Organisation>(*store_, schemas_.organisations, name);
  });
}

absl::StatusOr<v1::Principal> MembershipService::ResolveApiKey(absl::string_view secret) {
  // Only well-formed keys reach the cache; the cache key is the digest, never the secret.
  if (PrefixOfKey(secret).empty()) return InvalidKey();
  return cache::GetOrLoadMessage<v1::Principal>(*api_keys_cache_, KeyDigest(secret),
                                                [&] { return PrincipalFromStore(secret); });
}

absl::StatusOr<v1::Principal> MembershipService::PrincipalFromStore(absl::string_view secret) {
  ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                   store_->Begin(store::Store::Access::kReadOnly));
  ASSIGN_OR_RETURN(std::vector<v1::ApiKey> keys, ListKeysWithPrefix(*tx, PrefixOfKey(secret)));
  const std::string hash = StoredHashOfKey(secret);
  for (const v1::ApiKey& key : keys) {
    if (!identity::SecretsEqual(key.secret(), hash)) continue;
    if (key.state() != v1::ApiKey::ACTIVE) return InvalidKey();
    absl::StatusOr<v1::Partner> partner =
        resource::Get<v1::Partner>(*tx, schemas_.partners, store::ParentOf(key.name()));
    if (absl::IsNotFound(partner.status())) return InvalidKey();
    RETURN_IF_ERROR(partner.status());
    v1::Principal principal;
    principal.set_partner(partner->name());
    principal.set_role(partner->role());
    *principal.mutable_grants() = partner->grants();
    principal.set_api_key(key.name());
    return principal;
  }
  return InvalidKey();
}

void MembershipService::OrganisationChanged(absl::string_view organisation) {
  organisations_cache_->Invalidate(organisation);
}

void MembershipService::ApiKeysChanged(const std::vector<std::string>& digests) {
  for (const std::string& digest : digests) {
    if (!digest.empty()) api_keys_cache_->Invalidate(digest);
  }
}

}  // namespace metrocap::membership
