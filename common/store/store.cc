#include "common/store/store.h"

#include <algorithm>
#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/errors.h"
#include "common/store/conflict.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"

namespace metrocap::store {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

void SetTimestamp(const Message& message, const FieldDescriptor* field, absl::Time time,
                  Message* out) {
  google::protobuf::Timestamp ts;
  int64_t micros = absl::ToUnixMicros(time);
  ts.set_seconds(micros / 1000000);
  ts.set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
  out->GetReflection()->MutableMessage(out, field)->CopyFrom(ts);
}

// Attempts before RunInTransaction gives up on a transaction that keeps losing conflicts.
constexpr int kAttempts = 8;
// Backoff before attempt n+1 is uniform in [0, min(kBackoffCap, kBackoffBase * 2^n)) ("full
// jitter"): transactions that just collided do not collide again in step, and a hot row
// does not make every loser wait the same long time.
constexpr absl::Duration kBackoffBase = absl::Milliseconds(2);
constexpr absl::Duration kBackoffCap = absl::Milliseconds(100);

absl::Duration Backoff(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  absl::Duration ceiling = std::min(kBackoffCap, kBackoffBase * (int64_t{1} << attempt));
  std::uniform_int_distribution<int64_t> micros(0, absl::ToInt64Microseconds(ceiling));
  return absl::Microseconds(micros(random));
}

}  // namespace

absl::Status Store::RunInTransaction(const std::function<absl::Status(Transaction&)>& work) {
  absl::Status status;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) absl::SleepFor(Backoff(attempt - 1));
    absl::StatusOr<std::unique_ptr<Transaction>> tx = Begin(Access::kReadWrite);
    if (!tx.ok()) return tx.status();
    status = work(**tx);
    if (!status.ok()) {
      // A conflict inside the work (say, the deadlock detector chose this transaction) is
      // worth another attempt; any other failure, an ABORTED version check included, is
      // the work's answer.
      if (!IsTransactionConflict(status)) return status;
      continue;  // destroying `tx` rolls it back
    }
    status = (*tx)->Commit();
    if (status.code() != absl::StatusCode::kAborted) return status;
  }
  return absl::AbortedError(absl::StrCat("transaction lost to concurrent writers ", kAttempts,
                                         " times; last: ", status.message()));
}

std::string EtagOf(int64_t version) { return absl::StrCat("\"", version, "\""); }

absl::StatusOr<int64_t> ParseEtag(absl::string_view etag) {
  absl::string_view text = etag;
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  int64_t version;
  if (!absl::SimpleAtoi(text, &version) || version <= 0) {
    return InvalidField("etag", absl::StrCat("\"", etag, "\" is not an etag of this service"));
  }
  return version;
}

std::string ParentOf(absl::string_view name) {
  size_t last = name.rfind('/');
  if (last == absl::string_view::npos) return "";
  size_t second = name.rfind('/', last - 1);
  if (second == absl::string_view::npos || last == 0) return "";
  return std::string(name.substr(0, second));
}

absl::Status DecodeRecord(const Record& record, Message* message) {
  if (!message->ParseFromString(record.data)) {
    return absl::InternalError(absl::StrCat("stored ", record.name, " does not parse"));
  }
  StampRecord(record, message);
  return absl::OkStatus();
}

void StampRecord(const Record& record, Message* message) {
  const google::protobuf::Descriptor* d = message->GetDescriptor();
  const google::protobuf::Reflection* r = message->GetReflection();
  if (const FieldDescriptor* etag = d->FindFieldByName("etag")) {
    r->SetString(message, etag, EtagOf(record.version));
  }
  if (const FieldDescriptor* f = d->FindFieldByName("create_time")) {
    SetTimestamp(*message, f, record.create_time, message);
  }
  if (const FieldDescriptor* f = d->FindFieldByName("update_time")) {
    SetTimestamp(*message, f, record.update_time, message);
  }
}

}  // namespace metrocap::store
