// metrocap-hubs: the hubs service (common/server/bootstrap.h does the rest), checking
// organisations with membership through the shared cache.
#include "common/cache/names.h"
#include "common/server/bootstrap.h"
#include "common/status/status_macros.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "services/hubs/service.h"
#include "services/hubs/storage/schemas.h"

extern char** environ;

namespace {

using namespace metrocap;

// METROCAP_MEMBERSHIP_TIMEOUT_MS: the deadline of each call to membership (default 2000).
absl::StatusOr<std::unique_ptr<grpc::Service>> Build(server::ServiceContext& ctx) {
  ASSIGN_OR_RETURN(int64_t timeout_ms,
                   ctx.settings().Int("METROCAP_MEMBERSHIP_TIMEOUT_MS", 2000, 10, 60000));
  std::shared_ptr<membership::v1::MembershipService::Stub> stub =
      membership::v1::MembershipService::NewStub(
          ctx.PeerChannel("membership", ctx.config().membership_address));
  auto* organisations = ctx.Keep(std::make_unique<hubs::HubService::Organisations>(
      resource::PeerConfig{"membership", "organisation", ctx.call_env().identity,
                           absl::Milliseconds(timeout_ms)},
      &ctx.cache().Cache(cache::kOrganisationsCache),
      [stub](grpc::ClientContext* context, const std::string& name,
             membership::v1::Organisation* out) {
        membership::v1::GetOrganisationRequest request;
        request.set_name(name);
        return stub->GetOrganisation(context, request, out);
      }));
  return std::make_unique<hubs::HubService>(ctx.call_env(), &ctx.store(), organisations,
                                            ctx.page_token_key(), ctx.clock(), &ctx.cache());
}

}  // namespace

int main() {
  return server::RunService({"hubs", 50054, hubs::HubsSchemas().All(), Build}, environ);
}
