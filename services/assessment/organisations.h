#pragma once

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/identity/caller.h"
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

struct MembershipDirectoryOptions {
  // Deadline of each call to membership (shortened to the caller's own deadline).
  absl::Duration timeout = absl::Seconds(2);
  // How long an "it exists" answer is reused. Short, so that a deleted organisation stops
  // being accepted soon; "not found" is never reused, so a new one is usable at once.
  absl::Duration cache_ttl = absl::Seconds(30);
};

// Asks MembershipService.GetOrganisation over gRPC, forwarding the caller's identity, the
// request id and the trace context, and remembers positive answers for a short time.
class MembershipDirectory final : public OrganisationDirectory {
 public:
  MembershipDirectory(std::shared_ptr<grpc::ChannelInterface> channel,
                      identity::IdentityConfig identity, MembershipDirectoryOptions options);

  absl::Status CheckExists(const server::Call& call, absl::string_view organisation) override;

  // Forgets every remembered answer.
  void Forget();

 private:
  bool Remembered(absl::string_view organisation);

  std::unique_ptr<membership::v1::MembershipService::Stub> stub_;
  identity::IdentityConfig identity_;
  MembershipDirectoryOptions options_;
  // Stand-in for the shared cache client (common/cache), which does not exist yet: an
  // in-process map of organisation name -> expiry of its "exists" answer.
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, absl::Time> exists_until_ ABSL_GUARDED_BY(mu_);
};

}  // namespace metrocap::assessment
