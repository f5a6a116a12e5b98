#include "common/cache/redis_connection.h"

#include <poll.h>
#include <sys/time.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace metrocap::cache {
namespace {

timeval TimevalOf(absl::Duration d) { return absl::ToTimeval(std::max(d, absl::Milliseconds(1))); }

absl::Status InvalidUrl(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("redis URL: ", why));
}

}  // namespace

absl::StatusOr<RedisEndpoint> ParseRedisUrl(absl::string_view url) {
  RedisEndpoint endpoint;
  absl::string_view rest = url;
  if (!absl::ConsumePrefix(&rest, "redis://")) return InvalidUrl("must start with redis://");
  size_t at = rest.rfind('@');
  if (at != absl::string_view::npos) {
    absl::string_view credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    size_t colon = credentials.find(':');
    if (colon == absl::string_view::npos) {
      endpoint.password = std::string(credentials);
    } else {
      endpoint.user = std::string(credentials.substr(0, colon));
      endpoint.password = std::string(credentials.substr(colon + 1));
    }
  }
  size_t slash = rest.find('/');
  if (slash != absl::string_view::npos) {
    absl::string_view db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!db.empty() && (!absl::SimpleAtoi(db, &endpoint.db) || endpoint.db < 0)) {
      return InvalidUrl(absl::StrCat("bad database number \"", db, "\""));
    }
  }
  size_t colon = rest.rfind(':');
  if (colon != absl::string_view::npos) {
    if (!absl::SimpleAtoi(rest.substr(colon + 1), &endpoint.port) || endpoint.port <= 0 ||
        endpoint.port > 65535) {
      return InvalidUrl(absl::StrCat("bad port in \"", rest, "\""));
    }
    rest = rest.substr(0, colon);
  }
  if (!rest.empty()) endpoint.host = std::string(rest);
  return endpoint;
}

std::string ReplyText(const redisReply* reply) {
  if (reply == nullptr) return "";
  if (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS ||
      reply->type == REDIS_REPLY_ERROR) {
    return std::string(reply->str, reply->len);
  }
  return "";
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisConnection::Open(
    const RedisEndpoint& endpoint, absl::Duration connect_timeout, absl::Duration command_timeout) {
  redisContext* context =
      redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, TimevalOf(connect_timeout));
  if (context == nullptr) return absl::UnavailableError("redis: out of memory");
  std::unique_ptr<RedisConnection> connection(new RedisConnection(context));
  if (context->err != 0) {
    return absl::UnavailableError(absl::StrCat("redis: cannot connect to ", endpoint.host, ":",
                                               endpoint.port, ": ", context->errstr));
  }
  if (redisSetTimeout(context, TimevalOf(command_timeout)) != REDIS_OK) {
    return absl::UnavailableError("redis: cannot set the command timeout");
  }
  redisEnableKeepAlive(context);
  if (!endpoint.password.empty()) {
    std::vector<absl::string_view> auth = {"AUTH"};
    if (!endpoint.user.empty()) auth.push_back(endpoint.user);
    auth.push_back(endpoint.password);
    absl::StatusOr<Reply> reply = connection->Command(auth);
    if (!reply.ok()) return absl::UnavailableError(reply.status().message());
  }
  if (endpoint.db != 0) {
    std::string db = absl::StrCat(endpoint.db);
    absl::StatusOr<Reply> reply = connection->Command({"SELECT", db});
    if (!reply.ok()) return absl::UnavailableError(reply.status().message());
  }
  return connection;
}

RedisConnection::~RedisConnection() { redisFree(context_); }

absl::Status RedisConnection::Failure(absl::string_view what) const {
  return absl::UnavailableError(
      absl::StrCat("redis ", what, ": ", context_->err != 0 ? context_->errstr : "no reply"));
}

absl::StatusOr<Reply> RedisConnection::Command(const std::vector<absl::string_view>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (absl::string_view a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  Reply reply(static_cast<redisReply*>(
      redisCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data())));
  if (reply == nullptr) return Failure(args.empty() ? "" : args[0]);
  if (reply->type == REDIS_REPLY_ERROR) {
    std::string text = ReplyText(reply.get());
    for (absl::string_view busy : {"LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN"}) {
      if (absl::StartsWith(text, busy))
        return absl::UnavailableError(absl::StrCat("redis: ", text));
    }
    return absl::InternalError(absl::StrCat("redis ", args[0], ": ", text));
  }
  return reply;
}

absl::Status RedisConnection::Send(const std::vector<absl::string_view>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (absl::string_view a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(),
                             lengths.data()) != REDIS_OK) {
    return Failure("send");
  }
  int done = 0;
  while (!done) {
    if (redisBufferWrite(context_, &done) != REDIS_OK) return Failure("send");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Reply>> RedisConnection::ReadAvailable() {
  std::vector<Reply> replies;
  pollfd p{context_->fd, POLLIN, 0};
  if (poll(&p, 1, 0) > 0) {
    if (redisBufferRead(context_) != REDIS_OK) return Failure("read");
  }
  while (true) {
    void* raw = nullptr;
    if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) return Failure("read");
    if (raw == nullptr) break;
    replies.emplace_back(static_cast<redisReply*>(raw));
  }
  return replies;
}

absl::StatusOr<Reply> RedisConnection::ReadOne() {
  void* raw = nullptr;
  if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) return Failure("read");
  return Reply(static_cast<redisReply*>(raw));
}

}  // namespace metrocap::cache
