#pragma once

#include <memory>

#include "absl/time/time.h"
#include "common/cache/lookup_cache.h"
#include "common/identity/caller.h"
#include "common/resource/peer.h"
#include "grpcpp/channel.h"
#include "metrocap/membership/v1/membership.pb.h"
#include "metrocap/roadmaps/v1/roadmaps.pb.h"

namespace metrocap::hubs {

// What hubs reads from the services it depends on, on behalf of a call, through the shared
// caches that their owners invalidate after their writes: organisations (membership,
// cache::kOrganisationsCache), plans and taxonomies (roadmaps, cache::kPlansCache and
// cache::kTaxonomiesCache). Refusals follow resource::PeerStatus: NOT_FOUND when the peer
// has no such resource, UNAVAILABLE when it cannot answer.
struct Peers {
  // `cache` must outlive this. `timeout` bounds each call to a peer.
  Peers(std::shared_ptr<grpc::ChannelInterface> membership,
        std::shared_ptr<grpc::ChannelInterface> roadmaps, identity::IdentityConfig identity,
        absl::Duration timeout, cache::CacheClient* cache);

  resource::PeerResource<membership::v1::Organisation> organisations;
  resource::PeerResource<roadmaps::v1::Plan> plans;
  resource::PeerResource<roadmaps::v1::Taxonomy> taxonomies;
};

}  // namespace metrocap::hubs
