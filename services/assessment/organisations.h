#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/cache/lookup_cache.h"
#include "common/cache/names.h"
#include "common/identity/caller.h"
#include "common/resource/peer.h"
#include "common/server/call.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"

namespace metrocap::assessment {

// Answers whether an organisation exists, on behalf of a call.
class OrganisationDirectory {
 public:
  virtual ~OrganisationDirectory() = default;
  // OK when `organisation` ("organisations/x") exists. NOT_FOUND (reason
  // ORGANISATION_NOT_FOUND) when it does not; UNAVAILABLE (reason MEMBERSHIP_UNAVAILABLE),
  // naming membership, when the answer cannot be had.
  virtual absl::Status CheckExists(const server::Call& call, absl::string_view organisation) = 0;
};

// The shared-lookup cache the answers go through: organisations keyed by resource name,
// values the serialized membership.v1.Organisation. Membership invalidates these keys
// after its writes.
using cache::kOrganisationsCache;  // common/cache/names.h

struct MembershipDirectoryOptions {
  // Deadline of each call to membership (shortened to the caller's own deadline).
  absl::Duration timeout = absl::Seconds(2);
};

// Asks MembershipService.GetOrganisation over gRPC through the shared cache, as every peer
// lookup does (resource::PeerResource: the caller's identity, request id and trace context
// forwarded; only organisations that exist are cached, so a new one is usable at once).
class MembershipDirectory final : public OrganisationDirectory {
 public:
  // `cache` (usually client.Cache(kOrganisationsCache)) must outlive the directory.
  MembershipDirectory(std::shared_ptr<grpc::ChannelInterface> channel,
                      identity::IdentityConfig identity, MembershipDirectoryOptions options,
                      cache::LookupCache* cache);

  absl::Status CheckExists(const server::Call& call, absl::string_view organisation) override;

  // Drops what is cached for `organisation` (everywhere, as after a membership write).
  void Forget(absl::string_view organisation);

 private:
  resource::PeerResource<membership::v1::Organisation> organisations_;
};

}  // namespace metrocap::assessment
