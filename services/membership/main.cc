// metrocap-membership: reads config, opens and migrates the store, serves gRPC until
// SIGINT/SIGTERM, then drains.
#include <sys/stat.h>

#include <cstdio>

#include "common/config/component.h"
#include "common/config/settings.h"
#include "common/log/log.h"
#include "common/server/server.h"
#include "common/store/sqlite_store.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"

extern char** environ;

namespace {

constexpr char kComponent[] = "membership";

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "metrocap-%s: %s\n", kComponent, std::string(status.message()).c_str());
  return 2;
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
  if (!cfg->database_url.empty() && cfg->database_url.rfind("sqlite:", 0) != 0) {
    return Fail(absl::InvalidArgumentError(
        "METROCAP_DATABASE_URL: this build of metrocap-membership supports sqlite: only"));
  }
  mkdir(cfg->data_dir.c_str(), 0750);
  auto store = store::OpenSqliteStore(config::SqlitePathFor(*cfg));
  if (!store.ok()) return Fail(store.status());

  server::CallEnv env{kComponent, {cfg->internal_credential, cfg->admin_token}};
  std::string token_key =
      cfg->internal_credential.empty() ? std::string() : "page-token:" + cfg->internal_credential;
  membership::MembershipService service(env, store->get(), token_key);
  auto grpc_server =
      server::GrpcServer::Start(kComponent, server::ServerOptionsFrom(*cfg), {&service});
  if (!grpc_server.ok()) return Fail(grpc_server.status());
  absl::Status migrated = (*store)->Migrate(membership::MembershipSchemas().All());
  if (!migrated.ok()) return Fail(migrated);
  (*grpc_server)->SetServing(true);
  log::Event("info", kComponent, "serving",
             {{"address", cfg->listen_address},
              {"port", std::to_string((*grpc_server)->port())},
              {"database", config::SqlitePathFor(*cfg)}});
  std::string signal = server::WaitForTerminationSignal();
  log::Event("info", kComponent, "signal received", {{"signal", signal}});
  (*grpc_server)->Shutdown();
  return 0;
}
