// metrocap-roadmaps: reads config, opens and migrates the store, connects to membership
// (organisations) and assessment (frameworks) through the shared cache, serves gRPC until
// SIGINT/SIGTERM, then drains.
#include <cstdio>

#include "common/cache/lookup_cache.h"
#include "common/config/component.h"
#include "common/config/settings.h"
#include "common/log/log.h"
#include "common/server/channel.h"
#include "common/server/server.h"
#include "common/store/open.h"
#include "services/roadmaps/peers.h"
#include "services/roadmaps/service.h"
#include "services/roadmaps/storage/schemas.h"

extern char** environ;

namespace {

constexpr char kComponent[] = "roadmaps";
constexpr int kDefaultPort = 50053;

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "metrocap-%s: %s\n", kComponent, std::string(status.message()).c_str());
  return 2;
}

// The peer lookups' settings: METROCAP_PEER_TIMEOUT_MS, the deadline of each call to
// membership or assessment (default 2000).
absl::StatusOr<metrocap::roadmaps::PeerOptions> PeerOptionsFrom(
    const metrocap::config::Settings& settings) {
  metrocap::roadmaps::PeerOptions options;
  auto timeout_ms = settings.Int("METROCAP_PEER_TIMEOUT_MS", 2000, 10, 60000);
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
  auto peer_options = PeerOptionsFrom(*settings);
  if (!peer_options.ok()) return Fail(peer_options.status());

  auto store = store::OpenStore(*cfg);
  if (!store.ok()) return Fail(store.status());
  absl::Status migrated = (*store)->Migrate(roadmaps::RoadmapSchemas().All());
  if (!migrated.ok()) return Fail(migrated);

  cache::CacheConfig cache_config;
  cache_config.redis_url = cfg->redis_url;
  auto cache = cache::CacheClient::Create(cache_config);
  if (!cache.ok()) return Fail(cache.status());

  server::CallEnv env{kComponent, {cfg->internal_credential, cfg->admin_token}};
  roadmaps::GrpcPeers peers(server::OpenPeerChannel(cfg->membership_address),
                            server::OpenPeerChannel(cfg->assessment_address), env.identity,
                            *peer_options, cache->get());
  std::string token_key =
      cfg->internal_credential.empty() ? std::string() : "page-token:" + cfg->internal_credential;
  roadmaps::RoadmapService service(env, store->get(), &peers, token_key, absl::Now, cache->get());
  auto grpc_server =
      server::GrpcServer::Start(kComponent, server::ServerOptionsFrom(*cfg), {&service});
  if (!grpc_server.ok()) return Fail(grpc_server.status());
  (*grpc_server)->SetServing(true);
  log::Event("info", kComponent, "serving",
             {{"address", cfg->listen_address},
              {"port", std::to_string((*grpc_server)->port())},
              {"membership", cfg->membership_address},
              {"assessment", cfg->assessment_address},
              {"redis", cfg->redis_url.empty() ? "none" : "configured"}});
  std::string signal = server::WaitForTerminationSignal();
  log::Event("info", kComponent, "signal received", {{"signal", signal}});
  (*grpc_server)->Shutdown();
  return 0;
}
