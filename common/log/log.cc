#include "common/log/log.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/json/json_string.h"
#include "common/status/errors.h"

namespace metrocap::log {
namespace {

using json::Quote;

constexpr size_t kFlushBytes = 64 << 10;
constexpr absl::Duration kFlushInterval = absl::Milliseconds(200);

// The process's one writer: request lines collect in `buffer_` and reach stderr in large
// writes. Never destroyed, so that threads still logging while the process exits (and the
// atexit flush) find it intact.
class Writer {
 public:
  static Writer& Get() {
    static Writer* writer = [] {
      auto* w = new Writer();
      std::atexit([] { Writer::Get().Flush(); });
      std::thread([w] { w->FlushPeriodically(); }).detach();
      return w;
    }();
    return *writer;
  }

  void SetPolicy(const AccessLogPolicy& policy) {
    success_sample_ = std::max(1, policy.success_sample);
    slow_call_nanos_ = absl::ToInt64Nanoseconds(policy.slow_call);
  }

  // Whether a request line is to be written at all, decided before it is formatted and
  // without a lock: every handler thread asks.
  bool Keep(absl::StatusCode code, absl::Duration latency) {
    if (code != absl::StatusCode::kOk) return true;
    if (absl::ToInt64Nanoseconds(latency) >= slow_call_nanos_.load(std::memory_order_relaxed)) {
      return true;
    }
    int sample = success_sample_.load(std::memory_order_relaxed);
    return sample == 1 || successes_.fetch_add(1, std::memory_order_relaxed) % sample == 0;
  }

  void Buffer(absl::string_view line) {
    absl::MutexLock lock(&mu_);
    absl::StrAppend(&buffer_, line, "\n");
    if (buffer_.size() >= kFlushBytes) WriteBufferLocked();
  }

  void WriteNow(absl::string_view line) {
    absl::MutexLock lock(&mu_);
    absl::StrAppend(&buffer_, line, "\n");
    WriteBufferLocked();
  }

  void Flush() {
    absl::MutexLock lock(&mu_);
    WriteBufferLocked();
  }

 private:
  Writer() = default;

  void WriteBufferLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (buffer_.empty()) return;
    std::fwrite(buffer_.data(), 1, buffer_.size(), stderr);
    std::fflush(stderr);
    buffer_.clear();
  }

  void FlushPeriodically() {
    for (;;) {
      absl::SleepFor(kFlushInterval);
      Flush();
    }
  }

  absl::Mutex mu_;
  std::string buffer_ ABSL_GUARDED_BY(mu_);
  std::atomic<int> success_sample_{AccessLogPolicy{}.success_sample};
  std::atomic<int64_t> slow_call_nanos_{absl::ToInt64Nanoseconds(AccessLogPolicy{}.slow_call)};
  std::atomic<uint64_t> successes_{0};
};

// Appends "2026-12-07T21:05:40.123456Z", quoted. absl::FormatTime is the costly part of a
// line, so the seconds are formatted once per second per thread and the microseconds appended.
void AppendNow(std::string* out) {
  thread_local int64_t cached_second = -1;
  thread_local std::string cached_prefix;
  absl::Time now = absl::Now();
  int64_t micros = absl::ToUnixMicros(now);
  if (micros < 0) {
    absl::StrAppend(out, "\"", absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", now, absl::UTCTimeZone()),
                    "\"");
    return;
  }
  if (micros / 1000000 != cached_second) {
    cached_second = micros / 1000000;
    cached_prefix = absl::FormatTime("\"%Y-%m-%dT%H:%M:%S.", now, absl::UTCTimeZone());
  }
  absl::StrAppend(out, cached_prefix, absl::Dec(micros % 1000000, absl::kZeroPad6), "Z\"");
}

}  // namespace

void SetAccessLogPolicy(const AccessLogPolicy& policy) { Writer::Get().SetPolicy(policy); }

void Request(const RequestLine& line) {
  Writer& writer = Writer::Get();
  if (!writer.Keep(line.code, line.latency)) return;
  // One string per thread, reused: a line costs no allocation once it has grown.
  thread_local std::string out;
  out.assign("{\"time\":");
  AppendNow(&out);
  out.append(",\"component\":");
  json::AppendQuoted(&out, line.component);
  out.append(",\"method\":");
  json::AppendQuoted(&out, line.method);
  out.append(",\"requestId\":");
  json::AppendQuoted(&out, line.request_id);
  out.append(",\"caller\":");
  json::AppendQuoted(&out, line.caller);
  out.append(",\"status\":");
  json::AppendQuoted(&out, CodeName(line.code));
  int64_t micros = std::max<int64_t>(0, absl::ToInt64Microseconds(line.latency));
  absl::StrAppend(&out, ",\"latencyMs\":", micros / 1000, ".",
                  absl::Dec(micros % 1000, absl::kZeroPad3), "}");
  writer.Buffer(out);
}

void Event(absl::string_view level, absl::string_view component, absl::string_view message,
           const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out = "{\"time\":";
  AppendNow(&out);
  absl::StrAppend(&out, ",\"level\":", Quote(level), ",\"component\":", Quote(component),
                  ",\"message\":", Quote(message));
  for (const auto& [key, value] : fields) absl::StrAppend(&out, ",", Quote(key), ":", Quote(value));
  out += "}";
  Writer::Get().WriteNow(out);
}

void Flush() { Writer::Get().Flush(); }

}  // namespace metrocap::log
