#include "common/cache/lookup_cache.h"

#include <signal.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/cache/invalidation_listener.h"
#include "common/cache/redis_pool.h"

namespace metrocap::cache {
namespace {

// Fills a key after a miss only if no invalidation happened since the miss: the loader
// read the generation after the miss and before the store, and an invalidation bumps it. Without
// this, a load that read the store before a write could put the old value back after the write's
// DEL.
constexpr char kFillScript[] =
    "local g = redis.call('GET', KEYS[2]) or '' "
    "if g ~= ARGV[1] then return 0 end "
    "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) "
    "return 1";

// Deletes the value, bumps its generation and tells every replica, in one round trip.
constexpr char kInvalidateScript[] =
    "redis.call('DEL', KEYS[1]) "
    "redis.call('INCR', KEYS[2]) "
    "redis.call('PEXPIRE', KEYS[2], ARGV[3]) "
    "return redis.call('PUBLISH', ARGV[1], ARGV[2])";

// A generation must outlive any load in flight; it is only needed that long.
constexpr absl::Duration kGenerationTtl = absl::Minutes(1);
// Invalidations kept for replay while Redis is unreachable; beyond this the TTL bounds
// staleness.
constexpr size_t kMaxPendingInvalidations = 100000;

}  // namespace

struct CacheClient::Redis {
  Redis(const RedisEndpoint& endpoint, const CacheConfig& config, CacheClient* client)
      : pool(endpoint, RedisPoolOptions{config.redis_connections, config.connect_timeout,
                                        config.command_timeout, config.failures_to_open,
                                        config.breaker_open_for}),
        listener(
            endpoint, config.channel,
            ListenerOptions{config.connect_timeout, config.command_timeout, absl::Milliseconds(500),
                            std::max(absl::Milliseconds(250), 4 * config.command_timeout)},
            [client](absl::string_view message) { client->OnInvalidationMessage(message); },
            [client] { client->RetryInvalidations(); }) {}
  RedisPool pool;
  InvalidationListener listener;
};

CacheConfig CacheConfigFor(const config::ComponentConfig& component) {
  CacheConfig config;
  config.redis_url = component.redis_url;
  return config;
}

// ---- LookupCache ----

LookupCache::LookupCache(CacheClient* client, std::string name)
    : client_(client), name_(std::move(name)), local_(client->config().local_capacity) {}

absl::optional<std::string> LookupCache::LocalHit(absl::string_view key) {
  {
    absl::MutexLock lock(&mu_);
    if (!LocalLayerUsable() || !local_.Contains(key, absl::Now())) return absl::nullopt;
  }
  // Before answering from memory, apply the invalidations that have already arrived (a
  // poll of the subscriber socket). Only here: a call that goes to Redis needs no check.
  client_->DrainInvalidations();
  absl::MutexLock lock(&mu_);
  if (!LocalLayerUsable()) return absl::nullopt;
  absl::optional<std::string> value = local_.Get(key, absl::Now());
  if (value.has_value()) ++local_hits_;
  return value;
}

absl::StatusOr<std::string> LookupCache::GetOrLoad(
    absl::string_view key, absl::FunctionRef<absl::StatusOr<std::string>()> load) {
  if (absl::optional<std::string> value = LocalHit(key)) return *std::move(value);
  std::shared_ptr<Flight> flight;
  uint64_t epoch = 0;
  bool leader = false;
  {
    absl::MutexLock lock(&mu_);
    auto it = flights_.find(key);
    if (it != flights_.end()) {
      flight = it->second;
    } else {
      flight = std::make_shared<Flight>();
      flights_.emplace(std::string(key), flight);
      epoch = epoch_;
      leader = true;
    }
  }
  if (!leader) {
    ++coalesced_waits_;
    flight->done.WaitForNotification();
    return flight->result;
  }
  flight->result = Lookup(key, load, epoch);
  {
    absl::MutexLock lock(&mu_);
    auto it = flights_.find(key);
    // An invalidation may have detached this flight and a newer one taken its place.
    if (it != flights_.end() && it->second == flight) flights_.erase(it);
  }
  flight->done.Notify();
  return flight->result;
}

absl::StatusOr<std::string> LookupCache::Lookup(
    absl::string_view key, absl::FunctionRef<absl::StatusOr<std::string>()> load, uint64_t epoch) {
  CacheClient::Redis* redis = client_->redis_.get();
  std::string redis_key;
  std::string generation_key;
  std::string generation;
  bool redis_answered = false;
  if (redis != nullptr) {
    redis_key = client_->RedisKey(name_, key);
    generation_key = redis_key + ":gen";
    absl::StatusOr<Reply> reply = redis->pool.Command({"GET", redis_key});
    if (reply.ok() && (*reply)->type == REDIS_REPLY_STRING) {
      ++redis_hits_;
      std::string found((*reply)->str, (*reply)->len);
      KeepLocally(key, found, epoch);
      return found;
    }
    // A miss: note the key's generation before reading the store (see kFillScript).
    if (reply.ok()) reply = redis->pool.Command({"GET", generation_key});
    if (reply.ok()) {
      redis_answered = true;
      generation = ReplyText(reply->get());
    } else {
      ++errors_;
    }
    if (redis_answered && client_->has_pending_) client_->RetryInvalidations();
  }
  ++misses_;
  absl::StatusOr<std::string> value = load();
  if (!value.ok()) return value;
  if (redis_answered) {
    std::string ttl = absl::StrCat(absl::ToInt64Milliseconds(client_->config().ttl));
    absl::StatusOr<Reply> filled = redis->pool.Command(
        {"EVAL", kFillScript, "2", redis_key, generation_key, generation, *value, ttl});
    if (!filled.ok()) ++errors_;
  }
  KeepLocally(key, *value, epoch);
  return value;
}

void LookupCache::KeepLocally(absl::string_view key, const std::string& value, uint64_t epoch) {
  absl::MutexLock lock(&mu_);
  if (epoch_ != epoch || !LocalLayerUsable()) return;
  const CacheConfig& config = client_->config();
  local_.Put(key, value, absl::Now() + std::min(config.local_ttl, config.ttl));
}

bool LookupCache::LocalLayerUsable() {
  if (!client_->LocalLayerTrusted()) return false;
  int64_t generation = client_->TrustGeneration();
  if (generation != trusted_generation_) {
    // Invalidations may have been missed while trust was lost: start empty.
    local_.Clear();
    ++epoch_;
    trusted_generation_ = generation;
  }
  return true;
}

void LookupCache::DropLocally(absl::string_view key) {
  ++invalidations_received_;
  absl::MutexLock lock(&mu_);
  local_.Erase(key);
  ++epoch_;
  // Callers arriving from now on must not share a load that began before the write.
  flights_.erase(std::string(key));
}

void LookupCache::Invalidate(absl::string_view key) {
  ++invalidations_;
  {
    absl::MutexLock lock(&mu_);
    local_.Erase(key);
    ++epoch_;
    flights_.erase(std::string(key));
  }
  client_->NotifySubscribers(name_, key);
  if (client_->redis_ == nullptr) return;
  if (!PublishInvalidation(std::string(key), /*settle=*/true)) {
    ++errors_;
    client_->QueueInvalidation(name_, std::string(key));
  }
}

bool LookupCache::PublishInvalidation(const std::string& key, bool settle) {
  std::string redis_key = client_->RedisKey(name_, key);
  std::string generation_key = redis_key + ":gen";
  std::string message = absl::StrCat(name_, "\n", key);
  std::string generation_ttl = absl::StrCat(absl::ToInt64Milliseconds(kGenerationTtl));
  RedisPool& pool = client_->redis_->pool;
  if (!pool.Command({"EVAL", kInvalidateScript, "2", redis_key, generation_key,
                     client_->config().channel, message, generation_ttl})
           .ok()) {
    return false;
  }
  // Redis sends a command's reply and the messages it published in the same pass before
  // it reads anything new. So once a later command is answered, every replica's copy is
  // on that replica's socket, where its next read looks (InvalidationListener::Drain)
  // before trusting its in-process layer: no replica answers the old value after the
  // write is acknowledged.
  if (settle) pool.Command({"PING"}).IgnoreError();
  return true;
}

CacheMetrics LookupCache::Metrics() const {
  CacheMetrics m;
  m.cache = name_;
  m.local_hits = local_hits_;
  m.redis_hits = redis_hits_;
  m.misses = misses_;
  m.errors = errors_;
  m.coalesced_waits = coalesced_waits_;
  m.invalidations = invalidations_;
  m.invalidations_received = invalidations_received_;
  return m;
}

// ---- CacheClient ----

absl::StatusOr<std::unique_ptr<CacheClient>> CacheClient::Create(const CacheConfig& config) {
  std::unique_ptr<CacheClient> client(new CacheClient(config));
  if (config.redis_url.empty()) return client;
  absl::StatusOr<RedisEndpoint> endpoint = ParseRedisUrl(config.redis_url);
  if (!endpoint.ok()) return endpoint.status();
  // hiredis writes with plain write(): a Redis that went away must not kill the process.
  signal(SIGPIPE, SIG_IGN);
  client->redis_ = std::make_unique<Redis>(*endpoint, client->config_, client.get());
  return client;
}

CacheClient::CacheClient(CacheConfig config) : config_(std::move(config)) {}

CacheClient::~CacheClient() {
  // The listener's thread calls into the caches: stop it before they go.
  redis_.reset();
}

LookupCache& CacheClient::Cache(absl::string_view name) {
  absl::MutexLock lock(&mu_);
  auto it = caches_.find(name);
  if (it == caches_.end()) {
    it = caches_
             .emplace(std::string(name),
                      std::unique_ptr<LookupCache>(new LookupCache(this, std::string(name))))
             .first;
  }
  return *it->second;
}

std::vector<CacheMetrics> CacheClient::Metrics() const {
  absl::MutexLock lock(&mu_);
  std::vector<CacheMetrics> all;
  for (const auto& [name, cache] : caches_) all.push_back(cache->Metrics());
  return all;
}

bool CacheClient::redis_healthy() const {
  return redis_ != nullptr && redis_->pool.healthy() && redis_->listener.subscribed();
}

bool CacheClient::LocalLayerTrusted() const {
  return redis_ == nullptr || (redis_->listener.subscribed() && redis_->pool.healthy());
}

int64_t CacheClient::TrustGeneration() const {
  if (redis_ == nullptr) return 0;
  return redis_->listener.subscriptions() + redis_->pool.recoveries();
}

void CacheClient::DrainInvalidations() {
  if (redis_ != nullptr) redis_->listener.Drain();
}

std::string CacheClient::RedisKey(absl::string_view cache, absl::string_view key) const {
  // The braces make a Redis Cluster hash tag: a value and its generation share a slot.
  return absl::StrCat(config_.key_prefix, ":{", cache, ":", key, "}");
}

void CacheClient::OnInvalidationMessage(absl::string_view message) {
  // "<cache>\n<key>"
  size_t newline = message.find('\n');
  if (newline == absl::string_view::npos) return;
  absl::string_view cache = message.substr(0, newline);
  LookupCache* target = nullptr;
  {
    absl::MutexLock lock(&mu_);
    auto it = caches_.find(cache);
    if (it != caches_.end()) target = it->second.get();
  }
  absl::string_view key = message.substr(newline + 1);
  if (target != nullptr) target->DropLocally(key);
  NotifySubscribers(cache, key);
}

std::unique_ptr<InvalidationSubscription> CacheClient::Subscribe(
    absl::string_view cache, InvalidationSubscription::Handler on_invalidated) {
  std::unique_ptr<InvalidationSubscription> subscription(
      new InvalidationSubscription(this, std::string(cache), std::move(on_invalidated)));
  absl::MutexLock lock(&subscribers_mu_);
  subscribers_.emplace(std::string(cache), subscription.get());
  return subscription;
}

void CacheClient::Unsubscribe(const InvalidationSubscription* subscription) {
  absl::MutexLock lock(&subscribers_mu_);
  auto [begin, end] = subscribers_.equal_range(subscription->cache());
  for (auto it = begin; it != end; ++it) {
    if (it->second == subscription) {
      subscribers_.erase(it);
      return;
    }
  }
}

void CacheClient::NotifySubscribers(absl::string_view cache, absl::string_view key) {
  absl::ReaderMutexLock lock(&subscribers_mu_);
  auto [begin, end] = subscribers_.equal_range(cache);
  for (auto it = begin; it != end; ++it) it->second->handler_(key);
}

void CacheClient::QueueInvalidation(const std::string& cache, const std::string& key) {
  absl::MutexLock lock(&pending_mu_);
  if (pending_.size() < kMaxPendingInvalidations) pending_.emplace(cache, key);
  has_pending_ = true;
}

void CacheClient::RetryInvalidations() {
  if (!has_pending_) return;
  std::set<std::pair<std::string, std::string>> pending;
  {
    absl::MutexLock lock(&pending_mu_);
    pending.swap(pending_);
    has_pending_ = false;
  }
  for (auto it = pending.begin(); it != pending.end();) {
    if (Cache(it->first).PublishInvalidation(it->second, /*settle=*/false)) {
      it = pending.erase(it);
    } else {
      break;  // Redis is still away: keep the rest for next time
    }
  }
  if (pending.empty()) return;
  absl::MutexLock lock(&pending_mu_);
  pending_.insert(pending.begin(), pending.end());
  has_pending_ = true;
}

}  // namespace metrocap::cache
