#include "common/cache/circuit_breaker.h"

namespace metrocap::cache {

bool CircuitBreaker::Allow(absl::Time now) {
  if (!open_.load(std::memory_order_acquire)) return true;
  absl::MutexLock lock(&mu_);
  if (!open_) return true;
  if (probing_ || now < open_until_) return false;
  probing_ = true;
  return true;
}

void CircuitBreaker::Succeeded() {
  if (!open_.load(std::memory_order_acquire) && !failing_.load(std::memory_order_acquire)) {
    return;
  }
  absl::MutexLock lock(&mu_);
  failures_ = 0;
  failing_ = false;
  if (open_) ++recoveries_;
  open_ = false;
  probing_ = false;
}

void CircuitBreaker::Failed(absl::Time now) {
  absl::MutexLock lock(&mu_);
  probing_ = false;
  ++failures_;
  failing_ = true;
  if (open_ || failures_ >= failures_to_open_) {
    open_until_ = now + open_for_;
    open_ = true;
  }
}

void CircuitBreaker::Abstained() {
  absl::MutexLock lock(&mu_);
  probing_ = false;
}

bool CircuitBreaker::closed() const { return !open_.load(std::memory_order_acquire); }

int64_t CircuitBreaker::recoveries() const { return recoveries_.load(std::memory_order_acquire); }

}  // namespace metrocap::cache
