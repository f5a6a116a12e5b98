#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gateway/core/metrics.h"
#include "gateway/core/rate_limiter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RateLimiterTest, BurstThenSteadyRate) {
  absl::Time now = absl::FromUnixSeconds(1000);
  RateLimiter limiter({/*tokens_per_second=*/10, /*burst=*/5}, [&now] { return now; });
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Acquire("partners/a").allowed);
  RateLimiter::Decision refused = limiter.Acquire("partners/a");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, absl::Milliseconds(100));
  // Other partners have their own bucket.
  EXPECT_TRUE(limiter.Acquire("partners/b").allowed);
  now += absl::Milliseconds(100);
  EXPECT_TRUE(limiter.Acquire("partners/a").allowed);
  EXPECT_FALSE(limiter.Acquire("partners/a").allowed);
  // Idle time refills up to the burst, not beyond.
  now += absl::Hours(1);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Acquire("partners/a").allowed);
  EXPECT_FALSE(limiter.Acquire("partners/a").allowed);
}

// A bucket held by handle (as the gateway keeps one with a cached API key) is the partner's
// one bucket: tokens taken by name and by handle come from the same burst.
TEST(RateLimiterTest, ABucketHandleIsThePartnersBucket) {
  absl::Time now = absl::FromUnixSeconds(1000);
  RateLimiter limiter({/*tokens_per_second=*/10, /*burst=*/4}, [&now] { return now; });
  RateLimiter::Bucket* bucket = limiter.BucketOf("partners/a");
  EXPECT_EQ(limiter.BucketOf("partners/a"), bucket);
  EXPECT_NE(limiter.BucketOf("partners/b"), bucket);
  EXPECT_TRUE(limiter.Acquire(bucket).allowed);
  EXPECT_TRUE(limiter.Acquire("partners/a").allowed);
  EXPECT_TRUE(limiter.Acquire(bucket).allowed);
  EXPECT_TRUE(limiter.Acquire("partners/a").allowed);
  RateLimiter::Decision refused = limiter.Acquire(bucket);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, absl::Milliseconds(100));
  EXPECT_TRUE(limiter.Acquire("partners/b").allowed);
}

TEST(RateLimiterTest, ExactUnderConcurrency) {
  absl::Time now = absl::FromUnixSeconds(1000);
  RateLimiter limiter({/*tokens_per_second=*/1, /*burst=*/1000}, [&now] { return now; });
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) allowed += limiter.Acquire("partners/a").allowed ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 1000);
}

TEST(MetricsTest, RendersPrometheusText) {
  Metrics metrics;
  Metrics::Request& route = metrics.Rest("GET /v1/{name=organisations/*}");
  route.Observe(200, absl::Milliseconds(3));
  route.Observe(404, absl::Milliseconds(1));
  metrics.Grpc("/metrocap.membership.v1.MembershipService/GetRegion")
      .Observe(static_cast<int>(absl::StatusCode::kOk), absl::Microseconds(700));
  metrics.Backend("membership", "/metrocap.membership.v1.MembershipService/GetRegion")
      .Observe(absl::StatusCode::kOk, absl::Microseconds(400));
  metrics.CountRateLimited("partners/a\"b");
  metrics.CountKeyLookup("hit");
  std::string text = metrics.Render();
  // prometheus-cpp writes labels in name order.
  EXPECT_THAT(text, HasSubstr("# TYPE metrocap_gateway_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("metrocap_gateway_requests_total{code=\"404\",protocol=\"rest\","
                              "route=\"GET /v1/{name=organisations/*}\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("metrocap_gateway_requests_total{code=\"200\",protocol=\"rest\","
                              "route=\"GET /v1/{name=organisations/*}\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("metrocap_gateway_errors_total{code=\"404\",protocol=\"rest\","
                              "route=\"GET /v1/{name=organisations/*}\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("metrocap_gateway_errors_total{code=\"200\"")));
  EXPECT_THAT(text, HasSubstr("metrocap_gateway_requests_total{code=\"OK\",protocol=\"grpc\","
                              "route=\"/metrocap.membership.v1.MembershipService/GetRegion\"} 1"));
  EXPECT_THAT(text, HasSubstr("metrocap_gateway_request_duration_seconds_bucket{protocol=\"rest\","
                              "route=\"GET /v1/{name=organisations/*}\",le=\"0.0025\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("le=\"+Inf\"} 2\n"));
  EXPECT_THAT(text,
              HasSubstr("metrocap_gateway_rate_limited_total{partner=\"partners/a\\\"b\"} 1"));
  EXPECT_THAT(text, HasSubstr("metrocap_gateway_backend_duration_seconds_count{backend="
                              "\"membership\",method=\"GetRegion\"} 1"));
  EXPECT_THAT(text, HasSubstr("metrocap_gateway_api_key_lookups_total{outcome=\"hit\"} 1"));
  EXPECT_THAT(text, HasSubstr("metrocap_gateway_api_key_lookups_total{outcome=\"miss\"} 0"));
}

TEST(MetricsTest, HandlesAreMadeOncePerRoute) {
  Metrics metrics;
  EXPECT_EQ(&metrics.Rest("GET /healthz"), &metrics.Rest("GET /healthz"));
  EXPECT_NE(&metrics.Rest("GET /healthz"), &metrics.Rest("GET /readyz"));
  EXPECT_NE(&metrics.Rest("x"), &metrics.Grpc("x"));
  EXPECT_EQ(&metrics.Backend("membership", "/s/M"), &metrics.Backend("membership", "/s/M"));
}

// A code outside the range a series keeps counts as the last one; nothing crashes.
TEST(MetricsTest, CodesOutOfRangeAreClamped) {
  Metrics metrics;
  metrics.Rest("r").Observe(999, absl::Milliseconds(1));
  metrics.Grpc("g").Observe(-1, absl::Milliseconds(1));
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("metrocap_gateway_requests_total{code=\"599\",protocol=\"rest\""));
  EXPECT_THAT(text, HasSubstr("metrocap_gateway_requests_total{code=\"OK\",protocol=\"grpc\""));
}

// Many threads recording on shared handles lose no count (run under TSan too).
TEST(MetricsTest, CountsEveryRequestUnderConcurrency) {
  Metrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < 500; ++i) {
        // A new route per thread and shared ones: handles made while others record.
        metrics.Rest(t % 2 == 0 ? "GET /a" : "GET /b").Observe(200, absl::Milliseconds(1));
        metrics.Rest(absl::StrCat("GET /t", t)).Observe(200 + i % 2, absl::Milliseconds(1));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("{code=\"200\",protocol=\"rest\",route=\"GET /a\"} 2000\n"));
  EXPECT_THAT(text, HasSubstr("{code=\"200\",protocol=\"rest\",route=\"GET /b\"} 2000\n"));
  EXPECT_THAT(text, HasSubstr("{code=\"201\",protocol=\"rest\",route=\"GET /t7\"} 250\n"));
}

}  // namespace
}  // namespace metrocap::gateway
