#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gateway/admission.h"
#include "gateway/api_keys.h"
#include "gateway/backends.h"
#include "gateway/console.h"
#include "gateway/core/metrics.h"
#include "gateway/core/rate_limiter.h"
#include "gateway/core/route_table.h"
#include "gateway/http_server.h"

namespace grpc {
class Server;
}
namespace metrocap::metrics {
class MetricsListener;
}

namespace metrocap::gateway {

// Everything the gateway needs to start; main() fills it from the environment.
struct GatewayConfig {
  std::string grpc_address = "127.0.0.1:9090";  // METROCAP_LISTEN_ADDRESS
  std::string http_host = "127.0.0.1";          // METROCAP_HTTP_LISTEN_ADDRESS (host part)
  int http_port = 8080;                         // METROCAP_HTTP_LISTEN_ADDRESS (port part)
  int http_threads = 2;                         // METROCAP_HTTP_THREADS
  // The metrics listener (METROCAP_METRICS_ADDRESS): Prometheus text at /metrics with no
  // credential, apart from the API ports; empty: none.
  std::string metrics_address;
  std::vector<BackendConfig> backends;
  RateLimit rate_limit;
  ApiKeyConfig api_keys;
  AdmissionOptions admission;
  HttpLimits http_limits;
  absl::Duration shutdown_grace = absl::Seconds(20);  // METROCAP_SHUTDOWN_GRACE_SECONDS
  // METROCAP_DRAIN_DELAY_SECONDS: the first part of shutdown_grace, in which readiness reads
  // NOT_SERVING and requests are still accepted and answered (HTTP with `Connection:
  // close`), while the endpoints in front of the gateway are updated.
  absl::Duration drain_delay = absl::ZeroDuration();
  // The admin console's static files, served under /console/ (METROCAP_CONSOLE_DIR);
  // empty: no console.
  std::string console_dir;
  // The process's cache client (METROCAP_REDIS_URL), not owned, outliving the gateway. With
  // Redis, resolved API keys are dropped on membership's invalidations; null, or without
  // Redis, only their TTL (api_keys.cache_ttl) bounds how long a revoked key still passes.
  cache::CacheClient* shared_cache = nullptr;
};

// The standard four backends at the given addresses (empty address: not configured).
std::vector<BackendConfig> StandardBackends(const std::string& membership,
                                            const std::string& assessment,
                                            const std::string& roadmaps, const std::string& hubs);

// A running gateway: the REST server and the gRPC pass-through over the same backends,
// authentication, limits and metrics.
class Gateway {
 public:
  // Builds the routes from the backends' descriptors, loads the console's files and starts
  // both servers and the metrics listener. INVALID_ARGUMENT for a malformed annotation, UNAVAILABLE
  // when a port cannot be bound, ConsoleFiles::Load's errors for a bad console directory.
  static absl::StatusOr<std::unique_ptr<Gateway>> Start(GatewayConfig config);
  ~Gateway();

  int http_port() const { return http_->port(); }
  int grpc_port() const { return grpc_port_; }
  // The metrics listener's port; 0 when there is none.
  int metrics_port() const;
  const Backends& backends() const { return *backends_; }
  const RouteTable& routes() const { return *routes_; }
  Metrics& metrics() { return metrics_; }

  // Drains the way Kubernetes needs it: readiness (/readyz and gRPC health) reads
  // NOT_SERVING at once; for the drain delay requests are still accepted and answered, HTTP
  // responses with `Connection: close`; then both listeners close (gRPC clients get GOAWAY),
  // requests in flight finish within the rest of the grace period, and it returns.
  // Idempotent.
  void Shutdown();

 private:
  class Parts;
  Gateway() = default;

  GatewayConfig config_;
  Metrics metrics_;
  std::unique_ptr<Backends> backends_;
  std::unique_ptr<RouteTable> routes_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<ApiKeyResolver> keys_;
  std::unique_ptr<Admission> admission_;
  std::unique_ptr<ConsoleFiles> console_;
  std::unique_ptr<Parts> parts_;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::unique_ptr<HttpServer> http_;
  std::shared_ptr<prometheus::Collectable> cache_metrics_;
  std::unique_ptr<metrics::MetricsListener> metrics_listener_;
  int grpc_port_ = 0;
  bool shut_down_ = false;
};

}  // namespace metrocap::gateway
