#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/cache/lookup_cache.h"
#include "common/identity/caller.h"
#include "common/resource/peer.h"
#include "common/server/call.h"
#include "metrocap/assessment/v1/assessment.grpc.pb.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"

namespace metrocap::roadmaps {

// What roadmaps asks the services it depends on (membership, assessment), on behalf of a
// call. Both refusals follow resource::PeerStatus: NOT_FOUND (ORGANISATION_NOT_FOUND,
// FRAMEWORK_NOT_FOUND) when the peer says there is no such resource, UNAVAILABLE
// (MEMBERSHIP_UNAVAILABLE, ASSESSMENT_UNAVAILABLE) when it cannot answer.
class Peers {
 public:
  virtual ~Peers() = default;
  // OK when `organisation` ("organisations/x") exists in membership.
  virtual absl::Status CheckOrganisation(const server::Call& call,
                                         absl::string_view organisation) = 0;
  // The framework `framework` ("frameworks/x") as assessment holds it.
  virtual absl::StatusOr<assessment::v1::Framework> GetFramework(const server::Call& call,
                                                                 absl::string_view framework) = 0;
};

struct PeerOptions {
  // Deadline of each call to a peer (shortened to the caller's own deadline).
  absl::Duration timeout = absl::Seconds(2);
};

// Asks MembershipService.GetOrganisation and AssessmentService.GetFramework over gRPC,
// through the shared caches (cache::kOrganisationsCache, cache::kFrameworksCache, which
// membership and assessment invalidate after their writes).
class GrpcPeers final : public Peers {
 public:
  // The caches must outlive this.
  GrpcPeers(std::shared_ptr<grpc::ChannelInterface> membership,
            std::shared_ptr<grpc::ChannelInterface> assessment, identity::IdentityConfig identity,
            PeerOptions options, cache::CacheClient* cache);

  absl::Status CheckOrganisation(const server::Call& call, absl::string_view organisation) override;
  absl::StatusOr<assessment::v1::Framework> GetFramework(const server::Call& call,
                                                         absl::string_view framework) override;

 private:
  std::shared_ptr<membership::v1::MembershipService::Stub> membership_;
  std::shared_ptr<assessment::v1::AssessmentService::Stub> assessment_;
  resource::PeerResource<membership::v1::Organisation> organisations_;
  resource::PeerResource<assessment::v1::Framework> frameworks_;
};

}  // namespace metrocap::roadmaps
