#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/config/component.h"
#include "grpcpp/server.h"

namespace metrocap::server {

struct ServerOptions {
  std::string listen_address = "127.0.0.1:0";
  bool reflection = true;
  int max_threads = 64;
  absl::Duration shutdown_grace = absl::Seconds(20);
  int max_message_bytes = 4 << 20;
};
ServerOptions ServerOptionsFrom(const config::ComponentConfig& config);

// A running gRPC server with the standard health service (NOT_SERVING until SetServing(true)
// and again while draining), optional reflection, a bounded thread pool and a message size
// limit.
class GrpcServer {
 public:
  // Binds and starts serving `services` (not owned; they must outlive the server).
  // UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      absl::string_view component, const ServerOptions& options,
      const std::vector<grpc::Service*>& services);
  ~GrpcServer();

  int port() const { return port_; }
  void SetServing(bool serving);
  // Reports NOT_SERVING, stops accepting calls, lets in-flight calls finish within the grace
  // period and cancels the rest. Idempotent.
  void Shutdown();

 private:
  GrpcServer(std::string component, absl::Duration grace, std::unique_ptr<grpc::Server> server,
             int port);
  std::string component_;
  absl::Duration grace_;
  std::unique_ptr<grpc::Server> server_;
  int port_;
  bool shut_down_ = false;
};

// For main(): blocks SIGINT and SIGTERM in this and every thread started after it, so that
// WaitForTerminationSignal() can take them synchronously. Call first thing in main().
void BlockTerminationSignals();
// Blocks until SIGINT or SIGTERM arrives; returns the signal's name.
std::string WaitForTerminationSignal();

}  // namespace metrocap::server
