#include "tools/sqlite_backup.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace metrocap::tools {
namespace {

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

absl::Status Error(sqlite3* db, absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", sqlite3_errmsg(db)));
}

absl::StatusOr<Database> Open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db(raw);
  if (rc != SQLITE_OK) return Error(db.get(), absl::StrCat("cannot open ", path));
  sqlite3_busy_timeout(db.get(), 1000);
  return db;
}

// "ok" from PRAGMA integrity_check, or what it reported first.
absl::Status CheckIntegrity(sqlite3* db, const std::string& path) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) != SQLITE_OK) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not a SQLite database: ", sqlite3_errmsg(db)));
  }
  std::string result;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  std::string error = sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a SQLite database: ", error));
  }
  if (result != "ok") {
    return absl::InvalidArgumentError(absl::StrCat(path, " fails its integrity check: ", result));
  }
  return absl::OkStatus();
}

// Copies every page of `from` into `to` with the online backup API. Retries while a
// writer holds a lock, until `deadline`.
absl::Status CopyPages(sqlite3* from, sqlite3* to, absl::Time deadline) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return Error(to, "cannot start the backup");
  int rc;
  // All pages in one step: one read transaction, so the copy is one consistent state.
  while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    if (absl::Now() > deadline) break;
    sqlite3_sleep(20);
  }
  sqlite3_backup_finish(backup);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    return absl::UnavailableError("the database stayed locked; try again");
  }
  if (rc != SQLITE_DONE) return Error(to, "the backup failed");
  return absl::OkStatus();
}

}  // namespace

absl::Status BackupSqlite(const std::string& database, const std::string& backup,
                          absl::Duration timeout) {
  if (!Exists(database)) return absl::NotFoundError(absl::StrCat(database, " does not exist"));
  if (Exists(backup)) return absl::AlreadyExistsError(absl::StrCat(backup, " already exists"));
  const absl::Time deadline = absl::Now() + timeout;
  absl::StatusOr<Database> from = Open(database, SQLITE_OPEN_READONLY);
  if (!from.ok()) return from.status();
  const std::string partial = backup + ".partial";
  std::remove(partial.c_str());
  absl::StatusOr<Database> to = Open(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!to.ok()) return to.status();
  absl::Status status = CopyPages(from->get(), to->get(), deadline);
  // A backup is one self-contained file: no write-ahead log beside it.
  if (status.ok() && sqlite3_exec(to->get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr,
                                  nullptr) != SQLITE_OK) {
    status = Error(to->get(), "cannot finish the backup");
  }
  if (status.ok()) status = CheckIntegrity(to->get(), partial);
  to->reset();
  if (status.ok() && std::rename(partial.c_str(), backup.c_str()) != 0) {
    status = absl::InternalError(absl::StrCat("cannot rename ", partial, " to ", backup));
  }
  if (!status.ok()) std::remove(partial.c_str());
  if (!status.ok() && status.code() == absl::StatusCode::kInvalidArgument) {
    return absl::InternalError(status.message());
  }
  return status;
}

absl::Status RestoreSqlite(const std::string& backup, const std::string& database) {
  if (!Exists(backup)) return absl::NotFoundError(absl::StrCat(backup, " does not exist"));
  absl::StatusOr<Database> from = Open(backup, SQLITE_OPEN_READONLY);
  if (!from.ok()) return from.status();
  if (absl::Status sound = CheckIntegrity(from->get(), backup); !sound.ok()) return sound;
  absl::StatusOr<Database> to = Open(database, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!to.ok()) return to.status();
  // An exclusive lock first: if the component still runs, refuse rather than pull its
  // database from under it.
  if (sqlite3_exec(to->get(), "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;", nullptr,
                   nullptr, nullptr) != SQLITE_OK) {
    return absl::UnavailableError(
        absl::StrCat(database, " is in use: stop the component before restoring"));
  }
  return CopyPages(from->get(), to->get(), absl::Now() + absl::Seconds(10));
}

}  // namespace metrocap::tools
