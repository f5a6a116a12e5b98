// metrocap-hubs: the hubs service (common/server/bootstrap.h does the rest), checking
// organisations with membership, frameworks with assessment, and plans, taxonomies and
// roadmaps with roadmaps through the shared cache, and the deliverer that sends published
// insights to roadmaps beside it.
#include "common/server/bootstrap.h"
#include "common/status/status_macros.h"
#include "services/hubs/deliverer.h"
#include "services/hubs/outbox_gauge.h"
#include "services/hubs/peers.h"
#include "services/hubs/service.h"
#include "services/hubs/storage/schemas.h"

extern char** environ;

namespace {

using namespace metrocap;

// METROCAP_PEER_TIMEOUT_MS: the deadline of each call to membership, assessment or roadmaps
// (default 2000). METROCAP_DELIVERY_POLL_MS: how often the deliverer looks for due deliveries
// when no publish wakes it (default 1000). METROCAP_DELIVERY_BACKOFF_MS: the wait after a
// delivery's first failed attempt, doubled after each further one up to 5 minutes (default
// 1000).
absl::StatusOr<std::unique_ptr<grpc::Service>> Build(server::ServiceContext& ctx) {
  ASSIGN_OR_RETURN(int64_t timeout_ms,
                   ctx.settings().Int("METROCAP_PEER_TIMEOUT_MS", 2000, 10, 60000));
  ASSIGN_OR_RETURN(int64_t poll_ms,
                   ctx.settings().Int("METROCAP_DELIVERY_POLL_MS", 1000, 10, 600000));
  ASSIGN_OR_RETURN(int64_t backoff_ms,
                   ctx.settings().Int("METROCAP_DELIVERY_BACKOFF_MS", 1000, 10, 300000));
  std::shared_ptr<grpc::Channel> roadmaps =
      ctx.PeerChannel("roadmaps", ctx.config().roadmaps_address);
  auto* peers = ctx.Keep(std::make_unique<hubs::Peers>(
      ctx.PeerChannel("membership", ctx.config().membership_address),
      ctx.PeerChannel("assessment", ctx.config().assessment_address), roadmaps,
      ctx.call_env().identity, absl::Milliseconds(timeout_ms), &ctx.cache()));
  hubs::DelivererConfig delivery;
  delivery.poll = absl::Milliseconds(poll_ms);
  delivery.backoff.initial = absl::Milliseconds(backoff_ms);
  delivery.timeout = absl::Milliseconds(timeout_ms);
  auto* deliverer = ctx.Keep(std::make_unique<hubs::Deliverer>(
      &ctx.store(), roadmaps, ctx.call_env().identity, delivery, ctx.clock()));
  ctx.RunBeside(deliverer);
  ctx.ExportMetrics(std::make_shared<hubs::OutboxGauge>(&ctx.store()));
  auto service = std::make_unique<hubs::HubService>(
      ctx.call_env(), &ctx.store(), peers, ctx.page_token_key(), ctx.clock(), &ctx.cache());
  service->OnPublished([deliverer] { deliverer->Wake(); });
  return service;
}

}  // namespace

int main() {
  return server::RunService({"hubs", 50054, hubs::HubsSchemas().All(), Build}, environ);
}
