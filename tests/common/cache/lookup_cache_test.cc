// The cache without Redis: the in-process layer, miss coalescing and invalidation.
#include "common/cache/lookup_cache.h"

#include <thread>
#include <vector>

#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"
#include "metrocap/membership/v1/membership.pb.h"
#include "tests/common/cache/fake_store.h"

namespace metrocap::cache {
namespace {

using ::metrocap::testing::StatusIs;
using testing::FakeStore;

std::unique_ptr<CacheClient> InProcessClient() {
  absl::StatusOr<std::unique_ptr<CacheClient>> client = CacheClient::Create(CacheConfig{});
  EXPECT_TRUE(client.ok()) << client.status();
  return *std::move(client);
}

TEST(LookupCacheTest, MissLoadsOnceThenHitsAndInvalidateReloads) {
  auto client = InProcessClient();
  LookupCache& cache = client->Cache("organisations");
  FakeStore store;
  store.Set("organisations/milan", "v1");
  EXPECT_EQ(*cache.GetOrLoad("organisations/milan", store.Loader("organisations/milan")), "v1");
  EXPECT_EQ(*cache.GetOrLoad("organisations/milan", store.Loader("organisations/milan")), "v1");
  EXPECT_EQ(store.loads(), 1);
  store.Set("organisations/milan", "v2");
  cache.Invalidate("organisations/milan");
  EXPECT_EQ(*cache.GetOrLoad("organisations/milan", store.Loader("organisations/milan")), "v2");
  EXPECT_EQ(store.loads(), 2);

  CacheMetrics metrics = cache.Metrics();
  EXPECT_EQ(metrics.cache, "organisations");
  EXPECT_EQ(metrics.local_hits, 1u);
  EXPECT_EQ(metrics.misses, 2u);
  EXPECT_EQ(metrics.invalidations, 1u);
  EXPECT_EQ(metrics.errors, 0u);
  EXPECT_FALSE(client->redis_healthy());
}

TEST(LookupCacheTest, FailedLoadsAreReturnedAndNotCached) {
  auto client = InProcessClient();
  LookupCache& cache = client->Cache("organisations");
  FakeStore store;
  EXPECT_THAT(cache.GetOrLoad("organisations/none", store.Loader("organisations/none")),
              StatusIs(absl::StatusCode::kNotFound));
  store.Set("organisations/none", "now here");
  EXPECT_EQ(*cache.GetOrLoad("organisations/none", store.Loader("organisations/none")), "now here");
}

TEST(LookupCacheTest, ConcurrentMissesOnOneKeyShareOneLoad) {
  auto client = InProcessClient();
  LookupCache& cache = client->Cache("organisations");
  FakeStore store;
  store.Set("k", "v");
  absl::Notification gate;
  store.HoldLoadsAt(&gate);
  constexpr int kCallers = 200;
  std::vector<std::thread> callers;
  std::atomic<int> wrong{0};
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&] {
      absl::StatusOr<std::string> value = cache.GetOrLoad("k", store.Loader("k"));
      if (!value.ok() || *value != "v") ++wrong;
    });
  }
  // Every caller but the loading one piles up behind the load before it finishes.
  while (cache.Metrics().coalesced_waits < static_cast<uint64_t>(kCallers - 1)) {
    std::this_thread::yield();
  }
  gate.Notify();
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(store.loads(), 1);
  EXPECT_EQ(cache.Metrics().misses, 1u);
}

TEST(LookupCacheTest, CallersAfterAnInvalidationDoNotJoinAnOlderLoad) {
  auto client = InProcessClient();
  LookupCache& cache = client->Cache("organisations");
  FakeStore store;
  store.Set("k", "old");
  absl::Notification gate;
  store.HoldLoadsAt(&gate);
  std::thread early([&] { EXPECT_EQ(*cache.GetOrLoad("k", store.Loader("k")), "old"); });
  while (store.loads() == 0) std::this_thread::yield();
  // The write lands while the early load is held; its value is already out of date.
  cache.Invalidate("k");
  store.HoldLoadsAt(nullptr);
  gate.Notify();
  early.join();
  store.Set("k", "new");
  EXPECT_EQ(*cache.GetOrLoad("k", store.Loader("k")), "new");
}

TEST(LookupCacheTest, TypedMessagesRoundTripWithTheirEtag) {
  auto client = InProcessClient();
  LookupCache& cache = client->Cache("organisations");
  int loads = 0;
  auto load = [&]() -> absl::StatusOr<membership::v1::Organisation> {
    ++loads;
    membership::v1::Organisation org;
    org.set_name("organisations/milan");
    org.set_etag("\"3\"");
    return org;
  };
  ASSERT_OK_AND_ASSIGN(auto first, GetOrLoadMessage<membership::v1::Organisation>(
                                       cache, "organisations/milan", load));
  ASSERT_OK_AND_ASSIGN(auto second, GetOrLoadMessage<membership::v1::Organisation>(
                                        cache, "organisations/milan", load));
  EXPECT_EQ(second.etag(), "\"3\"");
  EXPECT_EQ(first.name(), second.name());
  EXPECT_EQ(loads, 1);
}

TEST(LookupCacheTest, CachesAreSeparateAndListedInMetrics) {
  auto client = InProcessClient();
  FakeStore store;
  store.Set("k", "v");
  ASSERT_OK(client->Cache("organisations").GetOrLoad("k", store.Loader("k")));
  ASSERT_OK(client->Cache("frameworks").GetOrLoad("k", store.Loader("k")));
  EXPECT_EQ(store.loads(), 2);
  EXPECT_EQ(&client->Cache("organisations"), &client->Cache("organisations"));
  std::vector<CacheMetrics> all = client->Metrics();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].cache, "frameworks");
  EXPECT_EQ(all[1].cache, "organisations");
}

TEST(LookupCacheTest, ComponentConfigGivesTheRedisUrl) {
  config::ComponentConfig component;
  component.redis_url = "redis://cache:6379/1";
  EXPECT_EQ(CacheConfigFor(component).redis_url, "redis://cache:6379/1");
  EXPECT_EQ(CacheConfigFor(config::ComponentConfig{}).redis_url, "");
}

TEST(LookupCacheTest, MalformedRedisUrlIsRefused) {
  CacheConfig config;
  config.redis_url = "http://localhost";
  EXPECT_THAT(CacheClient::Create(config), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace metrocap::cache
