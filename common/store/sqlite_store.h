#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/store/sqlite_checkpointer.h"
#include "common/store/store.h"

namespace metrocap::store {

struct SqliteOptions {
  // Most connections open at once; Begin() waits for one beyond that.
  int connections = 8;
  // When the write-ahead log is checkpointed (sqlite_checkpointer.h).
  CheckpointLimits checkpoints;
};

// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a commit is on
// disk before it is acknowledged. A small pool of connections serves concurrent readers;
// writers are serialized by SQLite's write lock (BEGIN IMMEDIATE). The log is copied into
// the database by a checkpointer thread of the store's own, not by the commits
// (WalCheckpointer); closing the store runs a last checkpoint.
// UNAVAILABLE when the file cannot be opened or created.
absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                       const SqliteOptions& options = {});

}  // namespace metrocap::store
