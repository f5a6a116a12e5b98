#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "common/cache/redis_connection.h"

namespace metrocap::cache {

struct ListenerOptions {
  absl::Duration connect_timeout = absl::Milliseconds(200);
  absl::Duration command_timeout = absl::Milliseconds(50);
  // How often the subscription is checked with a PING, and how long the PONG may take
  // before the connection is given up (a paused Redis accepts connections but never replies).
  absl::Duration ping_interval = absl::Milliseconds(500);
  absl::Duration pong_timeout = absl::Milliseconds(500);
};

// Every replica's subscriber to the invalidation channel: a thread that keeps a SUBSCRIBE
// connection open (reconnecting with backoff), checks it with PINGs, and hands each
// published message to `on_message`. `on_healthy` runs on the listener's thread after each
// (re)subscription and each answered PING: a moment Redis is known to answer. Read paths call
// Drain() to apply messages that have already arrived before they trust their in-process copies.
class InvalidationListener {
 public:
  InvalidationListener(RedisEndpoint endpoint, std::string channel, ListenerOptions options,
                       std::function<void(absl::string_view message)> on_message,
                       std::function<void()> on_healthy);
  // Stops the thread (within about 100 ms plus a connect timeout).
  ~InvalidationListener();

  // Applies the messages waiting on the socket, without blocking when there are none.
  void Drain();
  // Whether the subscription is live: while it is not, invalidations may be missed.
  bool subscribed() const { return subscribed_; }
  // How many times the subscription has been (re)established.
  int64_t subscriptions() const { return subscriptions_; }

 private:
  void Run();
  // Reads and dispatches what has arrived; false when the connection broke.
  bool PumpLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const RedisEndpoint endpoint_;
  const std::string channel_;
  const ListenerOptions options_;
  const std::function<void(absl::string_view)> on_message_;
  const std::function<void()> on_healthy_;
  absl::Notification stop_;
  std::atomic<bool> subscribed_{false};
  std::atomic<int64_t> subscriptions_{0};
  std::atomic<int> fd_{-1};
  absl::Mutex mu_;
  std::unique_ptr<RedisConnection> connection_ ABSL_GUARDED_BY(mu_);
  absl::optional<absl::Time> pong_due_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace metrocap::cache
