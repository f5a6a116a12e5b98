#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace metrocap::testing {

// One metrocap component binary (metrocap-membership, metrocap-assessment...) run as a
// child of a multi-process test. It listens on 127.0.0.1:0, and the port the OS chose is
// read from its "serving" log line, which it writes only once it reports SERVING: so no
// port is guessed and no sleep waits for readiness.
class ComponentProcess {
 public:
  // Starts `binary` with this process's environment minus every METROCAP_ variable, plus
  // `env` ("NAME=value" entries) and METROCAP_LISTEN_ADDRESS=127.0.0.1:0; stdout and stderr
  // go to `log_path`. The child gets SIGKILL if the test dies. Waits up to `timeout` for
  // it to serve. INTERNAL with the log's tail when it exits or does not serve in time. The
  // metrics listener takes its default, a free loopback port.
  static absl::StatusOr<std::unique_ptr<ComponentProcess>> Start(
      const std::string& binary, const std::vector<std::string>& env, const std::string& log_path,
      absl::Duration timeout = absl::Seconds(30));
  // SIGTERM, then SIGKILL if it has not exited within 10 s.
  ~ComponentProcess();

  int port() const { return port_; }
  // Another port of its "serving" log line: "metricsPort" (the metrics listener, 0 when
  // off), the gateway's "httpPort".
  int ServingPortOf(const std::string& field) const;
  // "127.0.0.1:<port>", for a gRPC channel or a peer's METROCAP_<X>_ADDRESS.
  std::string address() const;
  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }

 private:
  ComponentProcess() = default;

  std::string log_path_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// Starts `binary` the way the multi-process tests start a component: data directory
// <dir>/<name>, the internal `credential` and `admin_token`, reflection off, a 1 s grace with
// no drain delay, then `env`; its log <dir>/<name>-<n>.log (a new file per start) is added to
// `log_paths`, for printing when the test fails. Null, with a test failure, when it does not
// serve.
std::unique_ptr<ComponentProcess> StartTestComponent(
    const std::string& binary, const std::string& dir, const std::string& name,
    const std::string& credential, const std::string& admin_token, std::vector<std::string> env,
    std::vector<std::string>* log_paths);

// A channel to the component's gRPC port.
std::shared_ptr<grpc::Channel> ChannelTo(const ComponentProcess& process);

// A client context that speaks as the bootstrap admin of components started with
// `admin_token` (the Authorization header), with a 10 s deadline.
std::unique_ptr<grpc::ClientContext> AsBootstrapAdmin(const std::string& admin_token);

// Prints the last 3000 bytes of each log on stderr: what a failed test shows of its
// components.
void PrintLogTails(const std::vector<std::string>& log_paths);

}  // namespace metrocap::testing
