#pragma once

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Where the PostgreSQL databases of tests come from.
//
// Starting a server (initdb) costs seconds, and ctest runs every test case in a process of
// its own. So a ctest run starts one server for all its PostgreSQL tests: the fixture
// `metrocap_postgres` (tests/support/StoreBackends.cmake) runs postgres_fixture_main.cc
// before the first of them and after the last. It describes the server in a state file in
// $METROCAP_TEST_POSTGRES_DIR named after the ctest process; each test process creates
// databases of its own there and drops them when it exits. A test run by hand (no state
// file) starts a server of its own instead (SharedPostgresServer()).
namespace metrocap::testing {

inline constexpr char kPostgresStateDirVariable[] = "METROCAP_TEST_POSTGRES_DIR";

// What the fixture tells the tests of one ctest run.
struct PostgresRunState {
  // postgres://postgres@127.0.0.1:<port>/postgres; empty when PostgreSQL is unavailable.
  std::string admin_url;
  // Why PostgreSQL cannot run on this machine ("" when it can).
  std::string unavailable;
  // The process that keeps the server and stops it (-1 when none).
  pid_t keeper = -1;
};

// The state file of the ctest run `ctest_pid` in `dir`.
std::string PostgresRunStatePath(const std::string& dir, pid_t ctest_pid);
// Writes the file atomically (a reader never sees half of it). INTERNAL on I/O errors.
absl::Status WritePostgresRunState(const std::string& path, const PostgresRunState& state);
// NOT_FOUND when there is no such file.
absl::StatusOr<PostgresRunState> ReadPostgresRunState(const std::string& path);

// Whether the tests run in CI (the CI environment variable is set and not "false"/"0"):
// there a missing PostgreSQL fails the tests that need it instead of skipping them.
bool RunningInCi();

// Why this process cannot use PostgreSQL: no server binaries, or the ctest run's fixture
// found none. "" when it can.
std::string PostgresUnavailableReason();

// The URL of a new, empty database (C collation) that no other test has: on the ctest run's
// server (dropped when this process exits), else on SharedPostgresServer(). UNAVAILABLE
// when PostgreSQL is unavailable or unreachable.
absl::StatusOr<std::string> NewTestDatabase();
// The database kept for `key` (say, a test directory and store name): created by the first
// call, the same URL for every later call with the same key.
absl::StatusOr<std::string> TestDatabaseFor(const std::string& key);

}  // namespace metrocap::testing
