#include "common/cache/redis_pool.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace metrocap::cache {

RedisPool::RedisPool(RedisEndpoint endpoint, RedisPoolOptions options)
    : endpoint_(std::move(endpoint)),
      options_(options),
      breaker_(options.failures_to_open, options.open_for) {}

absl::StatusOr<Reply> RedisPool::Command(const std::vector<absl::string_view>& args) {
  if (!breaker_.Allow(absl::Now())) {
    return absl::UnavailableError("redis: skipped while the circuit breaker is open");
  }
  // An idle connection may have died with a Redis restart; it fails at once (reset, not a
  // timeout), and then one fresh connection is tried before the breaker hears of it.
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<Lease> lease = Acquire();
    if (!lease.ok()) {
      if (lease.status().code() == absl::StatusCode::kResourceExhausted) {
        breaker_.Abstained();  // busy, not broken: no verdict on Redis itself
        return absl::UnavailableError(lease.status().message());
      }
      breaker_.Failed(absl::Now());
      return lease.status();
    }
    absl::Time started = absl::Now();
    absl::StatusOr<Reply> reply = lease->connection->Command(args);
    bool broken =
        lease->connection->broken() || reply.status().code() == absl::StatusCode::kUnavailable;
    Release(std::move(lease->connection), broken);
    if (!broken) {
      breaker_.Succeeded();
      return reply;
    }
    bool fast = absl::Now() - started < options_.command_timeout / 2;
    if (attempt == 0 && lease->reused && fast) continue;
    breaker_.Failed(absl::Now());
    return reply.ok() ? absl::UnavailableError("redis: connection broke") : reply.status();
  }
}

absl::StatusOr<RedisPool::Lease> RedisPool::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    auto available = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.connections;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&available), options_.command_timeout)) {
      return absl::ResourceExhaustedError(
          absl::StrCat("redis: all ", options_.connections, " connections busy"));
    }
    if (!idle_.empty()) {
      Lease lease{std::move(idle_.back()), true};
      idle_.pop_back();
      return lease;
    }
    ++open_;
  }
  absl::StatusOr<std::unique_ptr<RedisConnection>> connection =
      RedisConnection::Open(endpoint_, options_.connect_timeout, options_.command_timeout);
  if (!connection.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
    return connection.status();
  }
  return Lease{*std::move(connection), false};
}

void RedisPool::Release(std::unique_ptr<RedisConnection> connection, bool broken) {
  absl::MutexLock lock(&mu_);
  if (!broken) {
    idle_.push_back(std::move(connection));
    return;
  }
  // One broken connection means the others idle since before are likely broken too.
  open_ -= 1 + static_cast<int>(idle_.size());
  idle_.clear();
}

}  // namespace metrocap::cache
