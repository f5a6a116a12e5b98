// metrocap-hubs: the hubs service (common/server/bootstrap.h does the rest), checking
// organisations with membership, frameworks with assessment, and plans, taxonomies and
// roadmaps with roadmaps through the shared cache.
#include "common/server/bootstrap.h"
#include "common/status/status_macros.h"
#include "services/hubs/peers.h"
#include "services/hubs/service.h"
#include "services/hubs/storage/schemas.h"

extern char** environ;

namespace {

using namespace metrocap;

// METROCAP_PEER_TIMEOUT_MS: the deadline of each call to membership, assessment or roadmaps
// (default 2000).
absl::StatusOr<std::unique_ptr<grpc::Service>> Build(server::ServiceContext& ctx) {
  ASSIGN_OR_RETURN(int64_t timeout_ms,
                   ctx.settings().Int("METROCAP_PEER_TIMEOUT_MS", 2000, 10, 60000));
  auto* peers = ctx.Keep(std::make_unique<hubs::Peers>(
      ctx.PeerChannel("membership", ctx.config().membership_address),
      ctx.PeerChannel("assessment", ctx.config().assessment_address),
      ctx.PeerChannel("roadmaps", ctx.config().roadmaps_address), ctx.call_env().identity,
      absl::Milliseconds(timeout_ms), &ctx.cache()));
  return std::make_unique<hubs::HubService>(ctx.call_env(), &ctx.store(), peers,
                                            ctx.page_token_key(), ctx.clock(), &ctx.cache());
}

}  // namespace

int main() {
  return server::RunService({"hubs", 50054, hubs::HubsSchemas().All(), Build}, environ);
}
