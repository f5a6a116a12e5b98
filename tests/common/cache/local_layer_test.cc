#include "common/cache/local_layer.h"

#include "common/cache/circuit_breaker.h"
#include "common/cache/redis_connection.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace metrocap::cache {
namespace {

using ::metrocap::testing::StatusIs;

const absl::Time kNow = absl::FromUnixSeconds(1700000000);

TEST(LocalLayerTest, EvictsTheLeastRecentlyUsed) {
  LocalLayer layer(2);
  layer.Put("a", "1", kNow + absl::Minutes(1));
  layer.Put("b", "2", kNow + absl::Minutes(1));
  EXPECT_EQ(layer.Get("a", kNow), "1");  // a is now the most recently used
  layer.Put("c", "3", kNow + absl::Minutes(1));
  EXPECT_EQ(layer.Get("b", kNow), absl::nullopt);
  EXPECT_EQ(layer.Get("a", kNow), "1");
  EXPECT_EQ(layer.Get("c", kNow), "3");
  EXPECT_EQ(layer.size(), 2u);
}

TEST(LocalLayerTest, ExpiredValuesAreGoneAndReplacingRefreshes) {
  LocalLayer layer(10);
  layer.Put("a", "1", kNow + absl::Seconds(1));
  EXPECT_EQ(layer.Get("a", kNow + absl::Seconds(1)), absl::nullopt);
  EXPECT_EQ(layer.size(), 0u);
  layer.Put("b", "1", kNow + absl::Seconds(1));
  layer.Put("b", "2", kNow + absl::Seconds(5));
  EXPECT_EQ(layer.Get("b", kNow + absl::Seconds(2)), "2");
  layer.Erase("b");
  EXPECT_EQ(layer.Get("b", kNow), absl::nullopt);
  layer.Put("c", "3", kNow + absl::Seconds(5));
  layer.Clear();
  EXPECT_EQ(layer.size(), 0u);
}

TEST(LocalLayerTest, ZeroCapacityKeepsNothing) {
  LocalLayer layer(0);
  layer.Put("a", "1", kNow + absl::Minutes(1));
  EXPECT_EQ(layer.Get("a", kNow), absl::nullopt);
}

TEST(CircuitBreakerTest, OpensAfterFailuresInARowThenProbesOnce) {
  CircuitBreaker breaker(2, absl::Seconds(1));
  ASSERT_TRUE(breaker.Allow(kNow));
  breaker.Failed(kNow);
  ASSERT_TRUE(breaker.Allow(kNow));
  breaker.Succeeded();  // a success resets the count
  ASSERT_TRUE(breaker.Allow(kNow));
  breaker.Failed(kNow);
  ASSERT_TRUE(breaker.Allow(kNow));
  breaker.Failed(kNow);
  EXPECT_FALSE(breaker.closed());
  EXPECT_FALSE(breaker.Allow(kNow + absl::Milliseconds(999)));
  // Half-open: exactly one probe.
  EXPECT_TRUE(breaker.Allow(kNow + absl::Seconds(1)));
  EXPECT_FALSE(breaker.Allow(kNow + absl::Seconds(1)));
  breaker.Failed(kNow + absl::Seconds(1));
  EXPECT_FALSE(breaker.Allow(kNow + absl::Seconds(1.5)));
  EXPECT_TRUE(breaker.Allow(kNow + absl::Seconds(2)));
  breaker.Succeeded();
  EXPECT_TRUE(breaker.closed());
  EXPECT_EQ(breaker.recoveries(), 1);
}

TEST(CircuitBreakerTest, AnAbstainingProbeLetsTheNextOneThrough) {
  CircuitBreaker breaker(1, absl::Seconds(1));
  ASSERT_TRUE(breaker.Allow(kNow));
  breaker.Failed(kNow);
  ASSERT_TRUE(breaker.Allow(kNow + absl::Seconds(2)));
  breaker.Abstained();
  EXPECT_TRUE(breaker.Allow(kNow + absl::Seconds(2)));
}

TEST(RedisUrlTest, ParsesHostPortCredentialsAndDatabase) {
  ASSERT_OK_AND_ASSIGN(RedisEndpoint plain, ParseRedisUrl("redis://cache.internal"));
  EXPECT_EQ(plain.host, "cache.internal");
  EXPECT_EQ(plain.port, 6379);
  ASSERT_OK_AND_ASSIGN(RedisEndpoint full, ParseRedisUrl("redis://app:s3cr:et@10.0.0.7:6380/2"));
  EXPECT_EQ(full.user, "app");
  EXPECT_EQ(full.password, "s3cr:et");
  EXPECT_EQ(full.host, "10.0.0.7");
  EXPECT_EQ(full.port, 6380);
  EXPECT_EQ(full.db, 2);
  ASSERT_OK_AND_ASSIGN(RedisEndpoint password_only, ParseRedisUrl("redis://:pw@h:1"));
  EXPECT_EQ(password_only.user, "");
  EXPECT_EQ(password_only.password, "pw");
  EXPECT_THAT(ParseRedisUrl("http://h"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseRedisUrl("redis://h:99999"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseRedisUrl("redis://h:1/x"), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace metrocap::cache
