#include "common/server/bootstrap.h"

#include <cstdio>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/metrics/cache_collector.h"
#include "common/metrics/listener.h"
#include "common/metrics/timed_store.h"
#include "common/server/channel.h"
#include "common/server/server.h"
#include "common/status/status_macros.h"
#include "common/store/open.h"

namespace metrocap::server {
namespace {

// What the log says about the store: its kind, and the file for SQLite. Never a
// PostgreSQL URL, which may carry a password.
std::string DatabaseDescription(const config::ComponentConfig& config) {
  if (absl::StartsWith(config.database_url, "postgres")) return "postgresql";
  return "sqlite:" + config::SqlitePathFor(config);
}

absl::StatusOr<std::unique_ptr<ServiceContext>> OpenContext(const ServiceDefinition& service,
                                                            char** environment) {
  std::map<std::string, std::string> variables = config::Settings::FromEnviron(environment);
  auto file = variables.find("METROCAP_CONFIG");
  ASSIGN_OR_RETURN(config::Settings settings,
                   config::Settings::Load(file == variables.end() ? "" : file->second, variables));
  ASSIGN_OR_RETURN(config::ComponentConfig config,
                   config::LoadComponentConfig(settings, service.name, service.default_port));
  ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(config));
  ASSIGN_OR_RETURN(std::unique_ptr<cache::CacheClient> cache,
                   cache::CacheClient::Create(cache::CacheConfigFor(config)));
  return std::make_unique<ServiceContext>(std::move(config), std::move(settings), std::move(store),
                                          std::move(cache));
}

int Fail(const ServiceDefinition& service, const absl::Status& status) {
  std::fprintf(stderr, "metrocap-%s: %s\n", service.name.c_str(),
               std::string(status.message()).c_str());
  return 2;
}

}  // namespace

ServiceContext::ServiceContext(config::ComponentConfig config, config::Settings settings,
                               std::unique_ptr<store::Store> store,
                               std::unique_ptr<cache::CacheClient> cache)
    : config_(std::move(config)),
      settings_(std::move(settings)),
      registry_(std::make_shared<prometheus::Registry>()),
      rpc_metrics_(std::make_unique<metrics::RpcMetrics>(*registry_)),
      metric_sources_{registry_},
      store_(std::make_unique<metrics::TimedStore>(std::move(store), *registry_)),
      cache_(std::move(cache)),
      call_env_{config_.component,
                {config_.internal_credential, config_.admin_token},
                rpc_metrics_.get()},
      page_token_key_(config_.internal_credential.empty()
                          ? std::string()
                          : "page-token:" + config_.internal_credential),
      resources_{call_env_, store_.get(), page_token_key_, cache_.get()} {}

std::shared_ptr<grpc::Channel> ServiceContext::PeerChannel(absl::string_view peer,
                                                           absl::string_view address) {
  peers_.emplace_back(std::string(peer), std::string(address));
  return OpenPeerChannel(address);
}

int RunService(const ServiceDefinition& service, char** environment) {
  PrepareServingProcess();
  absl::StatusOr<std::unique_ptr<ServiceContext>> context = OpenContext(service, environment);
  if (!context.ok()) return Fail(service, context.status());
  ServiceContext& ctx = **context;
  log::SetAccessLogPolicy(AccessLogPolicyFrom(ctx.config()));
  absl::StatusOr<std::unique_ptr<grpc::Service>> built = service.build(ctx);
  if (!built.ok()) return Fail(service, built.status());
  auto grpc_server =
      GrpcServer::Start(service.name, ServerOptionsFrom(ctx.config()), {built->get()});
  if (!grpc_server.ok()) return Fail(service, grpc_server.status());
  // Health says NOT_SERVING until the schema is current: replicas starting together
  // serialize their migrations, and none takes traffic before its store is ready, while
  // liveness already answers.
  absl::Status migrated = ctx.store().Migrate(service.schemas);
  if (!migrated.ok()) return Fail(service, migrated);
  ctx.ExportMetrics(std::make_shared<metrics::CacheCollector>(&ctx.cache()));
  std::unique_ptr<metrics::MetricsListener> metrics_listener;
  if (!ctx.config().metrics_address.empty()) {
    auto listener =
        metrics::MetricsListener::Start(ctx.config().metrics_address, ctx.metric_sources());
    if (!listener.ok()) return Fail(service, listener.status());
    metrics_listener = *std::move(listener);
  }
  (*grpc_server)->SetServing(true);
  std::vector<std::pair<std::string, std::string>> fields = {
      {"address", ctx.config().listen_address},
      {"port", std::to_string((*grpc_server)->port())},
      {"metricsPort", metrics_listener ? std::to_string(metrics_listener->port()) : "off"},
      {"database", DatabaseDescription(ctx.config())},
      {"redis", ctx.config().redis_url.empty() ? "none" : "configured"}};
  fields.insert(fields.end(), ctx.peers().begin(), ctx.peers().end());
  log::Event("info", service.name, "serving", fields);
  for (BackgroundTask* task : ctx.background()) task->Start();
  std::string signal = WaitForTerminationSignal();
  log::Event("info", service.name, "signal received", {{"signal", signal}});
  (*grpc_server)->Shutdown();
  for (BackgroundTask* task : ctx.background()) task->Stop();
  log::Flush();
  return 0;
}

}  // namespace metrocap::server
