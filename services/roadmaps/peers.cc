#include "services/roadmaps/peers.h"

#include "common/cache/names.h"

namespace metrocap::roadmaps {

GrpcPeers::GrpcPeers(std::shared_ptr<grpc::ChannelInterface> membership,
                     std::shared_ptr<grpc::ChannelInterface> assessment,
                     identity::IdentityConfig identity, PeerOptions options,
                     cache::CacheClient* cache)
    : membership_(membership::v1::MembershipService::NewStub(membership)),
      assessment_(assessment::v1::AssessmentService::NewStub(assessment)),
      organisations_({"membership", "organisation", identity, options.timeout},
                     &cache->Cache(cache::kOrganisationsCache),
                     [stub = membership_](grpc::ClientContext* context, const std::string& name,
                                          membership::v1::Organisation* out) {
                       membership::v1::GetOrganisationRequest request;
                       request.set_name(name);
                       return stub->GetOrganisation(context, request, out);
                     }),
      frameworks_({"assessment", "framework", identity, options.timeout},
                  &cache->Cache(cache::kFrameworksCache),
                  [stub = assessment_](grpc::ClientContext* context, const std::string& name,
                                       assessment::v1::Framework* out) {
                    assessment::v1::GetFrameworkRequest request;
                    request.set_name(name);
                    return stub->GetFramework(context, request, out);
                  }) {}

absl::Status GrpcPeers::CheckOrganisation(const server::Call& call,
                                          absl::string_view organisation) {
  return organisations_.Get(call, organisation).status();
}

absl::StatusOr<assessment::v1::Framework> GrpcPeers::GetFramework(const server::Call& call,
                                                                  absl::string_view framework) {
  return frameworks_.Get(call, framework);
}

}  // namespace metrocap::roadmaps
