#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/strings/string_view.h"

namespace metrocap::cache {

class CacheClient;

// Copies of one cache's values kept outside the cache by a component that cannot read
// through LookupCache::GetOrLoad, which blocks: the gateway keeps resolved API keys and
// answers on gRPC threads. CacheClient::Subscribe makes one. Its handler hears of every
// invalidation of the cache this process learns of, so the copies can be dropped as soon as
// the cache's own in-process layer drops them; Trusted() and TrustGeneration() say when
// invalidations may have been missed, so that the copies are dropped wholesale.
//
// Thread-safe. Destroying it unsubscribes, waiting for a handler call in progress; it must
// be destroyed before its client.
class InvalidationSubscription {
 public:
  using Handler = std::function<void(absl::string_view key)>;

  InvalidationSubscription(const InvalidationSubscription&) = delete;
  InvalidationSubscription& operator=(const InvalidationSubscription&) = delete;
  ~InvalidationSubscription();

  // Applies the invalidation messages that have already reached this process (the handler
  // runs for each of this cache, on this thread, before this returns), without waiting on
  // the network: one poll of the subscriber's socket. Call it before answering from the
  // copies. A writer's invalidation is on every subscriber's socket before its write is
  // acknowledged, so no answer given after CatchUp overtakes an acknowledged write.
  void CatchUp();

  // Whether invalidations reach this process now: always without Redis; with Redis, while
  // the subscription to the invalidation channel is live. While false, copies are bounded
  // only by their own time to live.
  bool Trusted() const;
  // The client's trust generation: it changes each time invalidations reach this process
  // again after they could not (0 without Redis). Invalidations may have been missed in
  // between, so copies kept under another generation, or while not Trusted(), must go.
  int64_t TrustGeneration() const;

  const std::string& cache() const { return cache_; }

 private:
  friend class CacheClient;
  InvalidationSubscription(CacheClient* client, std::string cache, Handler handler);

  CacheClient* const client_;
  const std::string cache_;
  const Handler handler_;
};

}  // namespace metrocap::cache
