#pragma once

#include <hiredis/hiredis.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace metrocap::cache {

// Where Redis is: parsed from redis://[[user]:password@]host[:port][/db].
struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string user;
  std::string password;
  int db = 0;
};
// INVALID_ARGUMENT for anything else (another scheme, a bad port or db number).
absl::StatusOr<RedisEndpoint> ParseRedisUrl(absl::string_view url);

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

// One hiredis connection whose every call is bounded: connecting by `connect_timeout`,
// each command by `command_timeout` (socket send/receive timeouts). Not thread-safe.
class RedisConnection {
 public:
  // Connects, authenticates and selects the database. UNAVAILABLE when Redis cannot be
  // reached or refuses us in time.
  static absl::StatusOr<std::unique_ptr<RedisConnection>> Open(const RedisEndpoint& endpoint,
                                                               absl::Duration connect_timeout,
                                                               absl::Duration command_timeout);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends one command and reads its reply. UNAVAILABLE on a timeout or a broken connection
  // (after which broken() is true and the connection must be dropped) and for Redis replies
  // that mean "not now" (LOADING, BUSY, MASTERDOWN, TRYAGAIN); INTERNAL for other error replies.
  absl::StatusOr<Reply> Command(const std::vector<absl::string_view>& args);

  // For subscribers: queues and writes a command without waiting for its reply.
  absl::Status Send(const std::vector<absl::string_view>& args);
  // For subscribers: the replies already received, without blocking when none is
  // waiting on the socket. UNAVAILABLE when the connection broke.
  absl::StatusOr<std::vector<Reply>> ReadAvailable();
  // For subscribers: blocks (up to the command timeout) for the next reply.
  absl::StatusOr<Reply> ReadOne();

  int fd() const { return context_->fd; }
  bool broken() const { return context_->err != 0; }

 private:
  explicit RedisConnection(redisContext* context) : context_(context) {}
  absl::Status Failure(absl::string_view what) const;

  redisContext* context_;
};

// The text of a string/status reply, or "" for anything else.
std::string ReplyText(const redisReply* reply);

}  // namespace metrocap::cache
