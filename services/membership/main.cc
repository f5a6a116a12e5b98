// metrocap-membership: the membership service (common/server/bootstrap.h does the rest).
#include "common/server/bootstrap.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"

extern char** environ;

namespace {

using namespace metrocap;

absl::StatusOr<std::unique_ptr<grpc::Service>> Build(server::ServiceContext& ctx) {
  return std::make_unique<membership::MembershipService>(
      ctx.call_env(), &ctx.store(), ctx.page_token_key(), &ctx.cache(), ctx.clock());
}

}  // namespace

int main() {
  return server::RunService({"membership", 50051, membership::MembershipSchemas().All(), Build},
                            environ);
}
