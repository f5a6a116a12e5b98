// metrocap-assessment: reads config, opens and migrates the store, connects to membership
// for the organisation check (through the shared cache), serves gRPC until SIGINT/SIGTERM,
// then drains.
#include <cstdio>

#include "common/cache/lookup_cache.h"
#include "common/config/component.h"
#include "common/config/settings.h"
#include "common/log/log.h"
#include "common/server/channel.h"
#include "common/server/server.h"
#include "common/store/open.h"
#include "services/assessment/organisations.h"
#include "services/assessment/service.h"
#include "services/assessment/storage/schemas.h"

extern char** environ;

namespace {

constexpr char kComponent[] = "assessment";
constexpr int kDefaultPort = 50052;

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "metrocap-%s: %s\n", kComponent, std::string(status.message()).c_str());
  return 2;
}

// The organisation check's settings: METROCAP_MEMBERSHIP_TIMEOUT_MS, the deadline of each
// call to membership (default 2000).
absl::StatusOr<metrocap::assessment::MembershipDirectoryOptions> DirectoryOptions(
    const metrocap::config::Settings& settings) {
  metrocap::assessment::MembershipDirectoryOptions options;
  auto timeout_ms = settings.Int("METROCAP_MEMBERSHIP_TIMEOUT_MS", 2000, 10, 60000);
  if (!timeout_ms.ok()) return timeout_ms.status();
  options.timeout = absl::Milliseconds(*timeout_ms);
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace metrocap;
  server::BlockTerminationSignals();
  auto environment = config::Settings::FromEnviron(environ);
  auto settings = config::Settings::Load(
      environment.count("METROCAP_CONFIG") ? environment["METROCAP_CONFIG"] : "", environment);
  if (!settings.ok()) return Fail(settings.status());
  auto cfg = config::LoadComponentConfig(*settings, kComponent, kDefaultPort);
  if (!cfg.ok()) return Fail(cfg.status());
  auto directory_options = DirectoryOptions(*settings);
  if (!directory_options.ok()) return Fail(directory_options.status());

  auto store = store::OpenStore(*cfg);
  if (!store.ok()) return Fail(store.status());
  absl::Status migrated = (*store)->Migrate(assessment::AssessmentSchemas().All());
  if (!migrated.ok()) return Fail(migrated);

  cache::CacheConfig cache_config;
  cache_config.redis_url = cfg->redis_url;
  auto cache = cache::CacheClient::Create(cache_config);
  if (!cache.ok()) return Fail(cache.status());

  server::CallEnv env{kComponent, {cfg->internal_credential, cfg->admin_token}};
  assessment::MembershipDirectory organisations(server::OpenPeerChannel(cfg->membership_address),
                                                env.identity, *directory_options,
                                                &(*cache)->Cache(assessment::kOrganisationsCache));
  std::string token_key =
      cfg->internal_credential.empty() ? std::string() : "page-token:" + cfg->internal_credential;
  assessment::AssessmentService service(env, store->get(), &organisations, token_key, absl::Now,
                                        cache->get());
  auto grpc_server =
      server::GrpcServer::Start(kComponent, server::ServerOptionsFrom(*cfg), {&service});
  if (!grpc_server.ok()) return Fail(grpc_server.status());
  (*grpc_server)->SetServing(true);
  log::Event("info", kComponent, "serving",
             {{"address", cfg->listen_address},
              {"port", std::to_string((*grpc_server)->port())},
              {"membership", cfg->membership_address},
              {"redis", cfg->redis_url.empty() ? "none" : "configured"}});
  std::string signal = server::WaitForTerminationSignal();
  log::Event("info", kComponent, "signal received", {{"signal", signal}});
  (*grpc_server)->Shutdown();
  return 0;
}
