#include "gateway/core/rate_limiter.h"

#include <algorithm>

namespace metrocap::gateway {

RateLimiter::RateLimiter(RateLimit limit, std::function<absl::Time()> clock)
    : limit_(limit), clock_(std::move(clock)) {}

RateLimiter::Decision RateLimiter::Acquire(absl::string_view partner) {
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = buckets_.try_emplace(partner, Bucket{limit_.burst, now});
  Bucket& bucket = it->second;
  if (!inserted && now > bucket.refilled) {
    double earned = absl::ToDoubleSeconds(now - bucket.refilled) * limit_.tokens_per_second;
    bucket.tokens = std::min(limit_.burst, bucket.tokens + earned);
    bucket.refilled = now;
  }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return {};
  }
  double missing = 1 - bucket.tokens;
  return {false, absl::Seconds(missing / limit_.tokens_per_second)};
}

}  // namespace metrocap::gateway
