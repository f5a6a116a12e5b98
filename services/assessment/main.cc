// metrocap-assessment: the assessment service (common/server/bootstrap.h does the rest),
// checking organisations with membership through the shared cache.
#include "common/cache/names.h"
#include "common/server/bootstrap.h"
#include "common/status/status_macros.h"
#include "services/assessment/organisations.h"
#include "services/assessment/service.h"
#include "services/assessment/storage/schemas.h"

extern char** environ;

namespace {

using namespace metrocap;

// METROCAP_MEMBERSHIP_TIMEOUT_MS: the deadline of each call to membership (default 2000).
absl::StatusOr<std::unique_ptr<grpc::Service>> Build(server::ServiceContext& ctx) {
  ASSIGN_OR_RETURN(int64_t timeout_ms,
                   ctx.settings().Int("METROCAP_MEMBERSHIP_TIMEOUT_MS", 2000, 10, 60000));
  // A database from before the profile rows gets them before any call is served. The
  // bootstrap migrates only after Build; migrating is idempotent, so it is done here first.
  RETURN_IF_ERROR(ctx.store().Migrate(assessment::AssessmentSchemas().All()));
  RETURN_IF_ERROR(assessment::FillProfileRows(ctx.store()));
  auto* organisations = ctx.Keep(std::make_unique<assessment::MembershipDirectory>(
      ctx.PeerChannel("membership", ctx.config().membership_address), ctx.call_env().identity,
      assessment::MembershipDirectoryOptions{absl::Milliseconds(timeout_ms)},
      &ctx.cache().Cache(cache::kOrganisationsCache)));
  return std::make_unique<assessment::AssessmentService>(
      ctx.call_env(), &ctx.store(), organisations, ctx.page_token_key(), ctx.clock(), &ctx.cache());
}

}  // namespace

int main() {
  return server::RunService({"assessment", 50052, assessment::AssessmentSchemas().All(), Build},
                            environ);
}
