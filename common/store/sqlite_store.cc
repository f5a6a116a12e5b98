#include "common/store/sqlite_store.h"

#include <sqlite3.h>

#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/status/status_macros.h"
#include "common/store/row_writer.h"
#include "common/store/sql.h"
#include "common/store/sqlite_checkpointer.h"
#include "common/store/sqlite_connection.h"

namespace metrocap::store {
namespace {

std::string Text(sqlite3_stmt* stmt, int column) {
  const void* data = sqlite3_column_blob(stmt, column);
  int size = sqlite3_column_bytes(stmt, column);
  return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
}

class SqliteStore;

class SqliteTransaction : public RowWriter {
 public:
  SqliteTransaction(SqliteStore* store, std::unique_ptr<SqliteConnection> connection)
      : store_(store), connection_(std::move(connection)) {}
  ~SqliteTransaction() override;

  absl::Status Commit() override;

 private:
  absl::Status Execute(const std::string& text, const std::vector<SqlValue>& params,
                       int64_t* changed) override;
  absl::StatusOr<std::vector<Row>> Query(const std::string& text,
                                         const std::vector<SqlValue>& params) override;

  SqliteStore* store_;
  std::unique_ptr<SqliteConnection> connection_;
  bool done_ = false;
};

class SqliteStore : public Store {
 public:
  SqliteStore(std::string path, int connections, std::unique_ptr<WalCheckpointer> checkpointer)
      : path_(std::move(path)), limit_(connections), checkpointer_(std::move(checkpointer)) {}

  absl::Status Migrate(const std::vector<const ResourceSchema*>& schemas) override {
    return MigrateSchemas(*this, schemas, "INTEGER", "BLOB");
  }

  absl::StatusOr<std::unique_ptr<Transaction>> Begin(Access access) override {
    ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> connection, Acquire());
    absl::Status begun =
        connection->Exec(access == Access::kReadWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    if (!begun.ok()) {
      Release(std::move(connection));
      return begun;
    }
    return std::unique_ptr<Transaction>(new SqliteTransaction(this, std::move(connection)));
  }

  absl::StatusOr<std::unique_ptr<SqliteConnection>> Acquire() {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](SqliteStore* s) { return !s->idle_.empty() || s->open_ < s->limit_; }, this));
      if (!idle_.empty()) {
        std::unique_ptr<SqliteConnection> c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
      ++open_;
    }
    absl::StatusOr<std::unique_ptr<SqliteConnection>> connection = SqliteConnection::Open(path_);
    if (connection.ok()) {
      absl::Status watched = checkpointer_->Watch((*connection)->db());
      if (!watched.ok()) connection = absl::UnavailableError(watched.message());
    }
    if (!connection.ok()) {
      absl::MutexLock lock(&mu_);
      --open_;
    }
    return connection;
  }

  void Release(std::unique_ptr<SqliteConnection> connection) {
    absl::MutexLock lock(&mu_);
    idle_.push_back(std::move(connection));
  }

 private:
  const std::string path_;
  const int limit_;
  // Declared before the pool: it outlives every serving connection it watches.
  const std::unique_ptr<WalCheckpointer> checkpointer_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_ ABSL_GUARDED_BY(mu_);
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

absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                       const SqliteOptions& options) {
  // The checkpointer's connection is the first: it creates the file in WAL mode, and a bad
  // path fails here, at start-up, not on the first request.
  ASSIGN_OR_RETURN(std::unique_ptr<WalCheckpointer> checkpointer,
                   WalCheckpointer::Start(path, options.checkpoints));
  auto store = std::make_unique<SqliteStore>(path, options.connections, std::move(checkpointer));
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> connection, store->Acquire());
  store->Release(std::move(connection));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace metrocap::store
