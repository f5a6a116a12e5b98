#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace metrocap::tools {

// Online backup and restore of a component's SQLite store (the embedded default; a
// PostgreSQL deployment backs up with pg_dump or pg_basebackup, docs/operations.md).

// Copies the database at `database` into a new file `backup`, while the component keeps
// running and writing: SQLite's online backup API copies every page within one read
// transaction, so the copy is the database as one commit left it (under WAL, writers are
// not blocked). The copy is written to `backup`.partial, checked with PRAGMA
// integrity_check and renamed into place, so `backup` is either complete or absent.
// NOT_FOUND when `database` does not exist; ALREADY_EXISTS when `backup` does;
// UNAVAILABLE when the database stays locked past `timeout`; INTERNAL on an I/O error or
// a copy that fails its check.
absl::Status BackupSqlite(const std::string& database, const std::string& backup,
                          absl::Duration timeout = absl::Seconds(60));

// Replaces the database at `database` with the backup at `backup`, through the same API
// (so the target's write-ahead log is written and checkpointed as SQLite expects). The
// component using `database` must be stopped: a database another connection holds is
// UNAVAILABLE and left as it was. The backup is checked before anything is written
// (INVALID_ARGUMENT when it is not a sound SQLite database); NOT_FOUND when it is absent.
absl::Status RestoreSqlite(const std::string& backup, const std::string& database);

}  // namespace metrocap::tools
