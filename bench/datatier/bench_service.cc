#include "bench/datatier/bench_service.h"

#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/status_macros.h"

namespace metrocap::bench {

using membership::v1::Organisation;

grpc::Status BenchMembershipService::GetOrganisation(
    grpc::ServerContext* context, const membership::v1::GetOrganisationRequest* request,
    Organisation* response) {
  return server::Serve(env_, context, "GetOrganisation", [&](const server::Call&) -> absl::Status {
    absl::string_view path;
    auto header = context->client_metadata().find(kPathHeader);
    if (header != context->client_metadata().end()) {
      path = absl::string_view(header->second.data(), header->second.size());
    }
    if (path == "noop") return absl::OkStatus();
    RETURN_IF_ERROR(resource::CheckName("name", request->name(), "organisations"));
    auto from = [&](store::Store* store) {
      return [&, store]() -> absl::StatusOr<Organisation> {
        return resource::Load<Organisation>(*store, *paths_.organisations, request->name());
      };
    };
    if (path == "sqlite" || path == "postgres") {
      store::Store* store = path == "sqlite" ? paths_.sqlite : paths_.postgres;
      if (store == nullptr) return absl::FailedPreconditionError("no such store");
      ASSIGN_OR_RETURN(*response, from(store)());
      return absl::OkStatus();
    }
    cache::LookupCache* cache = path == "local" ? paths_.local : paths_.redis;
    if (cache == nullptr) return absl::FailedPreconditionError("no such cache");
    ASSIGN_OR_RETURN(*response, cache::GetOrLoadMessage<Organisation>(*cache, request->name(),
                                                                      from(paths_.sqlite)));
    return absl::OkStatus();
  });
}

}  // namespace metrocap::bench
