#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace metrocap::log {

// One handled request, written as one JSON line on stderr. Every value is written with
// json::Quote, so a line stays valid JSON whatever bytes a caller sent.
struct RequestLine {
  absl::string_view component;
  absl::string_view method;
  absl::string_view request_id;
  absl::string_view caller;
  absl::StatusCode code = absl::StatusCode::kOk;
  absl::Duration latency;
};
void Request(const RequestLine& line);

// An event line: {"time":..,"level":..,"component":..,"message":.., <fields>}.
void Event(absl::string_view level, absl::string_view component, absl::string_view message,
           const std::vector<std::pair<std::string, std::string>>& fields = {});

}  // namespace metrocap::log
