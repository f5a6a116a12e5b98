#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"
#include "metrocap/membership/v1/membership.pb.h"

namespace metrocap::identity {

// Metadata keys. The gateway (and services calling each other) send the caller's principal
// with the internal credential; services trust the principal only with that credential.
inline constexpr char kPrincipalKey[] = "x-metrocap-principal-bin";
inline constexpr char kCredentialKey[] = "x-metrocap-internal-credential";
inline constexpr char kRequestIdKey[] = "x-request-id";
inline constexpr char kTraceparentKey[] = "traceparent";

using Role = membership::v1::Partner::Role;

// Who is calling, as the services see it.
struct Caller {
  std::string principal;  // a Partner name, "admin" for the bootstrap token, or "internal"
  Role role = membership::v1::Partner::ROLE_UNSPECIFIED;
  std::vector<std::string> grants;

  bool IsAdmin() const { return role == membership::v1::Partner::ADMIN; }
  // ADMIN, or a PARTNER granted `organisation`.
  bool MayWriteFor(absl::string_view organisation) const;
  // Any authenticated role may read network data.
  bool MayRead() const { return role != membership::v1::Partner::ROLE_UNSPECIFIED; }
};

struct IdentityConfig {
  std::string internal_credential;  // empty: no internal caller is trusted
  std::string admin_token;          // empty: no bootstrap admin
};

// Reads the caller from request metadata: a principal with the internal credential, the
// internal credential alone (an internal ADMIN caller), or `authorization: Bearer <admin
// token>`. UNAUTHENTICATED otherwise, or for a malformed principal.
absl::StatusOr<Caller> CallerFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
    const IdentityConfig& config);

// Adds the caller's identity and the internal credential to an outgoing call.
void AttachIdentity(const Caller& caller, const IdentityConfig& config,
                    grpc::ClientContext* context);

// The principal metadata value AttachIdentity sends for `caller`: for a caller that sends
// the same identity on many calls (the gateway, once per cached API key), rendered once.
std::string PrincipalHeader(const Caller& caller);
// AttachIdentity with the principal already rendered by PrincipalHeader.
void AttachIdentity(absl::string_view principal_header, const IdentityConfig& config,
                    grpc::ClientContext* context);

// The value of `key` in gRPC metadata (the first, if it is repeated), or "" when absent.
// The one lookup every reader of request metadata uses.
absl::string_view MetadataValue(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                                absl::string_view key);

// Constant-time comparison of secrets.
bool SecretsEqual(absl::string_view a, absl::string_view b);

}  // namespace metrocap::identity
