#pragma once

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/cache/lookup_cache.h"
#include "common/identity/caller.h"
#include "common/resource/peer.h"
#include "common/status/errors.h"
#include "grpcpp/channel.h"
#include "metrocap/assessment/v1/assessment.pb.h"
#include "metrocap/membership/v1/membership.pb.h"
#include "metrocap/roadmaps/v1/roadmaps.pb.h"

namespace metrocap::hubs {

// What hubs reads from the services it depends on, on behalf of a call, through the shared
// caches that their owners invalidate after their writes: organisations (membership,
// cache::kOrganisationsCache), frameworks (assessment, cache::kFrameworksCache), plans,
// taxonomies and roadmaps (roadmaps, cache::kPlansCache, kTaxonomiesCache and
// kRoadmapsCache). Refusals follow resource::PeerStatus: NOT_FOUND when the peer has no
// such resource, UNAVAILABLE when it cannot answer.
struct Peers {
  // `cache` must outlive this. `timeout` bounds each call to a peer.
  Peers(std::shared_ptr<grpc::ChannelInterface> membership,
        std::shared_ptr<grpc::ChannelInterface> assessment,
        std::shared_ptr<grpc::ChannelInterface> roadmaps, identity::IdentityConfig identity,
        absl::Duration timeout, cache::CacheClient* cache);

  resource::PeerResource<membership::v1::Organisation> organisations;
  resource::PeerResource<assessment::v1::Framework> frameworks;
  resource::PeerResource<roadmaps::v1::Plan> plans;
  resource::PeerResource<roadmaps::v1::Taxonomy> taxonomies;
  resource::PeerResource<roadmaps::v1::Roadmap> roadmaps;
};

// INVALID_ARGUMENT naming `field` when `peer` does not have `name`, with the peer's words
// ("organisations/x is not an organisation in membership"); any other refusal
// (UNAVAILABLE) as it is. Asks through the peer's cache.
template <typename T>
absl::Status CheckOne(const server::Call& call, resource::PeerResource<T>& peer,
                      absl::string_view field, absl::string_view name) {
  absl::Status found = peer.Get(call, name).status();
  return absl::IsNotFound(found) ? InvalidField(field, found.message()) : found;
}

// INVALID_ARGUMENT naming `field[i]` for each of `names` that `peer` does not have, with
// the peer's words ("organisations/x is not an organisation in membership"); the first
// other refusal (UNAVAILABLE) as it is. Asks for each name through the peer's cache.
template <typename T>
absl::Status CheckEach(const server::Call& call, resource::PeerResource<T>& peer,
                       absl::string_view field,
                       const google::protobuf::RepeatedPtrField<std::string>& names) {
  std::vector<FieldViolation> unknown;
  for (int i = 0; i < names.size(); ++i) {
    absl::StatusOr<T> found = peer.Get(call, names[i]);
    if (absl::IsNotFound(found.status())) {
      unknown.push_back({absl::StrCat(field, "[", i, "]"), std::string(found.status().message())});
    } else if (!found.ok()) {
      return found.status();
    }
  }
  return unknown.empty() ? absl::OkStatus() : InvalidFields(unknown);
}

}  // namespace metrocap::hubs
