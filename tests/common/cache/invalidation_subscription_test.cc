// CacheClient::Subscribe: copies kept outside the cache (the gateway's resolved API keys)
// hear of every invalidation of their cache, from this process and from the others through
// a real redis-server, and learn when invalidations may have been missed.
#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/cache/lookup_cache.h"
#include "common/cache/names.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"
#include "tests/common/cache/redis_fixture.h"

namespace metrocap::cache {
namespace {

using ::metrocap::testing::PollUntil;

// The keys a subscriber has heard of, in order.
class Heard {
 public:
  InvalidationSubscription::Handler Handler() {
    return [this](absl::string_view key) {
      absl::MutexLock lock(&mu_);
      keys_.emplace_back(key);
    };
  }
  std::vector<std::string> keys() const {
    absl::MutexLock lock(&mu_);
    return keys_;
  }
  bool Has(const std::string& key) const {
    absl::MutexLock lock(&mu_);
    return std::find(keys_.begin(), keys_.end(), key) != keys_.end();
  }
  size_t size() const {
    absl::MutexLock lock(&mu_);
    return keys_.size();
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> keys_ ABSL_GUARDED_BY(mu_);
};

TEST(InvalidationSubscriptionTest, WithoutRedisItHearsThisProcesssInvalidationsAtOnce) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<CacheClient> client, CacheClient::Create(CacheConfig{}));
  Heard heard;
  std::unique_ptr<InvalidationSubscription> subscription =
      client->Subscribe(kApiKeysCache, heard.Handler());
  EXPECT_TRUE(subscription->Trusted());
  EXPECT_EQ(subscription->TrustGeneration(), 0);
  client->Cache(kApiKeysCache).Invalidate("digest-1");
  client->Cache(kOrganisationsCache).Invalidate("organisations/milan");
  EXPECT_EQ(heard.keys(), std::vector<std::string>{"digest-1"});
  subscription.reset();
  client->Cache(kApiKeysCache).Invalidate("digest-2");
  EXPECT_EQ(heard.size(), 1u);
}

using InvalidationSubscriptionRedisTest = testing::RedisCacheTest;

// The gateway's case: the subscriber's process never opens the cache, another process
// invalidates, and the subscriber's next read (after CatchUp) must already know.
TEST_F(InvalidationSubscriptionRedisTest, AnotherReplicasInvalidationIsHeardBeforeTheNextRead) {
  Heard heard;
  std::unique_ptr<InvalidationSubscription> subscription =
      client_b_->Subscribe(kApiKeysCache, heard.Handler());
  EXPECT_TRUE(subscription->Trusted());
  const int64_t generation = subscription->TrustGeneration();
  for (int i = 0; i < 500; ++i) {
    const std::string digest = absl::StrCat("digest-", i);
    client_a_->Cache(kApiKeysCache).Invalidate(digest);
    // Invalidate returned: the message is on b's socket, and CatchUp applies it here.
    subscription->CatchUp();
    ASSERT_TRUE(heard.Has(digest)) << "invalidation " << i << " not heard after CatchUp";
  }
  // Other caches' invalidations are not this subscriber's business.
  client_a_->Cache(kOrganisationsCache).Invalidate("organisations/milan");
  subscription->CatchUp();
  EXPECT_FALSE(heard.Has("organisations/milan"));
  EXPECT_EQ(heard.size(), 500u);
  EXPECT_TRUE(subscription->Trusted());
  EXPECT_EQ(subscription->TrustGeneration(), generation);
}

TEST_F(InvalidationSubscriptionRedisTest, EverySubscriberOfTheCacheHearsAndOnlyWhileSubscribed) {
  Heard first, second, writer;
  auto first_subscription = client_b_->Subscribe(kApiKeysCache, first.Handler());
  auto second_subscription = client_b_->Subscribe(kApiKeysCache, second.Handler());
  auto writer_subscription = client_a_->Subscribe(kApiKeysCache, writer.Handler());
  client_a_->Cache(kApiKeysCache).Invalidate("digest-a");
  // The writer's own subscriber hears of it without waiting for the channel.
  EXPECT_TRUE(writer.Has("digest-a"));
  second_subscription->CatchUp();
  EXPECT_TRUE(first.Has("digest-a"));
  EXPECT_TRUE(second.Has("digest-a"));

  second_subscription.reset();
  client_a_->Cache(kApiKeysCache).Invalidate("digest-b");
  first_subscription->CatchUp();
  EXPECT_TRUE(first.Has("digest-b"));
  EXPECT_FALSE(second.Has("digest-b"));
}

// Subscribing and unsubscribing while invalidations stream in: a handler is never called
// after its subscription is gone (its recorder is destroyed right after).
TEST_F(InvalidationSubscriptionRedisTest, UnsubscribingWhileMessagesArriveIsSafe) {
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) client_a_->Cache(kApiKeysCache).Invalidate(absl::StrCat("d", i));
  });
  size_t heard_total = 0;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  for (int round = 0; round < 200 || (heard_total < 100 && absl::Now() < deadline); ++round) {
    auto heard = std::make_unique<Heard>();
    auto subscription = client_b_->Subscribe(kApiKeysCache, heard->Handler());
    subscription->CatchUp();
    subscription.reset();
    heard_total += heard->size();
  }
  stop = true;
  writer.join();
  EXPECT_GE(heard_total, 100u);
}

// Redis going away is visible (not Trusted), and coming back changes the generation:
// invalidations made meanwhile may have been missed (a writer replays its own, but the
// subscriber may not be listening yet), so a subscriber drops everything it kept. Once
// trusted again, it hears invalidations again.
TEST_F(InvalidationSubscriptionRedisTest, TrustIsLostWithRedisAndRegainedUnderANewGeneration) {
  Heard heard;
  auto subscription = client_b_->Subscribe(kApiKeysCache, heard.Handler());
  ASSERT_TRUE(subscription->Trusted());
  const int64_t before = subscription->TrustGeneration();

  ASSERT_OK(redis_->Kill());
  ASSERT_OK(PollUntil([&]() -> absl::StatusOr<bool> { return !subscription->Trusted(); },
                      absl::Seconds(10), "the subscriber to notice Redis is gone"));
  EXPECT_EQ(subscription->TrustGeneration(), before);
  client_a_->Cache(kApiKeysCache).Invalidate("revoked-while-down");
  subscription->CatchUp();
  EXPECT_FALSE(heard.Has("revoked-while-down"));

  ASSERT_OK(redis_->Restart());
  ASSERT_OK(PollUntil([&]() -> absl::StatusOr<bool> { return subscription->Trusted(); },
                      absl::Seconds(10), "the subscriber to trust Redis again"));
  EXPECT_NE(subscription->TrustGeneration(), before);
  client_a_->Cache(kApiKeysCache).Invalidate("revoked-after-return");
  ASSERT_OK(PollUntil(
      [&]() -> absl::StatusOr<bool> {
        subscription->CatchUp();
        return heard.Has("revoked-after-return");
      },
      absl::Seconds(10), "an invalidation made after Redis returned"));
}

}  // namespace
}  // namespace metrocap::cache
