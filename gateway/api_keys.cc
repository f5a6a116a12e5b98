#include "gateway/api_keys.h"

#include <array>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "common/cache/lookup_cache.h"
#include "common/cache/names.h"
#include "common/identity/caller.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "openssl/evp.h"
#include "openssl/sha.h"

namespace metrocap::gateway {
namespace {

// The key's name in the shared api-keys cache, the lowercase hex SHA-256 of the whole key
// (common/cache/names.h): membership invalidates exactly this name. Written into `hex`
// rather than a new string (a cache hit then allocates nothing), with SHA-256 fetched from
// OpenSSL once: SHA256() fetches it again on every call, most of its cost for a short key.
using DigestHex = std::array<char, 2 * SHA256_DIGEST_LENGTH>;
void Digest(absl::string_view key, DigestHex* hex) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char out[SHA256_DIGEST_LENGTH];
  unsigned int size = 0;
  EVP_Digest(key.data(), key.size(), out, &size, sha256, nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < sizeof(out); ++i) {
    (*hex)[2 * i] = kHex[out[i] >> 4];
    (*hex)[2 * i + 1] = kHex[out[i] & 0xf];
  }
}

}  // namespace

ResolvedKey::ResolvedKey(membership::v1::Principal principal)
    : principal(std::move(principal)),
      principal_header(identity::PrincipalHeader(
          {this->principal.partner(),
           this->principal.role(),
           {this->principal.grants().begin(), this->principal.grants().end()}})) {}

std::shared_ptr<const ResolvedKey> ResolvedKey::Fixed(absl::string_view partner,
                                                      membership::v1::Partner::Role role) {
  membership::v1::Principal principal;
  principal.set_partner(std::string(partner));
  principal.set_role(role);
  return std::make_shared<const ResolvedKey>(std::move(principal));
}

absl::string_view BearerKey(absl::string_view authorization) {
  authorization = absl::StripAsciiWhitespace(authorization);
  if (authorization.size() < 7 || !absl::EqualsIgnoreCase(authorization.substr(0, 7), "bearer ")) {
    return "";
  }
  return absl::StripAsciiWhitespace(authorization.substr(7));
}

ApiKeyResolver::ApiKeyResolver(ApiKeyConfig config, const Backends* backends, Metrics* metrics,
                               cache::CacheClient* shared_cache, std::function<absl::Time()> clock)
    : config_(std::move(config)),
      backends_(backends),
      membership_(backends->ForService("metrocap.membership.v1.MembershipService")),
      metrics_(metrics),
      clock_(std::move(clock)),
      admin_(ResolvedKey::Fixed("admin", membership::v1::Partner::ADMIN)) {
  if (shared_cache == nullptr) return;
  invalidations_ = shared_cache->Subscribe(cache::kApiKeysCache,
                                           [this](absl::string_view digest) { Forget(digest); });
  absl::MutexLock lock(&mu_);
  trusted_ = invalidations_->Trusted();
  trust_generation_ = invalidations_->TrustGeneration();
}

void ApiKeyResolver::Forget(absl::string_view digest) {
  absl::MutexLock lock(&mu_);
  cache_.erase(digest);
  // A lookup under way may have read the key before the write: let it answer the requests
  // that are waiting for it, but send later ones to membership again.
  in_flight_.erase(digest);
}

void ApiKeyResolver::CatchUp() {
  if (invalidations_ == nullptr) return;
  invalidations_->CatchUp();
  bool trusted = invalidations_->Trusted();
  int64_t generation = invalidations_->TrustGeneration();
  absl::MutexLock lock(&mu_);
  if (trusted == trusted_ && generation == trust_generation_) return;
  // Invalidations may be missed from now on, or may have been since the last look: start
  // again from membership. While Redis is away, what is kept meanwhile lives its TTL.
  cache_.clear();
  in_flight_.clear();
  trusted_ = trusted;
  trust_generation_ = generation;
}

void ApiKeyResolver::Resolve(absl::string_view key, Callback done) {
  if (key.empty() || key.size() > 512) {
    done(absl::UnauthenticatedError("send an API key: Authorization: Bearer <key>"));
    return;
  }
  if (!config_.admin_token.empty() && identity::SecretsEqual(key, config_.admin_token)) {
    done(admin_);
    return;
  }
  DigestHex hex;
  Digest(key, &hex);
  const absl::string_view digest_view(hex.data(), hex.size());
  CatchUp();
  std::optional<Result> cached;
  std::shared_ptr<Flight> flight;
  std::string digest;
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(digest_view);
    if (it != cache_.end() && it->second.expires > clock_()) {
      cached = it->second.result;
    } else {
      digest = std::string(digest_view);
      std::shared_ptr<Flight>& current = in_flight_[digest];
      if (current != nullptr) {
        current->waiters.push_back(std::move(done));
        return;  // A lookup for this key is already under way.
      }
      current = std::make_shared<Flight>();
      current->waiters.push_back(std::move(done));
      flight = current;
    }
  }
  if (cached.has_value()) {
    metrics_->CountKeyLookup("hit");
    done(*std::move(cached));
    return;
  }
  metrics_->CountKeyLookup("miss");
  if (membership_ == nullptr || membership_->stub == nullptr) {
    Complete(digest, flight, absl::UnavailableError("the membership service is not configured"));
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
      [this, call, digest, flight](grpc::Status status) {
        membership::v1::Principal principal;
        if (status.ok()) {
          grpc::ProtoBufferReader reader(&call->response);
          if (principal.ParseFromZeroCopyStream(&reader) && !principal.partner().empty()) {
            Complete(digest, flight, std::make_shared<const ResolvedKey>(std::move(principal)));
          } else {
            Complete(digest, flight,
                     absl::UnavailableError("membership answered a malformed principal"));
          }
          return;
        }
        switch (status.error_code()) {
          case grpc::StatusCode::NOT_FOUND:
          case grpc::StatusCode::UNAUTHENTICATED:
          case grpc::StatusCode::PERMISSION_DENIED:
          case grpc::StatusCode::INVALID_ARGUMENT:
            Complete(digest, flight, absl::UnauthenticatedError("the API key is not valid"));
            break;
          default:
            metrics_->CountKeyLookup("error");
            Complete(digest, flight,
                     absl::UnavailableError("cannot check the API key now; retry later"));
        }
      });
}

void ApiKeyResolver::Complete(const std::string& digest, const std::shared_ptr<Flight>& flight,
                              Result result) {
  std::vector<Callback> waiters;
  {
    absl::MutexLock lock(&mu_);
    waiters = std::move(flight->waiters);
    auto it = in_flight_.find(digest);
    // Detached by an invalidation (or a loss of trust) while membership was being asked:
    // the answer may be older than the write, so it is not remembered.
    bool current = it != in_flight_.end() && it->second == flight;
    if (current) in_flight_.erase(it);
    // Membership being down is not a verdict on the key: remember only real answers.
    if (current && (result.ok() || absl::IsUnauthenticated(result.status()))) {
      if (cache_.size() >= config_.max_entries) cache_.clear();
      absl::Duration ttl = result.ok() ? config_.cache_ttl : config_.negative_ttl;
      cache_[digest] = Entry{result, clock_() + ttl};
    }
  }
  for (auto& waiter : waiters) waiter(result);
}

}  // namespace metrocap::gateway
