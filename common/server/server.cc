#include "common/server/server.h"

#include <signal.h>

#include <algorithm>
#include <cstdint>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "common/log/log.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/impl/server_builder_plugin.h"
#include "grpcpp/impl/server_initializer.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/time.h"

namespace metrocap::server {
namespace {

// gRPC does not say which service a grpc::Service* is; the server keeps the names of its
// registered services for builder plugins only (server reflection learns them the same way).
// This plugin copies that list once the server has started.
class ServiceNameCollector final : public grpc::ServerBuilderPlugin {
 public:
  explicit ServiceNameCollector(std::vector<std::string>* names) : names_(names) {}
  std::string name() override { return "metrocap_service_names"; }
  void InitServer(grpc::ServerInitializer*) override {}
  void Finish(grpc::ServerInitializer* initializer) override {
    for (const std::string& service : *initializer->GetServiceList()) {
      // gRPC's own services (health, reflection) are infrastructure, not the component's API.
      if (!absl::StartsWith(service, "grpc.")) names_->push_back(service);
    }
  }
  void ChangeArguments(const std::string&, void*) override {}

 private:
  std::vector<std::string>* names_;
};

class CollectServiceNames final : public grpc::ServerBuilderOption {
 public:
  explicit CollectServiceNames(std::vector<std::string>* names) : names_(names) {}
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->push_back(std::make_unique<ServiceNameCollector>(names_));
  }

 private:
  std::vector<std::string>* names_;
};

int Milliseconds(absl::Duration duration) {
  return static_cast<int>(std::min<int64_t>(absl::ToInt64Milliseconds(duration), INT32_MAX));
}

}  // namespace

ServerOptions ServerOptionsFrom(const config::ComponentConfig& config) {
  ServerOptions options;
  options.listen_address = config.listen_address;
  options.reflection = config.reflection;
  options.max_threads = config.max_threads;
  options.shutdown_grace = config.shutdown_grace;
  options.drain_delay = config.drain_delay;
  options.max_message_bytes = config.max_message_bytes;
  return options;
}

log::AccessLogPolicy AccessLogPolicyFrom(const config::ComponentConfig& config) {
  log::AccessLogPolicy policy;
  policy.success_sample = config.access_log_sample;
  policy.slow_call = config.slow_call;
  return policy;
}

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    absl::string_view component, const ServerOptions& options,
    const std::vector<grpc::Service*>& services) {
  grpc::EnableDefaultHealthCheckService(true);
  if (options.reflection) grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen_address, grpc::InsecureServerCredentials(), &port);
  for (grpc::Service* service : services) builder.RegisterService(service);
  grpc::ResourceQuota quota(absl::StrCat("metrocap-", component));
  quota.SetMaxThreads(options.max_threads);
  builder.SetResourceQuota(quota);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                             Milliseconds(options.max_connection_age));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             Milliseconds(options.max_connection_age_grace));
  std::vector<std::string> service_names;
  builder.SetOption(std::make_unique<CollectServiceNames>(&service_names));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address, " for ", component));
  }
  auto out = std::unique_ptr<GrpcServer>(new GrpcServer(
      std::string(component), options, std::move(server), port, std::move(service_names)));
  if (auto* health = out->server_->GetHealthCheckService()) {
    health->SetServingStatus(kLivenessHealthName, true);
  }
  out->SetReadiness(false);
  log::Event("info", out->component_, "gRPC server started",
             {{"port", absl::StrCat(port)}, {"services", absl::StrJoin(out->service_names_, ",")}});
  return out;
}

GrpcServer::GrpcServer(std::string component, const ServerOptions& options,
                       std::unique_ptr<grpc::Server> server, int port,
                       std::vector<std::string> service_names)
    : component_(std::move(component)),
      grace_(options.shutdown_grace),
      drain_delay_(std::min(options.drain_delay, options.shutdown_grace)),
      server_(std::move(server)),
      port_(port),
      service_names_(std::move(service_names)) {}

// Nobody waits for endpoints to update when the object goes away: no drain delay.
GrpcServer::~GrpcServer() { Stop(absl::ZeroDuration()); }

void GrpcServer::SetServing(bool serving) {
  if (shut_down_.load()) return;
  SetReadiness(serving);
}

void GrpcServer::SetReadiness(bool serving) {
  auto* health = server_->GetHealthCheckService();
  if (health == nullptr) return;
  // Per name, never the all-names overload: that one would also flip kLivenessHealthName.
  health->SetServingStatus("", serving);
  for (const std::string& name : service_names_) health->SetServingStatus(name, serving);
}

void GrpcServer::Shutdown() { Stop(drain_delay_); }

void GrpcServer::Stop(absl::Duration drain_delay) {
  if (shut_down_.exchange(true)) return;
  const absl::Time start = absl::Now();
  SetReadiness(false);
  log::Event("info", component_, "draining",
             {{"drainDelaySeconds", absl::StrCat(absl::ToDoubleSeconds(drain_delay))},
              {"graceSeconds", absl::StrCat(absl::ToDoubleSeconds(grace_))}});
  // Readiness has turned; until the endpoints follow, callers still arrive and are served.
  absl::SleepFor(drain_delay);
  server_->Shutdown(absl::ToChronoTime(std::max(start + grace_, absl::Now())));
  server_->Wait();
  log::Event("info", component_, "stopped");  // after the request lines still buffered
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void PrepareServingProcess() {
  BlockTerminationSignals();
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

std::string WaitForTerminationSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int signal = 0;
  sigwait(&set, &signal);
  return signal == SIGINT ? "SIGINT" : "SIGTERM";
}

}  // namespace metrocap::server
