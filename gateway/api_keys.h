#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/backends.h"
#include "gateway/core/metrics.h"
#include "metrocap/membership/v1/membership.pb.h"

namespace metrocap::gateway {

struct ApiKeyConfig {
  // How long a resolved key is trusted without asking membership again: a revoked key
  // keeps working for at most this long. METROCAP_API_KEY_CACHE_SECONDS.
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

// Resolves API keys to principals through membership's LookupApiKey, with a short cache
// and one lookup in flight per key (concurrent requests with the same key wait for it).
class ApiKeyResolver {
 public:
  using Callback = std::function<void(absl::StatusOr<membership::v1::Principal>)>;

  // `backends` must outlive the resolver; keys are looked up on its membership backend.
  ApiKeyResolver(ApiKeyConfig config, const Backends* backends, Metrics* metrics,
                 std::function<absl::Time()> clock = absl::Now);

  // Calls `done` (at once from a cache hit, else from a gRPC thread) with the principal of
  // `key`, UNAUTHENTICATED for an unknown, revoked or empty key, UNAVAILABLE when membership
  // cannot be asked.
  void Resolve(absl::string_view key, Callback done);

 private:
  struct Entry {
    absl::StatusOr<membership::v1::Principal> result;
    absl::Time expires;
  };
  void Complete(const std::string& digest, absl::StatusOr<membership::v1::Principal> result);

  const ApiKeyConfig config_;
  const Backends* const backends_;
  const Backend* const membership_;
  Metrics* const metrics_;
  const std::function<absl::Time()> clock_;
  absl::Mutex mu_;
  // Keyed by the SHA-256 of the key, so no secret sits in memory longer than a request.
  absl::flat_hash_map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::vector<Callback>> in_flight_ ABSL_GUARDED_BY(mu_);
};

// The API key of an `Authorization: Bearer <key>` value ("" when absent or malformed).
absl::string_view BearerKey(absl::string_view authorization);

}  // namespace metrocap::gateway
