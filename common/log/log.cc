#include "common/log/log.h"

#include <cstdio>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/json/json_string.h"
#include "common/status/errors.h"

namespace metrocap::log {
namespace {

using json::Quote;

std::mutex& OutputMutex() {
  static std::mutex mu;
  return mu;
}

void WriteLine(const std::string& line) {
  std::lock_guard<std::mutex> lock(OutputMutex());
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fputc('\n', stderr);
}

std::string Now() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone());
}

}  // namespace

void Request(const RequestLine& line) {
  WriteLine(absl::StrCat(
      "{\"time\":", Quote(Now()), ",\"component\":", Quote(line.component),
      ",\"method\":", Quote(line.method), ",\"requestId\":", Quote(line.request_id),
      ",\"caller\":", Quote(line.caller), ",\"status\":", Quote(CodeName(line.code)),
      ",\"latencyMs\":", absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(line.latency)), "}"));
}

void Event(absl::string_view level, absl::string_view component, absl::string_view message,
           const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out =
      absl::StrCat("{\"time\":", Quote(Now()), ",\"level\":", Quote(level),
                   ",\"component\":", Quote(component), ",\"message\":", Quote(message));
  for (const auto& [key, value] : fields) absl::StrAppend(&out, ",", Quote(key), ":", Quote(value));
  out += "}";
  WriteLine(out);
}

}  // namespace metrocap::log
