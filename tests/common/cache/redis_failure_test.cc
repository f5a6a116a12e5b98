// Redis killed, paused (SIGSTOP) and restarted under a load of reads: no lookup fails, none
// waits long, and the cache is back in use within 5 s of Redis returning.
#include <atomic>
#include <iostream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/cache/lookup_cache.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"
#include "tests/common/cache/redis_fixture.h"

namespace metrocap::cache {
namespace {

using ::metrocap::testing::PollUntil;

constexpr int kKeys = 20;
// The bound on one lookup while Redis misbehaves: a few command timeouts, far from a hang.
constexpr absl::Duration kSlowestAllowed = absl::Seconds(1);
constexpr absl::Duration kBackInUse = absl::Seconds(5);

class RedisFailureTest : public testing::RedisCacheTest {
 protected:
  // The production timeouts, and a small in-process layer so that most reads go to Redis.
  CacheConfig Config() override {
    CacheConfig config;
    config.local_capacity = 2;
    return config;
  }

  void SetUp() override {
    RedisCacheTest::SetUp();
    if (IsSkipped()) return;
    for (int k = 0; k < kKeys; ++k) store_.Set(absl::StrCat("k", k), absl::StrCat("v", k));
  }

  void StartReaders(int per_replica) {
    for (int i = 0; i < 2 * per_replica; ++i) {
      LookupCache* replica = i % 2 == 0 ? &a() : &b();
      readers_.emplace_back([this, replica, i] {
        for (int n = i; !stop_; ++n) {
          std::string key = absl::StrCat("k", n % kKeys);
          absl::Time started = absl::Now();
          absl::StatusOr<std::string> value = Get(*replica, key);
          absl::Duration took = absl::Now() - started;
          ++lookups_;
          if (!value.ok() || *value != absl::StrCat("v", n % kKeys)) ++failures_;
          absl::MutexLock lock(&mu_);
          slowest_ = std::max(slowest_, took);
        }
      });
    }
  }

  void StopReaders() {
    stop_ = true;
    for (std::thread& t : readers_) t.join();
    readers_.clear();
  }

  void TearDown() override {
    if (!readers_.empty()) StopReaders();
  }

  // Waits until `count` more lookups have been answered.
  absl::Status MoreLookups(int count) {
    int64_t target = lookups_ + count;
    return PollUntil([&]() -> absl::StatusOr<bool> { return lookups_ >= target; },
                     absl::Seconds(20), "lookups to go on");
  }

  // Redis is in use again when a value one replica loads is a Redis hit on the other.
  absl::Status BackInUse(absl::Duration timeout) {
    int probe = 0;
    return PollUntil(
        [&]() -> absl::StatusOr<bool> {
          std::string key = absl::StrCat("probe-", probe++);
          store_.Set(key, "p");
          uint64_t hits_before = b().Metrics().redis_hits;
          if (!Get(a(), key).ok() || !Get(b(), key).ok()) return false;
          return b().Metrics().redis_hits > hits_before;
        },
        timeout, "Redis to be in use again");
  }

  void Report(absl::string_view what, absl::Duration back_in_use) {
    std::cout << "[ figures  ] " << what << ": " << lookups_ << " lookups, " << failures_
              << " failed, " << store_.loads() << " store loads, slowest "
              << absl::FormatDuration(slowest()) << ", Redis in use again after "
              << absl::FormatDuration(back_in_use) << std::endl;
  }

  absl::Duration slowest() {
    absl::MutexLock lock(&mu_);
    return slowest_;
  }

  std::vector<std::thread> readers_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> lookups_{0};
  std::atomic<int64_t> failures_{0};
  absl::Mutex mu_;
  absl::Duration slowest_ ABSL_GUARDED_BY(mu_);
};

TEST_F(RedisFailureTest, KilledAndRestartedRedisFailsNoLookup) {
  StartReaders(2);
  ASSERT_OK(MoreLookups(500));
  ASSERT_OK(redis_->Kill());
  ASSERT_OK(MoreLookups(500));
  EXPECT_GT(a().Metrics().errors + b().Metrics().errors, 0u);
  ASSERT_OK(redis_->Restart());
  absl::Time restarted = absl::Now();
  ASSERT_OK(BackInUse(kBackInUse));
  absl::Duration back_in_use = absl::Now() - restarted;
  EXPECT_LT(back_in_use, kBackInUse);
  ASSERT_OK(MoreLookups(500));
  StopReaders();
  Report("killed + restarted", back_in_use);
  EXPECT_EQ(failures_, 0) << "of " << lookups_ << " lookups";
  EXPECT_LT(slowest(), kSlowestAllowed);
}

TEST_F(RedisFailureTest, PausedRedisFailsNoLookupAndIsUsedAgainAfterResume) {
  StartReaders(2);
  ASSERT_OK(MoreLookups(500));
  ASSERT_OK(redis_->Pause());
  int64_t loads_when_paused = store_.loads();
  ASSERT_OK(MoreLookups(500));
  EXPECT_GT(store_.loads(), loads_when_paused);  // served from the store meanwhile
  ASSERT_OK(redis_->Resume());
  absl::Time resumed = absl::Now();
  ASSERT_OK(BackInUse(kBackInUse));
  absl::Duration back_in_use = absl::Now() - resumed;
  EXPECT_LT(back_in_use, kBackInUse);
  ASSERT_OK(MoreLookups(500));
  StopReaders();
  Report("paused + resumed", back_in_use);
  EXPECT_EQ(failures_, 0) << "of " << lookups_ << " lookups";
  EXPECT_LT(slowest(), kSlowestAllowed);
}

TEST_F(RedisFailureTest, AnInvalidationRedisMissedIsDeliveredWhenItAnswersAgain) {
  ASSERT_EQ(*Get(a(), "k1"), "v1");
  ASSERT_OK(redis_->Pause());
  store_.Set("k1", "v1-new");
  a().Invalidate("k1");  // cannot reach Redis: kept for later
  ASSERT_OK(redis_->Resume());
  ASSERT_OK(PollUntil(
      [&]() -> absl::StatusOr<bool> {
        absl::StatusOr<std::string> stored =
            redis_->Command({"GET", "metrocap:{organisations:k1}"});
        return stored.ok() && stored->empty();
      },
      kBackInUse, "the missed invalidation to reach Redis"));
  ASSERT_OK(BothHealthy(kBackInUse));
  EXPECT_EQ(*Get(b(), "k1"), "v1-new");
}

TEST_F(RedisFailureTest, ReplicaStartedWhileRedisIsDownServesFromTheStoreThenUsesRedis) {
  ASSERT_OK(redis_->Kill());
  CacheConfig config = Config();
  config.redis_url = redis_->Url();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<CacheClient> late, CacheClient::Create(config));
  LookupCache& cache = late->Cache("organisations");
  for (int i = 0; i < 20; ++i) EXPECT_EQ(*Get(cache, "k3"), "v3");
  ASSERT_OK(redis_->Restart());
  // The breaker lets a probe through on the next lookups; then Redis is used again.
  ASSERT_OK(PollUntil(
      [&]() -> absl::StatusOr<bool> { return Get(cache, "k3").ok() && late->redis_healthy(); },
      kBackInUse, "the late replica to reach Redis"));
  ASSERT_EQ(*Get(cache, "k4"), "v4");
  ASSERT_OK_AND_ASSIGN(std::string stored, redis_->Command({"GET", "metrocap:{organisations:k4}"}));
  EXPECT_EQ(stored, "v4");
}

}  // namespace
}  // namespace metrocap::cache
