#include "common/cache/invalidation_listener.h"

#include <poll.h>

#include "absl/time/clock.h"

namespace metrocap::cache {
namespace {

constexpr absl::Duration kFirstBackoff = absl::Milliseconds(50);
constexpr absl::Duration kMaxBackoff = absl::Seconds(1);
// Longest the thread sleeps in poll(), so that stopping is prompt.
constexpr absl::Duration kMaxWait = absl::Milliseconds(100);

// The kind of a pushed reply: "message", "subscribe", "pong"...
std::string KindOf(const redisReply* reply) {
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0) return "";
  return ReplyText(reply->element[0]);
}

}  // namespace

InvalidationListener::InvalidationListener(
    RedisEndpoint endpoint, std::string channel, ListenerOptions options,
    std::function<void(absl::string_view message)> on_message, std::function<void()> on_healthy)
    : endpoint_(std::move(endpoint)),
      channel_(std::move(channel)),
      options_(options),
      on_message_(std::move(on_message)),
      on_healthy_(std::move(on_healthy)),
      thread_([this] { Run(); }) {}

InvalidationListener::~InvalidationListener() {
  stop_.Notify();
  thread_.join();
}

void InvalidationListener::Drain() {
  if (fd_.load(std::memory_order_acquire) < 0) return;
  {
    // Shared with other readers; waits only while the listener thread is between reading
    // a message off the socket and applying it, so a read never overtakes a message
    // that has already arrived.
    absl::ReaderMutexLock lock(&mu_);
    if (connection_ == nullptr) return;
    pollfd p{connection_->fd(), POLLIN, 0};
    if (poll(&p, 1, 0) <= 0) return;
  }
  absl::MutexLock lock(&mu_);
  if (!PumpLocked()) subscribed_ = false;  // the thread notices and reconnects
}

bool InvalidationListener::PumpLocked() {
  if (connection_ == nullptr) return false;
  if (connection_->broken()) return false;
  absl::StatusOr<std::vector<Reply>> replies = connection_->ReadAvailable();
  if (!replies.ok()) return false;
  for (const Reply& reply : *replies) {
    std::string kind = KindOf(reply.get());
    if (kind == "message" && reply->elements == 3) {
      const redisReply* payload = reply->element[2];
      on_message_(absl::string_view(payload->str, payload->len));
    } else if (kind == "pong") {
      pong_due_.reset();
    }
  }
  return true;
}

void InvalidationListener::Run() {
  absl::Duration backoff = kFirstBackoff;
  while (!stop_.HasBeenNotified()) {
    absl::StatusOr<std::unique_ptr<RedisConnection>> connection =
        RedisConnection::Open(endpoint_, options_.connect_timeout, options_.command_timeout);
    bool confirmed = false;
    if (connection.ok() && (*connection)->Send({"SUBSCRIBE", channel_}).ok()) {
      absl::StatusOr<Reply> reply = (*connection)->ReadOne();
      confirmed = reply.ok() && KindOf(reply->get()) == "subscribe";
    }
    if (!confirmed) {
      stop_.WaitForNotificationWithTimeout(backoff);
      backoff = std::min(backoff * 2, kMaxBackoff);
      continue;
    }
    backoff = kFirstBackoff;
    int fd = (*connection)->fd();
    {
      absl::MutexLock lock(&mu_);
      connection_ = *std::move(connection);
      pong_due_.reset();
    }
    fd_.store(fd, std::memory_order_release);
    ++subscriptions_;
    subscribed_ = true;
    on_healthy_();

    absl::Time last_ping = absl::Now();
    while (!stop_.HasBeenNotified() && subscribed_) {
      absl::Duration wait = std::min(kMaxWait, last_ping + options_.ping_interval - absl::Now());
      pollfd p{fd, POLLIN, 0};
      poll(&p, 1, static_cast<int>(std::max<int64_t>(0, absl::ToInt64Milliseconds(wait))));
      bool answered = false;
      {
        absl::MutexLock lock(&mu_);
        bool awaiting_pong = pong_due_.has_value();
        if (!PumpLocked()) break;
        answered = awaiting_pong && !pong_due_.has_value();
        absl::Time now = absl::Now();
        if (pong_due_.has_value()) {
          if (now > *pong_due_) break;  // Redis stopped answering (paused or partitioned)
        } else if (now - last_ping >= options_.ping_interval) {
          if (!connection_->Send({"PING"}).ok()) break;
          pong_due_ = now + options_.pong_timeout;
          last_ping = now;
        }
      }
      if (answered) on_healthy_();
    }
    subscribed_ = false;
    fd_.store(-1, std::memory_order_release);
    absl::MutexLock lock(&mu_);
    connection_.reset();
  }
}

}  // namespace metrocap::cache
