#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace metrocap::gateway {

struct RateLimit {
  double tokens_per_second = 50;  // METROCAP_RATE_LIMIT_RPS
  double burst = 100;             // METROCAP_RATE_LIMIT_BURST
};

// One token bucket per partner: a partner may burst up to `burst` requests, then
// `tokens_per_second`. Thread-safe; the clock is injected so tests control time.
class RateLimiter {
 public:
  struct Decision {
    bool allowed = true;
    // When refused: how long until a token is available (the Retry-After header).
    absl::Duration retry_after;
  };
  // One partner's bucket. It lives as long as the limiter, so a caller that serves the same
  // partner again (the gateway keeps it with a cached API key) holds it rather than finding
  // it by name on every request; each bucket has its own lock.
  class Bucket {
   private:
    friend class RateLimiter;
    explicit Bucket(double tokens, absl::Time now) : tokens_(tokens), refilled_(now) {}
    absl::Mutex mu_;
    double tokens_ ABSL_GUARDED_BY(mu_);
    absl::Time refilled_ ABSL_GUARDED_BY(mu_);
  };

  explicit RateLimiter(RateLimit limit, std::function<absl::Time()> clock = absl::Now);

  // `partner`'s bucket, made full on first use. Never null; valid for the limiter's life.
  Bucket* BucketOf(absl::string_view partner);
  // Takes one token from `bucket`, or says when to retry.
  Decision Acquire(Bucket* bucket);
  // Takes one token from `partner`'s bucket, or says when to retry.
  Decision Acquire(absl::string_view partner) { return Acquire(BucketOf(partner)); }

 private:
  const RateLimit limit_;
  const std::function<absl::Time()> clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Bucket>> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace metrocap::gateway
