#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/cache/lookup_cache.h"
#include "common/config/component.h"
#include "common/config/settings.h"
#include "common/metrics/rpc.h"
#include "common/resource/declared.h"
#include "common/server/call.h"
#include "common/store/store.h"
#include "grpcpp/channel.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "prometheus/collectable.h"
#include "prometheus/registry.h"

// The one service bootstrap: every service's main() is a ServiceDefinition and a call to
// RunService, which does the rest the same way for all of them.
namespace metrocap::server {

// Work a service process does beside answering calls (hubs' insight deliverer). The
// bootstrap starts it once the store is migrated and the service reports SERVING, and
// stops it after the gRPC server has drained on SIGTERM or SIGINT.
class BackgroundTask {
 public:
  virtual ~BackgroundTask() = default;
  // Starts the work on threads of its own and returns at once.
  virtual void Start() = 0;
  // Asks the work to end and returns once it has (called once, after Start).
  virtual void Stop() = 0;
};

// What a service's build function is given: everything the bootstrap opened for it. It
// lives as long as the process serves.
class ServiceContext {
 public:
  ServiceContext(config::ComponentConfig config, config::Settings settings,
                 std::unique_ptr<store::Store> store, std::unique_ptr<cache::CacheClient> cache);

  // The component's validated common settings, and the raw settings for the service's own
  // (read and validated in its build function; an error refuses to start).
  const config::ComponentConfig& config() const { return config_; }
  const config::Settings& settings() const { return settings_; }
  // The store, opened and migrated with the service's schemas before it takes traffic; its
  // transactions are timed in the metrics (metrics::TimedStore).
  store::Store& store() { return *store_; }
  // The process's one cache client (Redis when METROCAP_REDIS_URL is set).
  cache::CacheClient& cache() { return *cache_; }
  // Component name and identity config for server::Serve.
  const CallEnv& call_env() const { return call_env_; }
  // Signs page tokens; derived from the internal credential, so every replica has it.
  const std::string& page_token_key() const { return page_token_key_; }
  // What every declared resource of the service shares (resource::Resource).
  const resource::ServiceEnv& resources() const { return resources_; }
  // The clock services are given (absl::Now; tests build services with their own).
  std::function<absl::Time()> clock() const { return absl::Now; }

  // A channel to the peer `peer` ("membership") at `address` (server::OpenPeerChannel),
  // named in the start-up log line.
  std::shared_ptr<grpc::Channel> PeerChannel(absl::string_view peer, absl::string_view address);
  // Keeps `object` (a peer directory, say) alive as long as the service; returns it.
  template <typename T>
  T* Keep(std::unique_ptr<T> object) {
    T* raw = object.get();
    kept_.push_back(std::shared_ptr<T>(std::move(object)));
    return raw;
  }

  // The process's metrics: the RPC, cache and store series the bootstrap records, and
  // whatever the service adds. Served on the metrics listener (METROCAP_METRICS_ADDRESS).
  prometheus::Registry& metrics() { return *registry_; }
  // Serves `source` too, a collector whose series are computed at each scrape (hubs' outbox
  // depth). Call from the build function.
  void ExportMetrics(std::shared_ptr<prometheus::Collectable> source) {
    metric_sources_.push_back(std::move(source));
  }
  const std::vector<std::shared_ptr<prometheus::Collectable>>& metric_sources() const {
    return metric_sources_;
  }

  // Runs `task` beside the service (see BackgroundTask); it must outlive the context
  // (Keep it).
  void RunBeside(BackgroundTask* task) { background_.push_back(task); }
  const std::vector<BackgroundTask*>& background() const { return background_; }

  // Fields of the "serving" log line: the peers asked for.
  const std::vector<std::pair<std::string, std::string>>& peers() const { return peers_; }

 private:
  config::ComponentConfig config_;
  config::Settings settings_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<metrics::RpcMetrics> rpc_metrics_;
  std::vector<std::shared_ptr<prometheus::Collectable>> metric_sources_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<cache::CacheClient> cache_;
  CallEnv call_env_;
  std::string page_token_key_;
  resource::ServiceEnv resources_;
  std::vector<std::pair<std::string, std::string>> peers_;
  std::vector<std::shared_ptr<void>> kept_;
  std::vector<BackgroundTask*> background_;
};

struct ServiceDefinition {
  std::string name;  // the component, "assessment": config, logs, health
  int default_port = 0;
  std::vector<const store::ResourceSchema*> schemas;  // migrated before the service serves
  // Builds the gRPC service from the context. An error (a bad service setting) refuses to
  // start, its message on stderr.
  std::function<absl::StatusOr<std::unique_ptr<grpc::Service>>(ServiceContext&)> build;
};

// Runs one service process with `environment` (main's environ) and returns main's exit code:
//   1. reads the settings (METROCAP_CONFIG file, overlaid by METROCAP_* variables) and
//      validates the component config;
//   2. opens the store and the cache client; builds the service;
//   3. starts gRPC (health, reflection when configured) answering liveness only, migrates
//      the store with `schemas`, then reports SERVING and logs "serving" (address, port,
//      metrics port, database kind, redis, peers);
//   4. serves the metrics (ServiceContext::metrics) on METROCAP_METRICS_ADDRESS and starts
//      the service's background tasks (ServiceContext::RunBeside);
//   5. on SIGINT or SIGTERM drains (GrpcServer::Shutdown), stops the background tasks and
//      returns 0.
// Any failure before serving prints "metrocap-<name>: <why>" on stderr and returns 2.
// Call first thing in main(): it blocks the termination signals in every thread.
int RunService(const ServiceDefinition& service, char** environment);

}  // namespace metrocap::server
