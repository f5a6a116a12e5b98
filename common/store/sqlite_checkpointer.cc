#include "common/store/sqlite_checkpointer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace metrocap::store {

absl::StatusOr<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(
    const std::string& path, const CheckpointLimits& limits) {
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> connection, SqliteConnection::Open(path));
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(std::move(connection), limits));
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<SqliteConnection> connection,
                                 const CheckpointLimits& limits)
    : limits_(limits), connection_(std::move(connection)) {
  thread_ = std::thread([this] { Run(); });
}

WalCheckpointer::~WalCheckpointer() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
  Checkpoint();
}

absl::Status WalCheckpointer::Watch(sqlite3* db) {
  // Installing a hook replaces the automatic checkpoint, which is SQLite's own hook.
  sqlite3_wal_hook(db, &WalCheckpointer::OnCommit, this);
  // After a burst that grew the log file, the commit that next starts the log over
  // truncates the file to twice the usual length (at 4 KiB pages) instead of keeping it.
  const std::string limit =
      absl::StrCat("PRAGMA journal_size_limit=", int64_t{2} * limits_.background_pages * 4096);
  int rc = sqlite3_exec(db, limit.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db, rc, "sqlite journal_size_limit");
  return absl::OkStatus();
}

int WalCheckpointer::OnCommit(void* self, sqlite3* db, const char* schema, int log_pages) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  if (log_pages >= checkpointer->limits_.commit_pages) {
    // BUSY when the checkpointer is at it already: then the log is being shortened anyway.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (log_pages >= checkpointer->limits_.background_pages) {
    absl::MutexLock lock(&checkpointer->mu_);
    checkpointer->wanted_ = true;
  }
  // The commit has happened whatever this returns; anything but OK would report it failed.
  return SQLITE_OK;
}

void WalCheckpointer::Run() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](WalCheckpointer* c) { return c->wanted_ || c->stopping_; }, this));
      if (stopping_) return;
      wanted_ = false;
    }
    Checkpoint();
  }
}

void WalCheckpointer::Checkpoint() {
  // A checkpoint that cannot copy everything (a reader still needs older pages, another
  // connection is checkpointing) copies what it can; a later commit wakes the thread again.
  sqlite3_wal_checkpoint_v2(connection_->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                            nullptr);
}

}  // namespace metrocap::store
