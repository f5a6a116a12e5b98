#include "gateway/gateway.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/cache/lookup_cache.h"
#include "common/log/log.h"
#include "common/metrics/cache_collector.h"
#include "common/metrics/listener.h"
#include "gateway/core/openapi.h"
#include "gateway/grpc_proxy.h"
#include "gateway/rest_gateway.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

namespace metrocap::gateway {

// The pieces that only the .cc needs to know about.
class Gateway::Parts {
 public:
  Parts(const RouteTable* routes, const Backends* backends, Admission* admission, Metrics* metrics,
        std::string openapi, const ConsoleFiles* console)
      : rest(routes, backends, admission, metrics, std::move(openapi), console),
        proxy(backends, admission, metrics) {}
  RestGateway rest;
  GrpcProxy proxy;
};

std::vector<BackendConfig> StandardBackends(const std::string& membership,
                                            const std::string& assessment,
                                            const std::string& roadmaps, const std::string& hubs) {
  return {
      {"membership", "metrocap.membership.v1.MembershipService", membership},
      {"assessment", "metrocap.assessment.v1.AssessmentService", assessment},
      {"roadmaps", "metrocap.roadmaps.v1.RoadmapService", roadmaps},
      {"hubs", "metrocap.hubs.v1.HubService", hubs},
  };
}

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Start(GatewayConfig config) {
  std::unique_ptr<Gateway> gateway(new Gateway());
  gateway->config_ = std::move(config);
  const GatewayConfig& c = gateway->config_;
  gateway->backends_ = std::make_unique<Backends>(c.backends);
  for (const std::string& missing : gateway->backends_->missing()) {
    log::Event("WARNING", "gateway", "a configured service is not compiled into the gateway",
               {{"service", missing}});
  }
  auto routes = RouteTable::Build(gateway->backends_->Services());
  if (!routes.ok()) return routes.status();
  gateway->routes_ = *std::move(routes);

  gateway->limiter_ = std::make_unique<RateLimiter>(c.rate_limit);
  gateway->keys_ = std::make_unique<ApiKeyResolver>(c.api_keys, gateway->backends_.get(),
                                                    &gateway->metrics_, c.shared_cache);
  gateway->admission_ = std::make_unique<Admission>(c.admission, gateway->keys_.get(),
                                                    gateway->limiter_.get(), &gateway->metrics_);
  if (!c.console_dir.empty()) {
    auto console = ConsoleFiles::Load(c.console_dir);
    if (!console.ok()) return console.status();
    gateway->console_ = *std::move(console);
  }
  gateway->parts_ = std::make_unique<Parts>(gateway->routes_.get(), gateway->backends_.get(),
                                            gateway->admission_.get(), &gateway->metrics_,
                                            OpenApiDocument(*gateway->routes_, "metrocap API"),
                                            gateway->console_.get());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(c.grpc_address, grpc::InsecureServerCredentials(), &gateway->grpc_port_);
  builder.RegisterCallbackGenericService(&gateway->parts_->proxy);
  builder.SetMaxReceiveMessageSize(4 << 20);
  gateway->grpc_server_ = builder.BuildAndStart();
  if (gateway->grpc_server_ == nullptr || gateway->grpc_port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen for gRPC on ", c.grpc_address));
  }
  RestGateway* rest = &gateway->parts_->rest;
  auto http = HttpServer::Start(c.http_host, c.http_port, c.http_threads, c.http_limits,
                                [rest](HttpRequest&& request, Respond respond) {
                                  rest->Handle(std::move(request), std::move(respond));
                                });
  if (!http.ok()) return http.status();
  gateway->http_ = *std::move(http);
  if (!c.metrics_address.empty()) {
    std::vector<std::shared_ptr<prometheus::Collectable>> sources = {gateway->metrics_.registry()};
    if (c.shared_cache != nullptr) {
      gateway->cache_metrics_ = std::make_shared<metrics::CacheCollector>(c.shared_cache);
      sources.push_back(gateway->cache_metrics_);
    }
    auto listener = metrics::MetricsListener::Start(c.metrics_address, sources);
    if (!listener.ok()) return listener.status();
    gateway->metrics_listener_ = *std::move(listener);
  }
  gateway->grpc_server_->GetHealthCheckService()->SetServingStatus(true);
  // Whether a revoked key is dropped on membership's word or only when its TTL runs out.
  const bool hears_revocations =
      c.shared_cache != nullptr && !c.shared_cache->config().redis_url.empty();
  log::Event("INFO", "gateway", "serving",
             {{"grpcPort", absl::StrCat(gateway->grpc_port_)},
              {"httpPort", absl::StrCat(gateway->http_->port())},
              {"metricsPort", gateway->metrics_listener_ == nullptr
                                  ? std::string("off")
                                  : absl::StrCat(gateway->metrics_listener_->port())},
              {"routes", absl::StrCat(gateway->routes_->routes().size())},
              {"console", c.console_dir.empty() ? "off" : c.console_dir},
              {"apiKeyInvalidations", hears_revocations ? "redis" : "ttl-only"}});
  return gateway;
}

void Gateway::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  const absl::Time until = absl::Now() + config_.shutdown_grace;
  if (parts_ != nullptr) parts_->rest.StartDraining();
  if (grpc_server_ != nullptr) {
    grpc_server_->GetHealthCheckService()->SetServingStatus(false);
  }
  if (http_ != nullptr) http_->StartDraining();
  const absl::Duration delay = std::min(config_.drain_delay, config_.shutdown_grace);
  log::Event("INFO", "gateway", "draining",
             {{"drainDelaySeconds", absl::StrCat(absl::ToDoubleSeconds(delay))},
              {"graceSeconds", absl::StrCat(absl::ToDoubleSeconds(config_.shutdown_grace))}});
  // Readiness has turned; until the endpoints follow, clients still arrive and are served.
  absl::SleepFor(delay);
  if (http_ != nullptr) http_->Shutdown(std::max(until - absl::Now(), absl::ZeroDuration()));
  if (grpc_server_ != nullptr) {
    grpc_server_->Shutdown(absl::ToChronoTime(std::max(until, absl::Now())));
  }
  // Backend calls still running complete into the objects below: wait for them. Each has
  // a deadline, so this ends.
  if (backends_ != nullptr) {
    backends_->WaitIdle(absl::Now() + config_.admission.max_timeout + absl::Seconds(5));
  }
}

int Gateway::metrics_port() const {
  return metrics_listener_ == nullptr ? 0 : metrics_listener_->port();
}

Gateway::~Gateway() {
  config_.shutdown_grace = absl::ZeroDuration();
  config_.drain_delay = absl::ZeroDuration();
  Shutdown();
}

}  // namespace metrocap::gateway
