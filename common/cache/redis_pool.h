#pragma once

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/cache/circuit_breaker.h"
#include "common/cache/redis_connection.h"

namespace metrocap::cache {

struct RedisPoolOptions {
  int connections = 8;
  absl::Duration connect_timeout = absl::Milliseconds(200);
  absl::Duration command_timeout = absl::Milliseconds(50);
  int failures_to_open = 2;
  absl::Duration open_for = absl::Seconds(1);
};

// Commands for many threads over a bounded set of Redis connections, behind a circuit
// breaker. Connections are opened on demand, so after an outage the pool reconnects by
// itself (on the breaker's probe). Thread-safe.
class RedisPool {
 public:
  RedisPool(RedisEndpoint endpoint, RedisPoolOptions options);

  // Runs one command. UNAVAILABLE at once while the breaker is open or when every
  // connection stays busy for a command timeout; UNAVAILABLE after a connection failure or
  // timeout (which counts against the breaker); INTERNAL for an error reply.
  absl::StatusOr<Reply> Command(const std::vector<absl::string_view>& args);

  // Whether commands are going through (the breaker is closed).
  bool healthy() const { return breaker_.closed(); }
  // Bumped every time Redis comes back after the breaker opened.
  int64_t recoveries() const { return breaker_.recoveries(); }

 private:
  struct Lease {
    std::unique_ptr<RedisConnection> connection;
    bool reused;  // came from the idle list, so it may have died while idle
  };
  absl::StatusOr<Lease> Acquire();
  void Release(std::unique_ptr<RedisConnection> connection, bool broken);

  const RedisEndpoint endpoint_;
  const RedisPoolOptions options_;
  CircuitBreaker breaker_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<RedisConnection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace metrocap::cache
