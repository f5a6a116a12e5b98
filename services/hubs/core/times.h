#pragma once

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace metrocap::hubs {

// Conversions between absl::Time and protobuf Timestamps at the store's precision
// (microseconds), through protobuf's own TimeUtil.
inline google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

inline absl::Time ToTime(const google::protobuf::Timestamp& time) {
  return absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(time));
}

}  // namespace metrocap::hubs
