#include "tests/support/redis_server.h"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/support/process.h"

namespace metrocap::testing {
namespace {

std::string FindRedisServer() {
  const char* configured = std::getenv("METROCAP_REDIS_SERVER");
  if (configured != nullptr && *configured != '\0') return configured;
  return std::filesystem::exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "";
}

std::string TextOf(const redisReply* reply) {
  switch (reply->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      return std::string(reply->str, reply->len);
    case REDIS_REPLY_INTEGER:
      return absl::StrCat(reply->integer);
    case REDIS_REPLY_ARRAY: {
      std::vector<std::string> parts;
      for (size_t i = 0; i < reply->elements; ++i) parts.push_back(TextOf(reply->element[i]));
      return absl::StrJoin(parts, ",");
    }
    default:
      return "";
  }
}

}  // namespace

bool RedisServerAvailable() { return !FindRedisServer().empty(); }

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start() {
  std::unique_ptr<RedisServer> server(new RedisServer());
  server->binary_ = FindRedisServer();
  if (server->binary_.empty()) {
    return absl::UnavailableError(
        "no redis-server (install redis-server or set "
        "METROCAP_REDIS_SERVER)");
  }
  absl::StatusOr<std::string> dir = MakeTempDir("metrocap-redis");
  if (!dir.ok()) return dir.status();
  server->dir_ = *dir;
  absl::StatusOr<int> port = FreeLoopbackPort();
  if (!port.ok()) return port.status();
  server->port_ = *port;
  if (absl::Status launched = server->Launch(); !launched.ok()) return launched;
  return server;
}

absl::Status RedisServer::Launch() {
  std::string log = dir_ + "/redis.log";
  absl::StatusOr<pid_t> pid =
      Spawn({binary_, "--port", absl::StrCat(port_), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", dir_, "--protected-mode", "no"},
            log, RunAs{}, SIGKILL);
  if (!pid.ok()) return pid.status();
  pid_ = *pid;
  absl::Status ready = PollUntil(
      [&]() -> absl::StatusOr<bool> {
        if (!StillRunning(pid_)) {
          pid_ = -1;
          return absl::InternalError(absl::StrCat("redis-server exited: ", TailOf(log)));
        }
        absl::StatusOr<std::string> pong = Command({"PING"});
        return pong.ok() && *pong == "PONG";
      },
      absl::Seconds(30), "redis-server to answer PING");
  if (!ready.ok() && pid_ > 0) {
    kill(pid_, SIGKILL);
    WaitForExit(pid_, absl::Seconds(10)).IgnoreError();
    pid_ = -1;
  }
  return ready;
}

RedisServer::~RedisServer() {
  if (pid_ > 0) Kill().IgnoreError();
  if (!dir_.empty()) RemoveTree(dir_);
}

std::string RedisServer::Url() const { return absl::StrCat("redis://127.0.0.1:", port_); }

absl::Status RedisServer::Kill() {
  if (pid_ <= 0) return absl::FailedPreconditionError("redis-server is not running");
  kill(pid_, SIGKILL);
  absl::Status exited = WaitForExit(pid_, absl::Seconds(10));
  pid_ = -1;
  return exited;
}

absl::Status RedisServer::Restart() {
  if (pid_ > 0) return absl::FailedPreconditionError("redis-server is already running");
  return Launch();
}

absl::Status RedisServer::Pause() {
  if (pid_ <= 0 || kill(pid_, SIGSTOP) != 0) return absl::InternalError("cannot SIGSTOP redis");
  return absl::OkStatus();
}

absl::Status RedisServer::Resume() {
  if (pid_ <= 0 || kill(pid_, SIGCONT) != 0) return absl::InternalError("cannot SIGCONT redis");
  return absl::OkStatus();
}

absl::Status RedisServer::FlushAll() { return Command({"FLUSHALL"}).status(); }

absl::StatusOr<std::string> RedisServer::Command(const std::vector<std::string>& args) {
  redisContext* context = redisConnectWithTimeout("127.0.0.1", port_, timeval{1, 0});
  if (context == nullptr || context->err != 0) {
    std::string why = context ? context->errstr : "out of memory";
    if (context) redisFree(context);
    return absl::UnavailableError(why);
  }
  redisSetTimeout(context, timeval{2, 0});
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data()));
  if (reply == nullptr) {
    std::string why = context->errstr;
    redisFree(context);
    return absl::UnavailableError(why);
  }
  bool error = reply->type == REDIS_REPLY_ERROR;
  std::string text = TextOf(reply);
  freeReplyObject(reply);
  redisFree(context);
  if (error) return absl::InternalError(text);
  return text;
}

}  // namespace metrocap::testing
