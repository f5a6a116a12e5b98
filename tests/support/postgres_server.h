#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace metrocap::testing {

// A real, throwaway PostgreSQL server for tests: a fresh cluster (initdb, C locale, UTF-8,
// trust authentication) in a temporary directory, listening on a free loopback port and on
// a unix socket inside that directory. The binaries come from $METROCAP_PG_BINDIR, else the
// newest /usr/lib/postgresql/<version>/bin. When the test runs as root the server runs as
// the `postgres` system user (initdb refuses root), with the directory handed to it.
// fsync is off (a server process crash loses no acknowledged commit; a machine crash would).
class PostgresServer {
 public:
  // initdb + start; waits (polling) until the server accepts connections.
  // UNAVAILABLE when the binaries are missing, INTERNAL with the server log's tail when it
  // does not come up.
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start();
  // Stops the server (immediate mode) and removes its directory.
  ~PostgresServer();

  int port() const { return port_; }
  // The postmaster's pid (-1 when stopped); the backends it starts are its children.
  pid_t pid() const { return pid_; }
  // postgres://postgres@127.0.0.1:<port>/<database>.
  std::string Url(absl::string_view database = "postgres") const;
  // Creates database `name` (letters, digits, underscores) and returns its URL.
  absl::StatusOr<std::string> CreateDatabase(absl::string_view name);
  // A database with a name no other caller in this process got, and its URL.
  absl::StatusOr<std::string> CreateFreshDatabase();
  // The URL of the database kept for `key` (say, a test's temp dir), created on first use:
  // the same key gives the same database, so a store can be closed and reopened.
  absl::StatusOr<std::string> DatabaseFor(const std::string& key);

  enum class StopMode { kSmart, kFast, kImmediate };
  // Stops the server and waits for it to exit. kFast disconnects clients and shuts down
  // cleanly; kImmediate is a crash (recovery from WAL on the next start).
  absl::Status Stop(StopMode mode = StopMode::kFast);
  // Starts a stopped server again on the same port and data; waits until it is ready.
  absl::Status Restart();
  bool running() const { return pid_ > 0; }

 private:
  PostgresServer() = default;
  absl::Status Launch();

  absl::Mutex mu_;
  std::map<std::string, std::string> databases_ ABSL_GUARDED_BY(mu_);  // key -> URL
  std::string bindir_;
  std::string dir_;
  std::string user_;  // empty = the current user
  int port_ = 0;
  pid_t pid_ = -1;
};

// Runs one SQL statement (no results) on a connection of its own to `conninfo`, a libpq URL
// or key=value string. UNAVAILABLE when it cannot connect, INTERNAL when the statement fails.
absl::Status ExecuteStatement(const std::string& conninfo, const std::string& sql);

// Creates database `name` (letters, digits, underscores) on the server `admin_conninfo`
// reaches. It copies the template's files (STRATEGY FILE_COPY): for a small database that is
// several times faster than PostgreSQL 15's default, which writes every page to the WAL.
// INVALID_ARGUMENT for a bad name, else as ExecuteStatement.
absl::Status CreateDatabaseOn(const std::string& admin_conninfo, absl::string_view name);

// Whether PostgreSQL server binaries are installed, so a PostgreSQL server can be started.
bool PostgresServerAvailable();

// One server shared by every test of this process, started on first use (from the calling
// thread, which must outlive the tests: the main thread in practice) and stopped at exit.
// Crashes the test with the reason when it cannot start.
PostgresServer& SharedPostgresServer();

}  // namespace metrocap::testing
