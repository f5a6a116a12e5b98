#include "common/log/log.h"

#include <cstdio>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/errors.h"

namespace metrocap::log {
namespace {

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

std::string JsonQuote(absl::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

void Request(const RequestLine& line) {
  WriteLine(absl::StrCat(
      "{\"time\":", JsonQuote(Now()), ",\"component\":", JsonQuote(line.component),
      ",\"method\":", JsonQuote(line.method), ",\"requestId\":", JsonQuote(line.request_id),
      ",\"caller\":", JsonQuote(line.caller), ",\"status\":", JsonQuote(CodeName(line.code)),
      ",\"latencyMs\":", absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(line.latency)), "}"));
}

void Event(absl::string_view level, absl::string_view component, absl::string_view message,
           const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out =
      absl::StrCat("{\"time\":", JsonQuote(Now()), ",\"level\":", JsonQuote(level),
                   ",\"component\":", JsonQuote(component), ",\"message\":", JsonQuote(message));
  for (const auto& [key, value] : fields)
    absl::StrAppend(&out, ",", JsonQuote(key), ":", JsonQuote(value));
  out += "}";
  WriteLine(out);
}

}  // namespace metrocap::log
