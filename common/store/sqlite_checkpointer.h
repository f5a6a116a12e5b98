#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/store/sqlite_connection.h"

namespace metrocap::store {

// When the write-ahead log is checkpointed, in log pages (frames of one database page,
// 4 KiB by default).
struct CheckpointLimits {
  // A commit that leaves the log at least this long wakes the checkpointer (SQLite's own
  // automatic checkpoint runs at the same length).
  int background_pages = 1000;
  // A commit that leaves the log at least this long checkpoints it itself before returning,
  // as SQLite would: the bound on the log while the checkpointer lags behind the writers.
  int commit_pages = 16000;
};

// Keeps a SQLite database's write-ahead log checkpointed off the commit path.
//
// By default SQLite checkpoints inside the COMMIT that takes the log past 1,000 pages:
// that call copies the whole log into the database file and syncs it. Here the serving
// connections' automatic checkpoint is off and this checkpointer, woken by their commits,
// does that work on a thread and connection of its own. Its checkpoints are PASSIVE: they
// copy what no open read transaction still needs and never wait for, nor block, a reader
// or a writer. A log the checkpointer could not keep short (it fell behind, or long read
// transactions pinned old pages) is checkpointed by the commit that takes it past
// `commit_pages`, as before. Durability is unchanged: a commit is durable once its log
// frames are synced (synchronous=FULL), whoever copies them into the database later.
class WalCheckpointer {
 public:
  // Opens a connection of its own to the database at `path` and starts the thread.
  // UNAVAILABLE when the database cannot be opened.
  static absl::StatusOr<std::unique_ptr<WalCheckpointer>> Start(const std::string& path,
                                                                const CheckpointLimits& limits);
  // Stops the thread, runs a last checkpoint and closes the connection (the last
  // connection to the database that closes removes the log).
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Hands the checkpoints of `db`, a serving connection to the same database, to this
  // checkpointer: turns its automatic checkpoint off and has its commits report the log's
  // length here. After a burst that grew the log file, the commit on `db` that next starts
  // the log over truncates the file to 2 x background_pages. The checkpointer must outlive
  // every commit on `db`. Errors as SqliteError.
  absl::Status Watch(sqlite3* db);

 private:
  WalCheckpointer(std::unique_ptr<SqliteConnection> connection, const CheckpointLimits& limits);

  // sqlite3_wal_hook's callback, run by the committing thread after each commit.
  static int OnCommit(void* self, sqlite3* db, const char* schema, int log_pages);
  void Run();
  void Checkpoint();

  const CheckpointLimits limits_;
  // Used by the thread only (and by the destructor after joining it).
  std::unique_ptr<SqliteConnection> connection_;
  absl::Mutex mu_;
  bool wanted_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace metrocap::store
