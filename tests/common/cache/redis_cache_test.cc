// The cache against a real redis-server, with two clients standing for two replicas of a
// service: shared hits, invalidation across replicas, miss coalescing, the fill guard.
#include <thread>
#include <vector>

#include "common/cache/lookup_cache.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"
#include "tests/common/cache/redis_fixture.h"

namespace metrocap::cache {
namespace {

using testing::RedisCacheTest;

TEST_F(RedisCacheTest, OneReplicasLoadIsTheOthersRedisHit) {
  store_.Set("organisations/milan", "milan-v1");
  EXPECT_EQ(*Get(a(), "organisations/milan"), "milan-v1");
  EXPECT_EQ(*Get(b(), "organisations/milan"), "milan-v1");
  EXPECT_EQ(*Get(b(), "organisations/milan"), "milan-v1");
  EXPECT_EQ(store_.loads(), 1);
  CacheMetrics a_metrics = a().Metrics();
  CacheMetrics b_metrics = b().Metrics();
  EXPECT_EQ(a_metrics.misses, 1u);
  EXPECT_EQ(b_metrics.redis_hits, 1u);
  EXPECT_EQ(b_metrics.local_hits, 1u);
  EXPECT_EQ(a_metrics.errors + b_metrics.errors, 0u);
  // The value lives in Redis under the cache's key, with the TTL.
  ASSERT_OK_AND_ASSIGN(std::string stored,
                       redis_->Command({"GET", "metrocap:{organisations:organisations/milan}"}));
  EXPECT_EQ(stored, "milan-v1");
  ASSERT_OK_AND_ASSIGN(std::string ttl,
                       redis_->Command({"PTTL", "metrocap:{organisations:organisations/milan}"}));
  EXPECT_GT(std::stoll(ttl), 0);
  EXPECT_LE(std::stoll(ttl), absl::ToInt64Milliseconds(CacheConfig{}.ttl));
}

TEST_F(RedisCacheTest, AWriteThroughOneReplicaIsSeenAtOnceThroughTheOther) {
  const std::string key = "organisations/turin";
  store_.Set(key, "v0");
  ASSERT_EQ(*Get(a(), key), "v0");
  ASSERT_EQ(*Get(b(), key), "v0");
  for (int i = 1; i <= 200; ++i) {
    // A write committed through replica a, then acknowledged...
    std::string value = "v" + std::to_string(i);
    store_.Set(key, value);
    a().Invalidate(key);
    // ...is what replica b answers next, though it had the old value in memory.
    ASSERT_EQ(*Get(b(), key), value)
        << "stale read on the other replica after write " << i << " (" << Diagnostics() << ")";
    ASSERT_EQ(*Get(a(), key), value);
  }
  EXPECT_GE(b().Metrics().invalidations_received, 200u);
  EXPECT_EQ(a().Metrics().errors + b().Metrics().errors, 0u);
}

TEST_F(RedisCacheTest, TwoHundredConcurrentMissesOnOneKeyLoadAtMostTwice) {
  store_.Set("organisations/porto", "porto");
  absl::Notification gate;
  store_.HoldLoadsAt(&gate);
  std::vector<std::thread> callers;
  std::atomic<int> wrong{0};
  for (int i = 0; i < 200; ++i) {
    LookupCache& replica = i % 2 == 0 ? a() : b();
    callers.emplace_back([&, &replica = replica] {
      absl::StatusOr<std::string> value = Get(replica, "organisations/porto");
      if (!value.ok() || *value != "porto") ++wrong;
    });
  }
  ASSERT_OK(metrocap::testing::PollUntil(
      [&]() -> absl::StatusOr<bool> {
        return a().Metrics().coalesced_waits + b().Metrics().coalesced_waits >= 198;
      },
      absl::Seconds(20), "callers waiting on the loads"));
  gate.Notify();
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_LE(store_.loads(), 2);
}

TEST_F(RedisCacheTest, ALoadOverlappingAWriteDoesNotPutTheOldValueBack) {
  const std::string key = "organisations/lyon";
  absl::Notification load_started;
  absl::Notification write_done;
  // Replica a reads the store before the write and is slow to fill the cache.
  std::thread slow_reader([&] {
    absl::StatusOr<std::string> value = a().GetOrLoad(key, [&]() -> absl::StatusOr<std::string> {
      load_started.Notify();
      write_done.WaitForNotification();
      return std::string("old");
    });
    EXPECT_EQ(*value, "old");  // concurrent with the write: either answer is right
  });
  load_started.WaitForNotification();
  store_.Set(key, "new");
  b().Invalidate(key);
  write_done.Notify();
  slow_reader.join();
  ASSERT_OK_AND_ASSIGN(std::string in_redis,
                       redis_->Command({"GET", "metrocap:{organisations:organisations/lyon}"}));
  EXPECT_EQ(in_redis, "");
  EXPECT_EQ(*Get(a(), key), "new");
  EXPECT_EQ(*Get(b(), key), "new");
}

TEST_F(RedisCacheTest, AFlushedRedisIsRefilledFromTheStore) {
  store_.Set("k", "v");
  ASSERT_EQ(*Get(a(), "k"), "v");
  ASSERT_OK(redis_->FlushAll());
  EXPECT_EQ(*Get(b(), "k"), "v");
  EXPECT_EQ(store_.loads(), 2);
  ASSERT_OK_AND_ASSIGN(std::string in_redis,
                       redis_->Command({"GET", "metrocap:{organisations:k}"}));
  EXPECT_EQ(in_redis, "v");
}

TEST_F(RedisCacheTest, ARevokedApiKeyIsRefusedAtOnceByEveryReplica) {
  // The gateway's key -> principal cache: a revoked key's record is deleted (the loader
  // then fails NOT_FOUND, which is never cached), and the revoking replica invalidates.
  const std::string key = "apiKeys/3f9a";
  store_.Set(key, "principal: partners/acme");
  LookupCache& gateway_a = client_a_->Cache("apiKeys");
  LookupCache& gateway_b = client_b_->Cache("apiKeys");
  ASSERT_OK(Get(gateway_a, key));
  ASSERT_OK(Get(gateway_b, key));
  ASSERT_OK(Get(gateway_b, key));  // now in b's in-process layer too

  store_.Erase(key);
  gateway_a.Invalidate(key);
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(Get(gateway_b, key), metrocap::testing::StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(Get(gateway_a, key), metrocap::testing::StatusIs(absl::StatusCode::kNotFound));
  }
  // Other caches of the same clients are untouched.
  store_.Set("organisations/milan", "milan");
  ASSERT_OK(Get(a(), "organisations/milan"));
  EXPECT_EQ(b().Metrics().invalidations_received, 0u);
}

}  // namespace
}  // namespace metrocap::cache
