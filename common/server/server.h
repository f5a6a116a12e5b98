#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/config/component.h"
#include "common/log/log.h"
#include "grpcpp/server.h"

namespace metrocap::server {

// The grpc.health.v1 service name that answers SERVING for as long as the process serves
// gRPC at all, whatever its readiness: what Kubernetes' liveness and startup probes ask.
// ("liveness" is the name the Kubernetes documentation suggests for such a probe.)
inline constexpr char kLivenessHealthName[] = "liveness";

struct ServerOptions {
  std::string listen_address = "127.0.0.1:0";
  bool reflection = true;
  int max_threads = 64;
  absl::Duration shutdown_grace = absl::Seconds(20);
  // The first part of shutdown_grace: readiness reads NOT_SERVING while calls are still
  // accepted and served as before, so load balancers and Kubernetes endpoints stop sending
  // here before anything is refused. Zero (the library default, for tests) closes at once.
  absl::Duration drain_delay = absl::ZeroDuration();
  int max_message_bytes = 4 << 20;
  // A client connection is closed (GOAWAY, then reconnect) after about this long, and calls
  // still running on it get `max_connection_age_grace` more. Reconnecting makes clients
  // resolve DNS again, which is how round_robin clients find replicas added by a scale-out.
  absl::Duration max_connection_age = absl::Minutes(5);
  absl::Duration max_connection_age_grace = absl::Seconds(65);
};
ServerOptions ServerOptionsFrom(const config::ComponentConfig& config);
// The access log policy the component's config asks for (log::SetAccessLogPolicy).
log::AccessLogPolicy AccessLogPolicyFrom(const config::ComponentConfig& config);

// A running gRPC server with the standard health service, optional reflection, a bounded
// thread pool and a message size limit.
//
// Health: "" (the server as a whole) and the full name of every registered service
// (e.g. "metrocap.membership.v1.MembershipService") report NOT_SERVING until
// SetServing(true), follow SetServing, and turn NOT_SERVING when a drain starts; they are
// readiness. kLivenessHealthName reports SERVING from Start() on and never changes.
class GrpcServer {
 public:
  // Binds and starts serving `services` (not owned; they must outlive the server).
  // UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      absl::string_view component, const ServerOptions& options,
      const std::vector<grpc::Service*>& services);
  ~GrpcServer();

  int port() const { return port_; }
  // Full names of the services registered through Start(), whose health follows
  // SetServing (gRPC's own health and reflection services are not among them).
  const std::vector<std::string>& service_names() const { return service_names_; }
  // Sets the health of "" and of every name in service_names(). Ignored once draining.
  void SetServing(bool serving);
  // Drains, the way Kubernetes needs it: reports NOT_SERVING (readiness), keeps accepting and
  // serving calls for the drain delay while endpoints update, then stops accepting and sends
  // GOAWAY (clients reconnect elsewhere), lets in-flight calls finish within the rest of the
  // grace period and cancels what still runs. Blocks until done. Idempotent.
  void Shutdown();

 private:
  GrpcServer(std::string component, const ServerOptions& options,
             std::unique_ptr<grpc::Server> server, int port,
             std::vector<std::string> service_names);
  void SetReadiness(bool serving);
  void Stop(absl::Duration drain_delay);

  std::string component_;
  absl::Duration grace_;
  absl::Duration drain_delay_;
  std::unique_ptr<grpc::Server> server_;
  int port_;
  std::vector<std::string> service_names_;
  std::atomic<bool> shut_down_{false};
};

// For main(): blocks SIGINT and SIGTERM in this and every thread started after it, so that
// WaitForTerminationSignal() can take them synchronously. Call first thing in main().
void BlockTerminationSignals();
// For a serving process's main(), first thing (RunService and the gateway call it):
// BlockTerminationSignals(), and Abseil's mutex deadlock detection off. Debian builds Abseil
// without NDEBUG, so every absl::Mutex (gRPC's locks among them) would otherwise keep a
// process-wide deadlock graph under one global lock: a tenth of a cached read's CPU in perf
// (docs/benchmarks.md). In-process tests keep the detection on.
void PrepareServingProcess();
// Blocks until SIGINT or SIGTERM arrives; returns the signal's name.
std::string WaitForTerminationSignal();

}  // namespace metrocap::server
