#include <thread>
#include <vector>

#include "gateway/core/metrics.h"
#include "gateway/core/rate_limiter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::gateway {
namespace {

using ::testing::HasSubstr;

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
  metrics.ObserveRequest("rest", "GET /v1/{name=organisations/*}", "200", absl::Milliseconds(3));
  metrics.ObserveRequest("rest", "GET /v1/{name=organisations/*}", "404", absl::Milliseconds(1));
  metrics.ObserveRequest("grpc", "/metrocap.membership.v1.MembershipService/GetRegion", "OK",
                         absl::Microseconds(700));
  metrics.ObserveBackendCall("membership", "GetRegion", "OK", absl::Microseconds(400));
  metrics.CountRateLimited("partners/a\"b");
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("# TYPE metrocap_gateway_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("metrocap_gateway_requests_total{protocol=\"rest\",route=\"GET "
                              "/v1/{name=organisations/*}\",code=\"404\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("metrocap_gateway_errors_total{protocol=\"rest\",route=\"GET "
                              "/v1/{name=organisations/*}\",code=\"404\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("metrocap_gateway_request_duration_seconds_bucket{protocol=\"rest\","
                              "route=\"GET /v1/{name=organisations/*}\",le=\"0.0025\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("le=\"+Inf\"} 2\n"));
  EXPECT_THAT(text,
              HasSubstr("metrocap_gateway_rate_limited_total{partner=\"partners/a\\\"b\"} 1"));
  EXPECT_THAT(text, HasSubstr("metrocap_gateway_backend_duration_seconds_count{backend="
                              "\"membership\",method=\"GetRegion\"} 1"));
}

}  // namespace
}  // namespace metrocap::gateway
