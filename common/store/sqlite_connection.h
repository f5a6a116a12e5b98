#pragma once

#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/store/schema.h"  // SqlValue

namespace metrocap::store {

// The status for SQLite result code `rc` (with `db`'s message when given): BUSY and LOCKED
// are ABORTED, CONSTRAINT is ALREADY_EXISTS, FULL, IOERR and CANTOPEN are UNAVAILABLE,
// anything else INTERNAL.
absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what);

// One connection to a SQLite database with its prepared statements: the SQLite store's
// pool holds these, and its checkpointer one. Used by one thread at a time.
class SqliteConnection {
 public:
  // Opens (creating it if missing) the database at `path` in WAL mode with
  // synchronous=FULL, so a commit, and a checkpoint, is on disk before it returns; waits up
  // to 10 s for a lock another connection holds. UNAVAILABLE when it cannot be opened.
  static absl::StatusOr<std::unique_ptr<SqliteConnection>> Open(const std::string& path);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sqlite3* db() const { return db_; }

  // Runs `text` (one or more statements, no results). Errors as SqliteError.
  absl::Status Exec(const std::string& text);

  // A reset, bound statement ready to step, prepared once per connection. Errors as
  // SqliteError.
  absl::StatusOr<sqlite3_stmt*> Prepare(const std::string& text,
                                        const std::vector<SqlValue>& params);

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace metrocap::store
