#pragma once

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"

// Transactions that lost a conflict with a concurrent one, which Store::RunInTransaction
// runs again. Backends mark them; nothing above the store needs to know.
namespace metrocap::store {

inline constexpr char kTransactionConflictUrl[] = "type.metrocap.dev/store.TransactionConflict";

// ABORTED, marked as a conflict the database resolved by failing this transaction (a
// serialization failure or a deadlock): the same work, run again, may well succeed. Unlike
// an ABORTED version check (a stale etag), which fails again however often it is run.
inline absl::Status TransactionConflictError(absl::string_view message) {
  absl::Status status = absl::AbortedError(message);
  status.SetPayload(kTransactionConflictUrl, absl::Cord("retry"));
  return status;
}

inline bool IsTransactionConflict(const absl::Status& status) {
  return status.code() == absl::StatusCode::kAborted &&
         status.GetPayload(kTransactionConflictUrl).has_value();
}

}  // namespace metrocap::store
