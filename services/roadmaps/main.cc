// metrocap-roadmaps: the roadmaps service (common/server/bootstrap.h does the rest), reading
// organisations from membership and frameworks from assessment through the shared cache.
#include "common/server/bootstrap.h"
#include "common/status/status_macros.h"
#include "services/roadmaps/peers.h"
#include "services/roadmaps/service.h"
#include "services/roadmaps/storage/schemas.h"

extern char** environ;

namespace {

using namespace metrocap;

// METROCAP_PEER_TIMEOUT_MS: the deadline of each call to membership or assessment
// (default 2000).
absl::StatusOr<std::unique_ptr<grpc::Service>> Build(server::ServiceContext& ctx) {
  ASSIGN_OR_RETURN(int64_t timeout_ms,
                   ctx.settings().Int("METROCAP_PEER_TIMEOUT_MS", 2000, 10, 60000));
  auto* peers = ctx.Keep(std::make_unique<roadmaps::GrpcPeers>(
      ctx.PeerChannel("membership", ctx.config().membership_address),
      ctx.PeerChannel("assessment", ctx.config().assessment_address), ctx.call_env().identity,
      roadmaps::PeerOptions{absl::Milliseconds(timeout_ms)}, &ctx.cache()));
  return std::make_unique<roadmaps::RoadmapService>(
      ctx.call_env(), &ctx.store(), peers, ctx.page_token_key(), ctx.clock(), &ctx.cache());
}

}  // namespace

int main() {
  return server::RunService({"roadmaps", 50053, roadmaps::RoadmapSchemas().All(), Build}, environ);
}
