#include "gateway/api_keys.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/identity/caller.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "openssl/sha.h"

namespace metrocap::gateway {
namespace {

std::string Digest(absl::string_view key) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof(out));
}

}  // namespace

absl::string_view BearerKey(absl::string_view authorization) {
  authorization = absl::StripAsciiWhitespace(authorization);
  if (authorization.size() < 7 || !absl::EqualsIgnoreCase(authorization.substr(0, 7), "bearer ")) {
    return "";
  }
  return absl::StripAsciiWhitespace(authorization.substr(7));
}

ApiKeyResolver::ApiKeyResolver(ApiKeyConfig config, const Backends* backends, Metrics* metrics,
                               std::function<absl::Time()> clock)
    : config_(std::move(config)),
      backends_(backends),
      membership_(backends->ForService("metrocap.membership.v1.MembershipService")),
      metrics_(metrics),
      clock_(std::move(clock)) {}

void ApiKeyResolver::Resolve(absl::string_view key, Callback done) {
  if (key.empty() || key.size() > 512) {
    done(absl::UnauthenticatedError("send an API key: Authorization: Bearer <key>"));
    return;
  }
  if (!config_.admin_token.empty() && identity::SecretsEqual(key, config_.admin_token)) {
    membership::v1::Principal admin;
    admin.set_partner("admin");
    admin.set_role(membership::v1::ADMIN);
    done(admin);
    return;
  }
  std::string digest = Digest(key);
  std::optional<absl::StatusOr<membership::v1::Principal>> cached;
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(digest);
    if (it != cache_.end() && it->second.expires > clock_()) {
      cached = it->second.result;
    } else {
      auto& waiters = in_flight_[digest];
      waiters.push_back(std::move(done));
      if (waiters.size() > 1) return;  // A lookup for this key is already under way.
    }
  }
  if (cached.has_value()) {
    metrics_->CountKeyLookup("hit");
    done(*std::move(cached));
    return;
  }
  metrics_->CountKeyLookup("miss");
  if (membership_ == nullptr || membership_->stub == nullptr) {
    Complete(digest, absl::UnavailableError("the membership service is not configured"));
    return;
  }
  struct Call {
    grpc::ClientContext context;
    grpc::ByteBuffer request, response;
    std::shared_ptr<void> hold;
  };
  auto call = std::make_shared<Call>();
  call->hold = backends_->Hold();
  call->context.set_deadline(absl::ToChronoTime(absl::Now() + config_.lookup_timeout));
  call->context.AddMetadata(identity::kCredentialKey, config_.internal_credential);
  membership::v1::LookupApiKeyRequest request;
  request.set_secret(std::string(key));
  bool own;
  grpc::SerializationTraits<membership::v1::LookupApiKeyRequest>::Serialize(request, &call->request,
                                                                            &own);
  static const std::string kLookup = "/metrocap.membership.v1.MembershipService/LookupApiKey";
  membership_->stub->UnaryCall(
      &call->context, kLookup, grpc::StubOptions(), &call->request, &call->response,
      [this, call, digest](grpc::Status status) {
        membership::v1::Principal principal;
        if (status.ok()) {
          grpc::ProtoBufferReader reader(&call->response);
          if (principal.ParseFromZeroCopyStream(&reader) && !principal.partner().empty()) {
            Complete(digest, principal);
          } else {
            Complete(digest, absl::UnavailableError("membership answered a malformed principal"));
          }
          return;
        }
        switch (status.error_code()) {
          case grpc::StatusCode::NOT_FOUND:
          case grpc::StatusCode::UNAUTHENTICATED:
          case grpc::StatusCode::PERMISSION_DENIED:
          case grpc::StatusCode::INVALID_ARGUMENT:
            Complete(digest, absl::UnauthenticatedError("the API key is not valid"));
            break;
          default:
            metrics_->CountKeyLookup("error");
            Complete(digest, absl::UnavailableError("cannot check the API key now; retry later"));
        }
      });
}

void ApiKeyResolver::Complete(const std::string& digest,
                              absl::StatusOr<membership::v1::Principal> result) {
  std::vector<Callback> waiters;
  {
    absl::MutexLock lock(&mu_);
    auto it = in_flight_.find(digest);
    if (it != in_flight_.end()) {
      waiters = std::move(it->second);
      in_flight_.erase(it);
    }
    // Membership being down is not a verdict on the key: remember only real answers.
    if (result.ok() || absl::IsUnauthenticated(result.status())) {
      if (cache_.size() >= config_.max_entries) cache_.clear();
      absl::Duration ttl = result.ok() ? config_.cache_ttl : config_.negative_ttl;
      cache_[digest] = Entry{result, clock_() + ttl};
    }
  }
  for (auto& waiter : waiters) waiter(result);
}

}  // namespace metrocap::gateway
