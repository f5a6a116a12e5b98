#pragma once

#include <functional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/cache/lookup_cache.h"
#include "common/identity/caller.h"
#include "common/server/call.h"
#include "grpcpp/client_context.h"

// A peer service's resource, looked up on behalf of a call through the shared cache: how
// assessment confirms an organisation with membership, how roadmaps reads frameworks from
// assessment. One implementation, so every service answers the same way when the peer says
// "no" and when it cannot answer.
namespace metrocap::resource {

struct PeerConfig {
  std::string peer;                   // the service asked, "membership": named in UNAVAILABLE
  std::string noun;                   // what is looked up, "organisation": named in both refusals
  identity::IdentityConfig identity;  // this service's internal credential
  // Deadline of each call to the peer (shortened to the caller's own deadline).
  absl::Duration timeout = absl::Seconds(2);
};

// The status for the peer's answer `status` about `name` (OK stays OK):
//   NOT_FOUND, reason <NOUN>_NOT_FOUND: "organisations/x is not an organisation in membership";
//   PERMISSION_DENIED as the peer said it (the caller may not read it);
//   UNAVAILABLE, reason <PEER>_UNAVAILABLE: "membership cannot confirm the organisation: ..."
//   for everything else: no answer in time, the peer refused this service's credential
//   (a deployment error), or failed.
// Both reasons are built from `noun` and `peer`, so the error catalogue's source scan cannot
// see them: add each new pair to common/status/reasons.cc by hand.
absl::Status PeerStatus(const PeerConfig& config, absl::string_view name,
                        const grpc::Status& status);

// Looks up resources of type T in a peer, cache-aside through `cache` (the in-process
// layer, then Redis, then the peer; concurrent misses for one name share one call). The
// call carries the caller's identity, request id and trace context (server::Call::Propagate).
// Only resources found are cached: "not found" and failures are not, so a new resource is
// usable at once; the peer invalidates the name after its writes.
template <typename T>
class PeerResource {
 public:
  // Asks the peer's Get method for `name`, e.g.
  //   [stub](grpc::ClientContext* c, const std::string& name, Organisation* out) {
  //     GetOrganisationRequest request; request.set_name(name);
  //     return stub->GetOrganisation(c, request, out); }
  using Fetch = std::function<grpc::Status(grpc::ClientContext*, const std::string& name, T*)>;

  // `cache` (usually client.Cache(cache::kOrganisationsCache)) must outlive this.
  PeerResource(PeerConfig config, cache::LookupCache* cache, Fetch fetch)
      : config_(std::move(config)), cache_(cache), fetch_(std::move(fetch)) {}

  // The resource `name`, or the PeerStatus refusal.
  absl::StatusOr<T> Get(const server::Call& call, absl::string_view name) {
    return cache::GetOrLoadMessage<T>(*cache_, name, [&]() -> absl::StatusOr<T> {
      grpc::ClientContext context;
      call.Propagate(config_.identity, &context, config_.timeout);
      T answer;
      grpc::Status status = fetch_(&context, std::string(name), &answer);
      if (!status.ok()) return PeerStatus(config_, name, status);
      return answer;
    });
  }

  // Drops what is cached for `name` everywhere (as the peer does after its writes).
  void Forget(absl::string_view name) { cache_->Invalidate(name); }

 private:
  PeerConfig config_;
  cache::LookupCache* cache_;
  Fetch fetch_;
};

}  // namespace metrocap::resource
