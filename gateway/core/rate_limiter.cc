#include "gateway/core/rate_limiter.h"

#include <algorithm>

namespace metrocap::gateway {

RateLimiter::RateLimiter(RateLimit limit, std::function<absl::Time()> clock)
    : limit_(limit), clock_(std::move(clock)) {}

RateLimiter::Bucket* RateLimiter::BucketOf(absl::string_view partner) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Bucket>& bucket = buckets_[partner];
  if (bucket == nullptr) bucket.reset(new Bucket(limit_.burst, clock_()));
  return bucket.get();
}

RateLimiter::Decision RateLimiter::Acquire(Bucket* bucket) {
  const absl::Time now = clock_();
  absl::MutexLock lock(&bucket->mu_);
  if (now > bucket->refilled_) {
    double earned = absl::ToDoubleSeconds(now - bucket->refilled_) * limit_.tokens_per_second;
    bucket->tokens_ = std::min(limit_.burst, bucket->tokens_ + earned);
    bucket->refilled_ = now;
  }
  if (bucket->tokens_ >= 1) {
    bucket->tokens_ -= 1;
    return {};
  }
  double missing = 1 - bucket->tokens_;
  return {false, absl::Seconds(missing / limit_.tokens_per_second)};
}

}  // namespace metrocap::gateway
