#include "common/store/sqlite_store.h"

#include <sqlite3.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/status/status_macros.h"
#include "common/store/row_writer.h"
#include "common/store/sql.h"

namespace metrocap::store {
namespace {

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  std::string message = absl::StrCat(what, ": ", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return absl::AbortedError(message);
  if (rc == SQLITE_CONSTRAINT) return absl::AlreadyExistsError(message);
  if (rc == SQLITE_FULL || rc == SQLITE_IOERR || rc == SQLITE_CANTOPEN) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

// One connection with its prepared statements.
class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection() {
    for (auto& [text, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }
  sqlite3* db() const { return db_; }

  absl::Status Exec(const std::string& text) {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (rc == SQLITE_OK) return absl::OkStatus();
    std::string message = error ? error : "";
    sqlite3_free(error);
    return SqliteError(db_, rc, absl::StrCat("sqlite: ", message));
  }

  // A reset, bound statement ready to step.
  absl::StatusOr<sqlite3_stmt*> Prepare(const std::string& text,
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

 private:
  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*> statements_;
};

std::string Text(sqlite3_stmt* stmt, int column) {
  const void* data = sqlite3_column_blob(stmt, column);
  int size = sqlite3_column_bytes(stmt, column);
  return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
}

class SqliteStore;

class SqliteTransaction : public RowWriter {
 public:
  SqliteTransaction(SqliteStore* store, std::unique_ptr<Connection> connection)
      : store_(store), connection_(std::move(connection)) {}
  ~SqliteTransaction() override;

  absl::Status Commit() override;

 private:
  absl::Status Execute(const std::string& text, const std::vector<SqlValue>& params,
                       int64_t* changed) override;
  absl::StatusOr<std::vector<Row>> Query(const std::string& text,
                                         const std::vector<SqlValue>& params) override;

  SqliteStore* store_;
  std::unique_ptr<Connection> connection_;
  bool done_ = false;
};

class SqliteStore : public Store {
 public:
  SqliteStore(std::string path, int connections) : path_(std::move(path)), limit_(connections) {}

  absl::Status Migrate(const std::vector<const ResourceSchema*>& schemas) override {
    return MigrateSchemas(*this, schemas, "INTEGER", "BLOB");
  }

  absl::StatusOr<std::unique_ptr<Transaction>> Begin(Access access) override {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Acquire());
    absl::Status begun =
        connection->Exec(access == Access::kReadWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    if (!begun.ok()) {
      Release(std::move(connection));
      return begun;
    }
    return std::unique_ptr<Transaction>(new SqliteTransaction(this, std::move(connection)));
  }

  absl::StatusOr<std::unique_ptr<Connection>> Acquire() {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](SqliteStore* s) { return !s->idle_.empty() || s->open_ < s->limit_; }, this));
      if (!idle_.empty()) {
        std::unique_ptr<Connection> c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
      ++open_;
    }
    sqlite3* db = nullptr;
    int rc =
        sqlite3_open_v2(path_.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    auto connection = std::make_unique<Connection>(db);
    absl::Status status =
        rc == SQLITE_OK ? absl::OkStatus()
                        : absl::UnavailableError(absl::StrCat("cannot open SQLite database ", path_,
                                                              ": ", sqlite3_errstr(rc)));
    if (status.ok()) {
      sqlite3_busy_timeout(db, 10000);
      status = connection->Exec(
          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;");
      if (!status.ok()) status = absl::UnavailableError(status.message());
    }
    if (!status.ok()) {
      absl::MutexLock lock(&mu_);
      --open_;
      return status;
    }
    return connection;
  }

  void Release(std::unique_ptr<Connection> connection) {
    absl::MutexLock lock(&mu_);
    idle_.push_back(std::move(connection));
  }

 private:
  const std::string path_;
  const int limit_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
};

SqliteTransaction::~SqliteTransaction() {
  if (!done_) connection_->Exec("ROLLBACK").IgnoreError();
  store_->Release(std::move(connection_));
}

absl::Status SqliteTransaction::Execute(const std::string& text,
                                        const std::vector<SqlValue>& params, int64_t* changed) {
  ASSIGN_OR_RETURN(sqlite3_stmt * stmt, connection_->Prepare(text, params));
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return SqliteError(connection_->db(), rc, "sqlite");
  if (changed != nullptr) *changed = sqlite3_changes(connection_->db());
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RowWriter::Row>> SqliteTransaction::Query(
    const std::string& text, const std::vector<SqlValue>& params) {
  ASSIGN_OR_RETURN(sqlite3_stmt * stmt, connection_->Prepare(text, params));
  std::vector<Row> rows;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    Row row;
    int n = sqlite3_column_count(stmt);
    for (int i = 0; i < n; ++i) {
      if (sqlite3_column_type(stmt, i) == SQLITE_INTEGER) {
        row.push_back(static_cast<int64_t>(sqlite3_column_int64(stmt, i)));
      } else {
        row.push_back(Text(stmt, i));
      }
    }
    rows.push_back(std::move(row));
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) return SqliteError(connection_->db(), rc, "sqlite");
  return rows;
}

absl::Status SqliteTransaction::Commit() {
  absl::Status status = connection_->Exec("COMMIT");
  if (status.ok()) done_ = true;
  return status;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, int connections) {
  auto store = std::make_unique<SqliteStore>(path, connections);
  // Open one connection now so a bad path fails at start-up, not on the first request.
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, store->Acquire());
  store->Release(std::move(connection));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace metrocap::store
