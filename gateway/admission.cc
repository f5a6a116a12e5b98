#include "gateway/admission.h"

#include <algorithm>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/identity/caller.h"

namespace metrocap::gateway {

Admission::Admission(AdmissionOptions options, ApiKeyResolver* keys, RateLimiter* limiter,
                     Metrics* metrics)
    : options_(std::move(options)),
      identity_{options_.internal_credential, ""},
      anonymous_(ResolvedKey::Fixed("anonymous", membership::v1::Partner::VIEWER)),
      keys_(keys),
      limiter_(limiter),
      metrics_(metrics) {}

void Admission::Admit(absl::string_view authorization, std::function<void(Admitted)> done) {
  if (!options_.require_auth) {
    Admitted admitted;
    admitted.key = anonymous_;
    done(std::move(admitted));
    return;
  }
  keys_->Resolve(
      BearerKey(authorization), [this, done = std::move(done)](ApiKeyResolver::Result resolved) {
        Admitted admitted;
        if (!resolved.ok()) {
          admitted.status = resolved.status();
          done(std::move(admitted));
          return;
        }
        admitted.key = *std::move(resolved);
        const ResolvedKey& key = *admitted.key;
        RateLimiter::Bucket* bucket = key.bucket.load(std::memory_order_acquire);
        if (bucket == nullptr) {
          // Every request with this key finds the same bucket: racing to set it
          // is harmless.
          bucket = limiter_->BucketOf(key.principal.partner());
          key.bucket.store(bucket, std::memory_order_release);
        }
        RateLimiter::Decision decision = limiter_->Acquire(bucket);
        if (!decision.allowed) {
          metrics_->CountRateLimited(key.principal.partner());
          admitted.status =
              absl::ResourceExhaustedError("rate limit exceeded for this partner; retry later");
          admitted.retry_after = decision.retry_after;
        }
        done(std::move(admitted));
      });
}

void Admission::PrepareBackendCall(const ResolvedKey& caller, absl::string_view authorization,
                                   absl::string_view request_id, absl::string_view traceparent,
                                   absl::Time deadline, grpc::ClientContext* context) const {
  if (options_.require_auth) {
    identity::AttachIdentity(caller.principal_header, identity_, context);
  } else if (!authorization.empty()) {
    context->AddMetadata("authorization", std::string(authorization));
  }
  if (!request_id.empty()) {
    context->AddMetadata(identity::kRequestIdKey, std::string(request_id));
  }
  if (!traceparent.empty()) {
    context->AddMetadata(identity::kTraceparentKey, std::string(traceparent));
  }
  context->set_deadline(absl::ToChronoTime(deadline));
}

absl::Time Admission::Deadline(absl::Time start, absl::Duration requested) const {
  if (requested <= absl::ZeroDuration()) return start + options_.default_timeout;
  return start + std::min(requested, options_.max_timeout);
}

absl::Duration ParseGrpcTimeout(absl::string_view value) {
  if (value.size() < 2 || value.size() > 9) return absl::ZeroDuration();
  int64_t amount;
  if (!absl::SimpleAtoi(value.substr(0, value.size() - 1), &amount) || amount < 0) {
    return absl::ZeroDuration();
  }
  switch (value.back()) {
    case 'H':
      return absl::Hours(amount);
    case 'M':
      return absl::Minutes(amount);
    case 'S':
      return absl::Seconds(amount);
    case 'm':
      return absl::Milliseconds(amount);
    case 'u':
      return absl::Microseconds(amount);
    case 'n':
      return absl::Nanoseconds(amount);
    default:
      return absl::ZeroDuration();
  }
}

absl::Duration ParseRequestTimeout(absl::string_view value) {
  value = absl::StripAsciiWhitespace(value);
  if (value.empty()) return absl::ZeroDuration();
  double seconds;
  if (absl::SimpleAtod(value, &seconds)) {
    return seconds > 0 && seconds < 1e6 ? absl::Seconds(seconds) : absl::ZeroDuration();
  }
  absl::Duration duration;
  if (absl::ParseDuration(value, &duration) && duration > absl::ZeroDuration()) return duration;
  return absl::ZeroDuration();
}

std::string RequestIdOrNew(absl::string_view offered) {
  bool sane = !offered.empty() && offered.size() <= 128 &&
              std::all_of(offered.begin(), offered.end(), [](char c) {
                return absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
              });
  if (sane) return std::string(offered);
  thread_local absl::BitGen bits;
  uint64_t hi = absl::Uniform<uint64_t>(bits), lo = absl::Uniform<uint64_t>(bits);
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  // 8-4-4-4-12 lowercase hex digits, written by hand: StrFormat cost ~0.4 us a request.
  std::string id(36, '-');
  auto put = [&id](size_t at, uint64_t word, int digits) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; --i, word >>= 4) id[at + i] = kHex[word & 0xf];
  };
  put(0, hi >> 32, 8);
  put(9, hi >> 16, 4);
  put(14, hi, 4);
  put(19, lo >> 48, 4);
  put(24, lo, 12);
  return id;
}

std::string ValidTraceparent(absl::string_view offered) {
  // version(2)-trace-id(32)-parent-id(16)-flags(2), lower-case hex.
  if (offered.size() != 55 || offered[2] != '-' || offered[35] != '-' || offered[52] != '-') {
    return "";
  }
  for (size_t i = 0; i < offered.size(); ++i) {
    if (i == 2 || i == 35 || i == 52) continue;
    char c = offered[i];
    if (!(absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f'))) return "";
  }
  return std::string(offered);
}

}  // namespace metrocap::gateway
