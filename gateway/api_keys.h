#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/cache/invalidation_subscription.h"
#include "gateway/backends.h"
#include "gateway/core/metrics.h"
#include "gateway/core/rate_limiter.h"
#include "metrocap/membership/v1/membership.pb.h"

namespace metrocap::gateway {

struct ApiKeyConfig {
  // How long a resolved key is trusted without asking membership again. With Redis, a
  // revoked key is dropped as soon as membership publishes its invalidation, and this only
  // bounds how long one may still pass while Redis is away; without Redis, it is how long a
  // revoked key keeps working. METROCAP_API_KEY_CACHE_SECONDS.
  absl::Duration cache_ttl = absl::Seconds(5);
  // How long an unknown or revoked key is remembered as such.
  absl::Duration negative_ttl = absl::Seconds(1);
  absl::Duration lookup_timeout = absl::Seconds(2);
  std::string internal_credential;  // Sent with LookupApiKey; membership requires it.
  // METROCAP_ADMIN_TOKEN: when set, this bearer token is the bootstrap ADMIN (principal
  // "admin") without a lookup, as the services accept it.
  std::string admin_token;
  size_t max_entries = 100000;
};

// What an API key resolves to: made once per lookup and shared, read-only, by every request
// that presents the key while it is cached, so a request copies nothing of it.
struct ResolvedKey {
  explicit ResolvedKey(membership::v1::Principal principal);
  // A principal the gateway itself assigns (the bootstrap ADMIN token's, anonymous).
  static std::shared_ptr<const ResolvedKey> Fixed(absl::string_view partner,
                                                  membership::v1::Partner::Role role);

  const membership::v1::Principal principal;
  // `principal` as identity::AttachIdentity sends it to the services.
  const std::string principal_header;
  // The partner's rate-limit bucket, set by the first request that needs it (Admission).
  mutable std::atomic<RateLimiter::Bucket*> bucket{nullptr};
};

// Resolves API keys to principals through membership's LookupApiKey, with a short cache
// and one lookup in flight per key (concurrent requests with the same key wait for it).
// Given the process's cache client, it also drops a key as soon as membership invalidates
// it in the shared api-keys cache (revoked or deleted key, partner's role or grants changed,
// partner deleted), and everything it holds when invalidations may have been missed.
class ApiKeyResolver {
 public:
  using Result = absl::StatusOr<std::shared_ptr<const ResolvedKey>>;
  using Callback = std::function<void(Result)>;

  // `backends` must outlive the resolver; keys are looked up on its membership backend.
  // `shared_cache` (may be null: the TTL alone bounds a revoked key) must outlive it too.
  ApiKeyResolver(ApiKeyConfig config, const Backends* backends, Metrics* metrics,
                 cache::CacheClient* shared_cache = nullptr,
                 std::function<absl::Time()> clock = absl::Now);

  // Calls `done` (at once from a cache hit, else from a gRPC thread) with what `key`
  // resolves to (never null), UNAUTHENTICATED for an unknown, revoked or empty key, UNAVAILABLE
  // when membership cannot be asked.
  void Resolve(absl::string_view key, Callback done);

 private:
  struct Entry {
    Result result;
    absl::Time expires;
  };
  // The requests waiting for one lookup. An invalidation detaches it from in_flight_: its
  // answer may predate the write, so it is given to those waiters but not kept.
  struct Flight {
    std::vector<Callback> waiters;
  };
  void Complete(const std::string& digest, const std::shared_ptr<Flight>& flight, Result result);
  // Membership invalidated `digest` (its message on the cache's invalidation channel).
  void Forget(absl::string_view digest);
  // Applies invalidations already received, and forgets everything when some may have been
  // missed since the last look (Redis lost or regained). Never waits on the network.
  void CatchUp();

  const ApiKeyConfig config_;
  const Backends* const backends_;
  const Backend* const membership_;
  Metrics* const metrics_;
  const std::function<absl::Time()> clock_;
  const std::shared_ptr<const ResolvedKey> admin_;  // The bootstrap ADMIN token's.
  absl::Mutex mu_;
  // Keyed by the lowercase hex SHA-256 of the key, as membership names it in the api-keys
  // cache (common/cache/names.h), so no secret sits in memory longer than a request.
  absl::flat_hash_map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::shared_ptr<Flight>> in_flight_ ABSL_GUARDED_BY(mu_);
  // The cache client's trust when cache_ was last checked against it.
  bool trusted_ ABSL_GUARDED_BY(mu_) = true;
  int64_t trust_generation_ ABSL_GUARDED_BY(mu_) = 0;
  // Declared last: destroyed first, so no invalidation arrives into a dying resolver.
  std::unique_ptr<cache::InvalidationSubscription> invalidations_;
};

// The API key of an `Authorization: Bearer <key>` value ("" when absent or malformed).
absl::string_view BearerKey(absl::string_view authorization);

}  // namespace metrocap::gateway
