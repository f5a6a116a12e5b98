#include "common/identity/caller.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "openssl/crypto.h"

namespace metrocap::identity {
absl::string_view MetadataValue(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                                absl::string_view key) {
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  return it == metadata.end() ? absl::string_view()
                              : absl::string_view(it->second.data(), it->second.size());
}

bool Caller::MayWriteFor(absl::string_view organisation) const {
  if (IsAdmin()) return true;
  if (role != membership::v1::Partner::PARTNER) return false;
  return std::find(grants.begin(), grants.end(), organisation) != grants.end();
}

bool SecretsEqual(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

absl::StatusOr<Caller> CallerFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
    const IdentityConfig& config) {
  absl::string_view credential = MetadataValue(metadata, kCredentialKey);
  if (!credential.empty()) {
    if (!SecretsEqual(credential, config.internal_credential)) {
      return absl::UnauthenticatedError("the internal credential is not valid");
    }
    absl::string_view principal_bytes = MetadataValue(metadata, kPrincipalKey);
    if (principal_bytes.empty()) return Caller{"internal", membership::v1::Partner::ADMIN, {}};
    membership::v1::Principal principal;
    if (!principal.ParseFromArray(principal_bytes.data(),
                                  static_cast<int>(principal_bytes.size())) ||
        principal.partner().empty() ||
        principal.role() == membership::v1::Partner::ROLE_UNSPECIFIED) {
      return absl::UnauthenticatedError("the forwarded principal is malformed");
    }
    return Caller{principal.partner(),
                  principal.role(),
                  {principal.grants().begin(), principal.grants().end()}};
  }
  absl::string_view authorization = MetadataValue(metadata, "authorization");
  if (absl::ConsumePrefix(&authorization, "Bearer ") &&
      SecretsEqual(authorization, config.admin_token)) {
    return Caller{"admin", membership::v1::Partner::ADMIN, {}};
  }
  return absl::UnauthenticatedError("the request carries no valid credentials");
}

std::string PrincipalHeader(const Caller& caller) {
  membership::v1::Principal principal;
  principal.set_partner(caller.principal);
  principal.set_role(caller.role);
  for (const std::string& grant : caller.grants) principal.add_grants(grant);
  return principal.SerializeAsString();
}

void AttachIdentity(absl::string_view principal_header, const IdentityConfig& config,
                    grpc::ClientContext* context) {
  if (config.internal_credential.empty()) return;
  context->AddMetadata(kCredentialKey, config.internal_credential);
  context->AddMetadata(kPrincipalKey, std::string(principal_header));
}

void AttachIdentity(const Caller& caller, const IdentityConfig& config,
                    grpc::ClientContext* context) {
  if (config.internal_credential.empty()) return;
  AttachIdentity(PrincipalHeader(caller), config, context);
}

}  // namespace metrocap::identity
