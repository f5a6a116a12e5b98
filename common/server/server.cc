#include "common/server/server.h"

#include <signal.h>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/time.h"

namespace metrocap::server {

ServerOptions ServerOptionsFrom(const config::ComponentConfig& config) {
  ServerOptions options;
  options.listen_address = config.listen_address;
  options.reflection = config.reflection;
  options.max_threads = config.max_threads;
  options.shutdown_grace = config.shutdown_grace;
  options.max_message_bytes = config.max_message_bytes;
  return options;
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
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address, " for ", component));
  }
  auto out = std::unique_ptr<GrpcServer>(
      new GrpcServer(std::string(component), options.shutdown_grace, std::move(server), port));
  out->SetServing(false);
  return out;
}

GrpcServer::GrpcServer(std::string component, absl::Duration grace,
                       std::unique_ptr<grpc::Server> server, int port)
    : component_(std::move(component)), grace_(grace), server_(std::move(server)), port_(port) {}

GrpcServer::~GrpcServer() { Shutdown(); }

void GrpcServer::SetServing(bool serving) {
  if (auto* health = server_->GetHealthCheckService()) health->SetServingStatus(serving);
}

void GrpcServer::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  SetServing(false);
  log::Event("info", component_, "draining",
             {{"graceSeconds", absl::StrCat(absl::ToInt64Seconds(grace_))}});
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace_));
  server_->Wait();
  log::Event("info", component_, "stopped");
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
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
