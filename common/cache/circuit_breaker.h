#pragma once

#include <atomic>
#include <cstdint>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace metrocap::cache {

// Skips a failing dependency for a while instead of paying its timeout on every call.
// Closed: calls go through. After `failures_to_open` failures in a row it opens for
// `open_for`; then one probe call is let through (half-open): its success closes the
// breaker, its failure opens it again. Thread-safe.
class CircuitBreaker {
 public:
  CircuitBreaker(int failures_to_open, absl::Duration open_for)
      : failures_to_open_(failures_to_open), open_for_(open_for) {}

  // Whether a call may go to the dependency now. A true answer must be followed by exactly
  // one Succeeded() or Failed().
  bool Allow(absl::Time now);
  void Succeeded();
  void Failed(absl::Time now);
  // The call allowed did not reach the dependency (no verdict either way).
  void Abstained();

  // Not open: calls go through (or the probe is due).
  bool closed() const;
  // How many times it has closed again after opening (lets callers notice recoveries).
  int64_t recoveries() const;

 private:
  const int failures_to_open_;
  const absl::Duration open_for_;
  // The common case (closed, no failures) is decided from these without taking the lock;
  // they change only under it.
  std::atomic<bool> open_{false};
  std::atomic<bool> failing_{false};  // failures_ > 0
  std::atomic<int64_t> recoveries_{0};
  absl::Mutex mu_;
  int failures_ ABSL_GUARDED_BY(mu_) = 0;
  bool probing_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time open_until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace metrocap::cache
