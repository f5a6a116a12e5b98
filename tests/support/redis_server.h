#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace metrocap::testing {

// A real, throwaway redis-server for tests: a free loopback port, no persistence, its
// working directory a temporary one. The binary is $METROCAP_REDIS_SERVER or
// /usr/bin/redis-server. Supports the failures the cache must survive: kill, pause
// (SIGSTOP), resume, restart (empty) and FLUSHALL.
class RedisServer {
 public:
  // Starts the server and waits (polling PING) until it answers. UNAVAILABLE when the
  // binary is missing; INTERNAL with the log's tail when it does not come up.
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start();
  // Kills the server and removes its directory.
  ~RedisServer();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // redis://127.0.0.1:<port>
  std::string Url() const;

  // SIGKILL, then waits for the process to go.
  absl::Status Kill();
  // Starts a killed server again on the same port, empty; waits until it answers.
  absl::Status Restart();
  // SIGSTOP / SIGCONT: a server that accepts connections but never answers, and back.
  absl::Status Pause();
  absl::Status Resume();
  absl::Status FlushAll();
  // Runs one command on a fresh connection; the reply as text ("" for nil, integers in
  // decimal, arrays as their elements joined by ',').
  absl::StatusOr<std::string> Command(const std::vector<std::string>& args);

 private:
  RedisServer() = default;
  absl::Status Launch();

  std::string binary_;
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// Whether a redis-server binary is installed.
bool RedisServerAvailable();

}  // namespace metrocap::testing
