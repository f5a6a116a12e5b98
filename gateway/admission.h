#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/identity/caller.h"
#include "gateway/api_keys.h"
#include "gateway/core/metrics.h"
#include "gateway/core/rate_limiter.h"
#include "grpcpp/client_context.h"
#include "metrocap/membership/v1/membership.pb.h"

namespace metrocap::gateway {

// What every call through the gateway, REST or gRPC, passes before reaching a backend.
struct AdmissionOptions {
  // Off only for benchmarks that measure the cost of authentication itself.
  bool require_auth = true;
  std::string internal_credential;
  absl::Duration default_timeout = absl::Seconds(15);
  absl::Duration max_timeout = absl::Seconds(60);
};

struct Admitted {
  absl::Status status;  // OK, UNAUTHENTICATED, RESOURCE_EXHAUSTED or UNAVAILABLE.
  // Who is calling: set when the key was resolved (OK and RESOURCE_EXHAUSTED).
  std::shared_ptr<const ResolvedKey> key;
  absl::Duration retry_after;  // For RESOURCE_EXHAUSTED.

  // The caller's principal (empty when the key was not resolved).
  const membership::v1::Principal& principal() const {
    return key != nullptr ? key->principal : membership::v1::Principal::default_instance();
  }
};

// Authentication (API key -> principal) and the per-partner rate limit.
class Admission {
 public:
  Admission(AdmissionOptions options, ApiKeyResolver* keys, RateLimiter* limiter, Metrics* metrics);

  // Resolves the caller of `authorization` (a Bearer header or gRPC metadata value) and
  // takes a token from its partner's bucket; calls `done` once, possibly synchronously.
  void Admit(absl::string_view authorization, std::function<void(Admitted)> done);

  // Prepares a backend call: the principal and internal credential (never anything the
  // caller sent under those keys), the request id, the trace context and the deadline.
  // With authentication off (benchmarks), the caller's own `authorization` is passed on
  // instead and the backend authenticates it.
  void PrepareBackendCall(const ResolvedKey& caller, absl::string_view authorization,
                          absl::string_view request_id, absl::string_view traceparent,
                          absl::Time deadline, grpc::ClientContext* context) const;

  // The deadline for a call that arrived at `start` asking for `requested` (zero: none):
  // the default when none, never beyond the maximum.
  absl::Time Deadline(absl::Time start, absl::Duration requested) const;

  const AdmissionOptions& options() const { return options_; }

 private:
  const AdmissionOptions options_;
  const identity::IdentityConfig identity_;  // The internal credential, for backend calls.
  // Every caller's, when authentication is off.
  const std::shared_ptr<const ResolvedKey> anonymous_;
  ApiKeyResolver* const keys_;
  RateLimiter* const limiter_;
  Metrics* const metrics_;
};

// Parses a gRPC timeout header value ("100m", "5S", "2M": digits then H M S m u n).
// Returns zero for an absent or malformed value.
absl::Duration ParseGrpcTimeout(absl::string_view value);

// Parses X-Request-Timeout: a Go-style duration ("1.5s", "250ms") or bare seconds ("2").
// Returns zero for an absent or malformed value.
absl::Duration ParseRequestTimeout(absl::string_view value);

// The caller's request id when it is a sane token (1-128 of [A-Za-z0-9._:-]), else a new
// random UUID v4.
std::string RequestIdOrNew(absl::string_view offered);

// The W3C traceparent when it is well-formed, else "" (a malformed one is not propagated).
std::string ValidTraceparent(absl::string_view offered);

}  // namespace metrocap::gateway
