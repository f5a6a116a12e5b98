#include "services/hubs/core/delivery.h"

#include <openssl/sha.h>

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/resource/names.h"
#include "common/status/errors.h"
#include "services/hubs/core/times.h"

namespace metrocap::hubs {
absl::Duration BackoffAfter(int attempts, const Backoff& backoff) {
  absl::Duration wait = backoff.initial;
  for (int i = 1; i < attempts && wait < backoff.max; ++i) wait *= 2;
  return std::min(wait, backoff.max);
}

absl::Status Publish(v1::Insight& insight, absl::Time now, bool* changed) {
  *changed = false;
  if (insight.state() == v1::Insight::PUBLISHED) return absl::OkStatus();
  if (insight.target_roadmaps().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(insight.name(), " has no target roadmap; add targetRoadmaps to publish it"));
  }
  insight.set_state(v1::Insight::PUBLISHED);
  *insight.mutable_publish_time() = ToTimestamp(now);
  insight.clear_deliveries();
  for (const std::string& roadmap : insight.target_roadmaps()) {
    v1::Delivery* delivery = insight.add_deliveries();
    delivery->set_roadmap(roadmap);
    delivery->set_state(v1::Delivery::PENDING);
    *delivery->mutable_next_attempt_time() = ToTimestamp(now);
  }
  RefreshNextDeliveryTime(insight);
  *changed = true;
  return absl::OkStatus();
}

void RefreshNextDeliveryTime(v1::Insight& insight) {
  const google::protobuf::Timestamp* earliest = nullptr;
  for (const v1::Delivery& delivery : insight.deliveries()) {
    if (delivery.state() != v1::Delivery::PENDING) continue;
    if (earliest == nullptr || ToTime(delivery.next_attempt_time()) < ToTime(*earliest)) {
      earliest = &delivery.next_attempt_time();
    }
  }
  if (earliest == nullptr) {
    insight.clear_next_delivery_time();
  } else {
    *insight.mutable_next_delivery_time() = *earliest;
  }
}

bool IsDue(const v1::Delivery& delivery, absl::Time now) {
  return delivery.state() == v1::Delivery::PENDING && ToTime(delivery.next_attempt_time()) <= now;
}

void RecordDelivered(v1::Delivery& delivery, absl::string_view proposal, absl::Time now) {
  delivery.set_state(v1::Delivery::DELIVERED);
  delivery.set_proposal(std::string(proposal));
  delivery.set_attempts(delivery.attempts() + 1);
  *delivery.mutable_deliver_time() = ToTimestamp(now);
  delivery.clear_next_attempt_time();
}

void RecordFailure(v1::Delivery& delivery, const absl::Status& error, absl::Time now,
                   const Backoff& backoff) {
  delivery.set_attempts(delivery.attempts() + 1);
  delivery.set_last_error(absl::StrCat(CodeName(error.code()), ": ", error.message()));
  if (IsRetryable(error.code())) {
    *delivery.mutable_next_attempt_time() =
        ToTimestamp(now + BackoffAfter(delivery.attempts(), backoff));
    return;
  }
  delivery.set_state(v1::Delivery::FAILED);
  delivery.clear_next_attempt_time();
}

bool IsRetryable(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnauthenticated:
      return true;
    default:
      return false;
  }
}

std::string DeliveryRequestId(absl::string_view insight, absl::string_view roadmap) {
  // The two names joined by a byte no name contains, so ("a", "bc") and ("ab", "c") differ.
  const std::string input = absl::StrCat(insight, "\n", roadmap);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x80);  // version 8
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);  // RFC 9562 variant
  std::string hex;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) hex += '-';
    absl::StrAppendFormat(&hex, "%02x", digest[i]);
  }
  return hex;
}

std::string ProposalId(absl::string_view insight) {
  std::vector<absl::string_view> parts = absl::StrSplit(insight, '/');
  if (parts.size() != 4) return resource::DeriveId(insight);
  return resource::DeriveId(absl::StrCat(parts[1], "-", parts[3]));
}

}  // namespace metrocap::hubs
