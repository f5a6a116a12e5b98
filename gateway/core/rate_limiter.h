#pragma once

#include <functional>
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

  explicit RateLimiter(RateLimit limit, std::function<absl::Time()> clock = absl::Now);

  // Takes one token from `partner`'s bucket, or says when to retry.
  Decision Acquire(absl::string_view partner);

 private:
  struct Bucket {
    double tokens;
    absl::Time refilled;
  };
  const RateLimit limit_;
  const std::function<absl::Time()> clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace metrocap::gateway
