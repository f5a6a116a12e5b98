#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "common/cache/invalidation_subscription.h"
#include "common/cache/local_layer.h"
#include "common/config/component.h"

namespace metrocap::cache {

// How a component caches shared lookups. Only redis_url usually changes.
struct CacheConfig {
  // METROCAP_REDIS_URL: redis://[[user]:password@]host[:port][/db]. Empty = in-process
  // layer only (one replica, or caches that may be a little stale across replicas).
  std::string redis_url;
  absl::Duration ttl = absl::Minutes(5);         // of values in Redis
  absl::Duration local_ttl = absl::Seconds(30);  // of values in the in-process layer
  size_t local_capacity = 10000;                 // values per cache in the in-process layer
  absl::Duration connect_timeout = absl::Milliseconds(200);
  absl::Duration command_timeout = absl::Milliseconds(50);
  // The circuit breaker: after this many Redis failures in a row, skip Redis this long.
  int failures_to_open = 2;
  absl::Duration breaker_open_for = absl::Seconds(1);
  int redis_connections = 8;
  // Keys are "<key_prefix>:{<cache>:<key>}"; invalidations are published on `channel`.
  std::string key_prefix = "metrocap";
  std::string channel = "metrocap:invalidate";
};

// The cache settings of a component: its METROCAP_REDIS_URL, defaults for the rest.
CacheConfig CacheConfigFor(const config::ComponentConfig& component);

// What a cache has done since start. A "miss" is a call that ran the loader.
struct CacheMetrics {
  std::string cache;
  uint64_t local_hits = 0;
  uint64_t redis_hits = 0;
  uint64_t misses = 0;
  uint64_t errors = 0;                  // Redis calls that failed or were skipped by the breaker
  uint64_t coalesced_waits = 0;         // calls that waited for another call's load of the same key
  uint64_t invalidations = 0;           // Invalidate() calls here
  uint64_t invalidations_received = 0;  // entries dropped on another replica's message
  uint64_t hits() const { return local_hits + redis_hits; }
};

class CacheClient;

// One named cache of serialized messages (say "organisations", keyed by resource name).
// Cache-aside: GetOrLoad answers from the in-process layer, then Redis, then `load` (the
// store), filling both layers. After a committed write the writer calls Invalidate(key).
// Thread-safe; owned by its CacheClient.
class LookupCache {
 public:
  // The cached value for `key`, or what `load` returns (then cached, unless it failed).
  // Concurrent calls for one key that all miss share one `load`. Redis being slow, down or
  // flushed never fails a call: it costs at most one command timeout, then the breaker
  // skips Redis. Returns `load`'s error when it fails (not cached).
  absl::StatusOr<std::string> GetOrLoad(absl::string_view key,
                                        absl::FunctionRef<absl::StatusOr<std::string>()> load);

  // Forgets `key` everywhere: this replica's layer, Redis (DEL), and every other replica's
  // layer (a message on the invalidation channel). Call after the write is committed. When
  // Redis cannot be told, the invalidation is retried once Redis answers again.
  void Invalidate(absl::string_view key);

  CacheMetrics Metrics() const;
  const std::string& name() const { return name_; }

 private:
  friend class CacheClient;
  struct Flight {
    absl::Notification done;
    absl::StatusOr<std::string> result;
  };

  LookupCache(CacheClient* client, std::string name);
  // The in-process layer's value for `key`, once invalidations already received are applied.
  absl::optional<std::string> LocalHit(absl::string_view key);
  absl::StatusOr<std::string> Lookup(absl::string_view key,
                                     absl::FunctionRef<absl::StatusOr<std::string>()> load,
                                     uint64_t epoch);
  // Keeps `value` in the in-process layer unless `key`'s cache was invalidated (or trust in
  // the layer was lost) since `epoch` was read.
  void KeepLocally(absl::string_view key, const std::string& value, uint64_t epoch);
  // Drops `key` from the in-process layer (another replica's write, or ours).
  void DropLocally(absl::string_view key);
  // Whether the in-process layer may answer; clears it when trust was lost since last time.
  bool LocalLayerUsable() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Tells Redis and the other replicas. With `settle`, returns only once Redis has written
  // the message to every subscriber. False when Redis could not be reached.
  bool PublishInvalidation(const std::string& key, bool settle);

  CacheClient* const client_;
  const std::string name_;
  mutable absl::Mutex mu_;
  LocalLayer local_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::shared_ptr<Flight>, std::less<>> flights_ ABSL_GUARDED_BY(mu_);
  uint64_t epoch_ ABSL_GUARDED_BY(mu_) = 0;  // bumped by every local invalidation
  int64_t trusted_generation_ ABSL_GUARDED_BY(mu_) = -1;
  std::atomic<uint64_t> local_hits_{0}, redis_hits_{0}, misses_{0}, errors_{0}, coalesced_waits_{0},
      invalidations_{0}, invalidations_received_{0};
};

// The one cache client of a process: the Redis connection pool and circuit breaker, the
// invalidation listener, and the named caches that share them.
class CacheClient {
 public:
  // INVALID_ARGUMENT for a malformed redis_url. Never fails because Redis is down: the
  // client connects on demand and keeps trying.
  static absl::StatusOr<std::unique_ptr<CacheClient>> Create(const CacheConfig& config);
  ~CacheClient();

  // The cache called `name` (no ':' or newline), created on first use; it lives as long
  // as the client.
  LookupCache& Cache(absl::string_view name);
  // Every cache's counters, ordered by name.
  std::vector<CacheMetrics> Metrics() const;
  // Whether Redis is configured and answering (breaker closed, subscription live).
  bool redis_healthy() const;
  const CacheConfig& config() const { return config_; }

  // Calls `on_invalidated` with the key of every invalidation of the cache named `cache`
  // that this process learns of: Invalidate() calls here, and every message on the
  // invalidation channel (other processes' writes, and this one's again). The cache need
  // not have been opened with Cache(). The handler runs on the listener's thread, or on the
  // thread of a call that invalidates or applies waiting messages; it must be short and must
  // not call into this client.
  std::unique_ptr<InvalidationSubscription> Subscribe(
      absl::string_view cache, InvalidationSubscription::Handler on_invalidated);

 private:
  friend class LookupCache;
  friend class InvalidationSubscription;
  struct Redis;
  explicit CacheClient(CacheConfig config);

  // Whether the in-process layers may answer, and a number that changes whenever that
  // trust was lost and regained (caches clear their layer when it changes).
  bool LocalLayerTrusted() const;
  int64_t TrustGeneration() const;
  void DrainInvalidations();
  void OnInvalidationMessage(absl::string_view message);
  // Tells the subscribers of `cache` that `key` was invalidated.
  void NotifySubscribers(absl::string_view cache, absl::string_view key);
  void Unsubscribe(const InvalidationSubscription* subscription);
  void QueueInvalidation(const std::string& cache, const std::string& key);
  void RetryInvalidations();
  std::string RedisKey(absl::string_view cache, absl::string_view key) const;

  const CacheConfig config_;
  std::unique_ptr<Redis> redis_;  // null without a redis_url
  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<LookupCache>, std::less<>> caches_ ABSL_GUARDED_BY(mu_);
  absl::Mutex pending_mu_;
  // Invalidations Redis has not heard of yet: (cache, key).
  std::set<std::pair<std::string, std::string>> pending_ ABSL_GUARDED_BY(pending_mu_);
  std::atomic<bool> has_pending_{false};
  // Held shared while handlers run, so that unsubscribing waits for a call in progress.
  absl::Mutex subscribers_mu_;
  std::multimap<std::string, const InvalidationSubscription*, std::less<>> subscribers_
      ABSL_GUARDED_BY(subscribers_mu_);
};

// GetOrLoad for one message type: the value cached is the serialized message (with its
// etag field, as the store decoded it). A cached value that does not parse is dropped and
// loaded again.
template <typename Message>
absl::StatusOr<Message> GetOrLoadMessage(LookupCache& cache, absl::string_view key,
                                         absl::FunctionRef<absl::StatusOr<Message>()> load) {
  auto load_bytes = [&]() -> absl::StatusOr<std::string> {
    absl::StatusOr<Message> message = load();
    if (!message.ok()) return message.status();
    return message->SerializeAsString();
  };
  absl::StatusOr<std::string> bytes = cache.GetOrLoad(key, load_bytes);
  if (!bytes.ok()) return bytes.status();
  Message message;
  if (message.ParseFromString(*bytes)) return message;
  cache.Invalidate(key);
  return load();
}

}  // namespace metrocap::cache
