#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/store/store.h"

namespace metrocap::store {

// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a commit is on
// disk before it is acknowledged. A small pool of connections serves concurrent readers;
// writers are serialized by SQLite's write lock (BEGIN IMMEDIATE).
// UNAVAILABLE when the file cannot be opened or created.
absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                       int connections = 8);

}  // namespace metrocap::store
