#include "common/cache/circuit_breaker.h"

namespace metrocap::cache {

bool CircuitBreaker::Allow(absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (!open_) return true;
  if (probing_ || now < open_until_) return false;
  probing_ = true;
  return true;
}

void CircuitBreaker::Succeeded() {
  absl::MutexLock lock(&mu_);
  failures_ = 0;
  if (open_) ++recoveries_;
  open_ = false;
  probing_ = false;
}

void CircuitBreaker::Failed(absl::Time now) {
  absl::MutexLock lock(&mu_);
  probing_ = false;
  if (open_ || ++failures_ >= failures_to_open_) {
    open_ = true;
    open_until_ = now + open_for_;
  }
}

void CircuitBreaker::Abstained() {
  absl::MutexLock lock(&mu_);
  probing_ = false;
}

bool CircuitBreaker::closed() const {
  absl::MutexLock lock(&mu_);
  return !open_;
}

int64_t CircuitBreaker::recoveries() const {
  absl::MutexLock lock(&mu_);
  return recoveries_;
}

}  // namespace metrocap::cache
