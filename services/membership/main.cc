// metrocap-membership: reads config, opens the store its configuration names (SQLite by
// default, PostgreSQL for a postgres:// URL) and the process's cache client (Redis when
// METROCAP_REDIS_URL is set), migrates, serves gRPC until SIGINT/SIGTERM, then drains.
#include <cstdio>

#include "absl/strings/match.h"
#include "common/cache/lookup_cache.h"
#include "common/config/component.h"
#include "common/config/settings.h"
#include "common/log/log.h"
#include "common/server/server.h"
#include "common/store/open.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"

extern char** environ;

namespace {

constexpr char kComponent[] = "membership";

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "metrocap-%s: %s\n", kComponent, std::string(status.message()).c_str());
  return 2;
}

// What the log says about the store: its kind, and the file for SQLite. Never a
// PostgreSQL URL, which may carry a password.
std::string DatabaseDescription(const metrocap::config::ComponentConfig& cfg) {
  if (absl::StartsWith(cfg.database_url, "postgres")) return "postgresql";
  return "sqlite:" + metrocap::config::SqlitePathFor(cfg);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace metrocap;
  server::BlockTerminationSignals();
  auto environment = config::Settings::FromEnviron(environ);
  auto settings = config::Settings::Load(
      environment.count("METROCAP_CONFIG") ? environment["METROCAP_CONFIG"] : "", environment);
  if (!settings.ok()) return Fail(settings.status());
  auto cfg = config::LoadComponentConfig(*settings, kComponent, 50051);
  if (!cfg.ok()) return Fail(cfg.status());
  auto store = store::OpenStore(*cfg);
  if (!store.ok()) return Fail(store.status());
  auto cache = cache::CacheClient::Create(cache::CacheConfigFor(*cfg));
  if (!cache.ok()) return Fail(cache.status());

  server::CallEnv env{kComponent, {cfg->internal_credential, cfg->admin_token}};
  std::string token_key =
      cfg->internal_credential.empty() ? std::string() : "page-token:" + cfg->internal_credential;
  membership::MembershipService service(env, store->get(), token_key, cache->get());
  auto grpc_server =
      server::GrpcServer::Start(kComponent, server::ServerOptionsFrom(*cfg), {&service});
  if (!grpc_server.ok()) return Fail(grpc_server.status());
  // Health says NOT_SERVING until the schema is current: replicas starting together
  // serialize their migrations, and none takes traffic before its store is ready.
  absl::Status migrated = (*store)->Migrate(membership::MembershipSchemas().All());
  if (!migrated.ok()) return Fail(migrated);
  (*grpc_server)->SetServing(true);
  log::Event("info", kComponent, "serving",
             {{"address", cfg->listen_address},
              {"port", std::to_string((*grpc_server)->port())},
              {"database", DatabaseDescription(*cfg)},
              {"redis", cfg->redis_url.empty() ? "none" : "configured"}});
  std::string signal = server::WaitForTerminationSignal();
  log::Event("info", kComponent, "signal received", {{"signal", signal}});
  (*grpc_server)->Shutdown();
  return 0;
}
