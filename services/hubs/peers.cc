#include "services/hubs/peers.h"

#include "common/cache/names.h"
#include "metrocap/assessment/v1/assessment.grpc.pb.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "metrocap/roadmaps/v1/roadmaps.grpc.pb.h"

namespace metrocap::hubs {
namespace {

// A PeerResource fetch that calls `method` of `stub` with a request naming the resource.
template <typename Stub, typename Request, typename T>
typename resource::PeerResource<T>::Fetch FetchBy(std::shared_ptr<Stub> stub,
                                                  grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                                               const Request&,
                                                                               T*)) {
  return [stub = std::move(stub), method](grpc::ClientContext* context, const std::string& name,
                                          T* out) {
    Request request;
    request.set_name(name);
    return ((*stub).*method)(context, request, out);
  };
}

}  // namespace

Peers::Peers(std::shared_ptr<grpc::ChannelInterface> membership,
             std::shared_ptr<grpc::ChannelInterface> assessment,
             std::shared_ptr<grpc::ChannelInterface> roadmaps, identity::IdentityConfig identity,
             absl::Duration timeout, cache::CacheClient* cache)
    : organisations({"membership", "organisation", identity, timeout},
                    &cache->Cache(cache::kOrganisationsCache),
                    FetchBy(std::shared_ptr<membership::v1::MembershipService::Stub>(
                                membership::v1::MembershipService::NewStub(membership)),
                            &membership::v1::MembershipService::Stub::GetOrganisation)),
      frameworks({"assessment", "framework", identity, timeout},
                 &cache->Cache(cache::kFrameworksCache),
                 FetchBy(std::shared_ptr<assessment::v1::AssessmentService::Stub>(
                             assessment::v1::AssessmentService::NewStub(assessment)),
                         &assessment::v1::AssessmentService::Stub::GetFramework)),
      plans({"roadmaps", "plan", identity, timeout}, &cache->Cache(cache::kPlansCache),
            FetchBy(std::shared_ptr<roadmaps::v1::RoadmapService::Stub>(
                        roadmaps::v1::RoadmapService::NewStub(roadmaps)),
                    &roadmaps::v1::RoadmapService::Stub::GetPlan)),
      taxonomies({"roadmaps", "taxonomy", identity, timeout},
                 &cache->Cache(cache::kTaxonomiesCache),
                 FetchBy(std::shared_ptr<roadmaps::v1::RoadmapService::Stub>(
                             roadmaps::v1::RoadmapService::NewStub(roadmaps)),
                         &roadmaps::v1::RoadmapService::Stub::GetTaxonomy)),
      roadmaps({"roadmaps", "roadmap", identity, timeout}, &cache->Cache(cache::kRoadmapsCache),
               FetchBy(std::shared_ptr<roadmaps::v1::RoadmapService::Stub>(
                           roadmaps::v1::RoadmapService::NewStub(roadmaps)),
                       &roadmaps::v1::RoadmapService::Stub::GetRoadmap)) {}

}  // namespace metrocap::hubs
