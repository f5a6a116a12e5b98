#include "common/store/sqlite_connection.h"

#include "absl/strings/str_cat.h"
#include "absl/types/variant.h"

namespace metrocap::store {

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  std::string message = absl::StrCat(what, ": ", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return absl::AbortedError(message);
  if (rc == SQLITE_CONSTRAINT) return absl::AlreadyExistsError(message);
  if (rc == SQLITE_FULL || rc == SQLITE_IOERR || rc == SQLITE_CANTOPEN) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  if (rc != SQLITE_OK) {
    return absl::UnavailableError(
        absl::StrCat("cannot open SQLite database ", path, ": ", sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(db, 10000);
  absl::Status status = connection->Exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;");
  if (!status.ok()) return absl::UnavailableError(status.message());
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [text, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

absl::Status SqliteConnection::Exec(const std::string& text) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return absl::OkStatus();
  std::string message = error ? error : "";
  sqlite3_free(error);
  return SqliteError(db_, rc, absl::StrCat("sqlite: ", message));
}

absl::StatusOr<sqlite3_stmt*> SqliteConnection::Prepare(const std::string& text,
                                                        const std::vector<SqlValue>& params) {
  sqlite3_stmt*& stmt = statements_[text];
  if (stmt == nullptr) {
    int rc = sqlite3_prepare_v2(db_, text.c_str(), -1, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      statements_.erase(text);
      return SqliteError(db_, rc, "sqlite prepare");
    }
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  for (size_t i = 0; i < params.size(); ++i) {
    int index = static_cast<int>(i + 1);
    if (const int64_t* n = absl::get_if<int64_t>(&params[i])) {
      sqlite3_bind_int64(stmt, index, *n);
    } else {
      const std::string& s = absl::get<std::string>(params[i]);
      sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    }
  }
  return stmt;
}

}  // namespace metrocap::store
