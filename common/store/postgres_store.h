#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/store/store.h"

namespace metrocap::store {

struct PostgresOptions {
  // A libpq URI, postgres://user:password@host:port/database?sslmode=... . The extra query
  // parameter pool_max_conns=N (stripped before libpq sees it) overrides `pool_size`.
  std::string url;
  // Most connections open at once; Begin() waits for one beyond that.
  int pool_size = 16;
  // How long Begin() waits for a free connection before failing UNAVAILABLE.
  absl::Duration acquire_timeout = absl::Seconds(5);
  // Bound on opening a connection (libpq connect_timeout, whole seconds, at least 1), and on
  // a statement whose server stopped answering (tcp_user_timeout), unless the URL sets them.
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration io_timeout = absl::Seconds(15);
};

// The production store: PostgreSQL through libpq, with a bounded pool of connections and
// per-connection prepared statements.
//
// Read-write transactions run at READ COMMITTED and Transaction::Get in them locks the row
// (SELECT ... FOR UPDATE), so read-modify-write of one resource is serialized as with SQLite;
// the version check in UPDATE ... WHERE version = ? makes a stale etag fail ABORTED.
// Read-only transactions run at REPEATABLE READ: one snapshot for all their reads.
//
// Errors: connection failures and a database shutting down are UNAVAILABLE (the broken
// connection is dropped and the pool opens a new one on demand); serialization failures and
// deadlocks are ABORTED; unique violations ALREADY_EXISTS. A COMMIT that fails because the
// connection broke is UNAVAILABLE: the write may or may not have happened, and it was not
// acknowledged.
//
// Returns UNAVAILABLE when no connection can be opened now, INVALID_ARGUMENT for a bad URL.
absl::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options);

}  // namespace metrocap::store
