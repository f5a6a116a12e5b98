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

// Which request lines are written. A call that failed or took at least `slow_call` is
// always written; of the others, one in `success_sample` (1: every one).
struct AccessLogPolicy {
  int success_sample = 1;
  absl::Duration slow_call = absl::Seconds(1);
};
// Replaces the process's policy (the default is AccessLogPolicy{}). main() calls it once,
// from the component's config, before serving.
void SetAccessLogPolicy(const AccessLogPolicy& policy);

// Request lines are buffered in memory, not written one system call each: the buffer goes
// to stderr when it holds 64 KiB, every 200 ms (a background thread), before any event line
// (so lines keep their order), on Flush() and at exit.
void Request(const RequestLine& line);

// An event line: {"time":..,"level":..,"component":..,"message":.., <fields>}. Written at
// once, after whatever request lines are buffered.
void Event(absl::string_view level, absl::string_view component, absl::string_view message,
           const std::vector<std::pair<std::string, std::string>>& fields = {});

// Writes the buffered request lines now. Called when a server has drained, and at exit.
void Flush();

}  // namespace metrocap::log
