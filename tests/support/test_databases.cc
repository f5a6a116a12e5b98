#include "tests/support/test_databases.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "tests/support/postgres_server.h"

namespace metrocap::testing {
namespace {

// Where this process gets databases from, decided once.
struct DatabaseSource {
  std::string unavailable;
  std::string run_admin_url;  // the ctest run's server; empty: SharedPostgresServer()
};

const DatabaseSource& Source() {
  static const DatabaseSource* source = [] {
    auto* s = new DatabaseSource;
    const char* dir = std::getenv(kPostgresStateDirVariable);
    if (dir != nullptr && *dir != '\0') {
      // ctest starts each test directly, so our parent is the ctest run the fixture served.
      std::string path = PostgresRunStatePath(dir, getppid());
      absl::StatusOr<PostgresRunState> state = ReadPostgresRunState(path);
      if (state.ok()) {
        s->unavailable = state->unavailable;
        s->run_admin_url = state->admin_url;
        return s;
      }
      std::cerr << "no PostgreSQL server of this ctest run (" << state.status()
                << "); starting one for this process" << std::endl;
    }
    if (!PostgresServerAvailable()) {
      s->unavailable =
          "no PostgreSQL server binaries (install postgresql or set METROCAP_PG_BINDIR)";
    }
    return s;
  }();
  return *source;
}

// Databases this process created on the run's server, dropped at exit: the server lives
// for the whole ctest run, and hundreds of tests' databases would fill the disk. Never
// destroyed, so the exit handler can use it.
struct CreatedDatabases {
  absl::Mutex mu;
  std::vector<std::string> names ABSL_GUARDED_BY(mu);
  bool drop_at_exit ABSL_GUARDED_BY(mu) = false;
};
CreatedDatabases& Created() {
  static auto* created = new CreatedDatabases;
  return *created;
}

void DropCreatedDatabases() {
  CreatedDatabases& created = Created();
  absl::MutexLock lock(&created.mu);
  for (const std::string& name : created.names) {
    // WITH (FORCE) ends connections a leaked store may still hold.
    absl::Status dropped = ExecuteStatement(Source().run_admin_url,
                                            absl::StrCat("DROP DATABASE ", name, " WITH (FORCE)"));
    if (!dropped.ok()) std::cerr << "dropping test database " << name << ": " << dropped << "\n";
  }
  created.names.clear();
}

std::string ReplaceDatabase(const std::string& admin_url, const std::string& database) {
  return admin_url.substr(0, admin_url.rfind('/') + 1) + database;
}

}  // namespace

std::string PostgresRunStatePath(const std::string& dir, pid_t ctest_pid) {
  return absl::StrCat(dir, "/postgres-", ctest_pid, ".state");
}

absl::Status WritePostgresRunState(const std::string& path, const PostgresRunState& state) {
  std::string temporary = absl::StrCat(path, ".", getpid(), ".tmp");
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << "admin_url " << state.admin_url << "\n"
        << "keeper " << state.keeper << "\n"
        << "unavailable " << state.unavailable << "\n";
    if (!out.flush()) return absl::InternalError(absl::StrCat("cannot write ", temporary));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<PostgresRunState> ReadPostgresRunState(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("no ", path));
  PostgresRunState state;
  std::string line;
  while (std::getline(in, line)) {
    std::string::size_type space = line.find(' ');
    std::string key = line.substr(0, space);
    std::string value = space == std::string::npos ? "" : line.substr(space + 1);
    if (key == "admin_url") state.admin_url = value;
    if (key == "unavailable") state.unavailable = value;
    if (key == "keeper" && !absl::SimpleAtoi(value, &state.keeper)) state.keeper = -1;
  }
  if (state.admin_url.empty() && state.unavailable.empty()) {
    return absl::InternalError(absl::StrCat(path, " names no server"));
  }
  return state;
}

bool RunningInCi() {
  const char* ci = std::getenv("CI");
  if (ci == nullptr) return false;
  std::string value = ci;
  return !value.empty() && value != "false" && value != "0";
}

std::string PostgresUnavailableReason() { return Source().unavailable; }

absl::StatusOr<std::string> NewTestDatabase() {
  const DatabaseSource& source = Source();
  if (!source.unavailable.empty()) return absl::UnavailableError(source.unavailable);
  if (source.run_admin_url.empty()) return SharedPostgresServer().CreateFreshDatabase();
  // Unique on the server for the whole run: pids are reused by later tests, and a test that
  // crashed left its databases behind.
  static std::atomic<int> next{0};
  std::string name =
      absl::StrCat("test_", getpid(), "_", absl::ToUnixMicros(absl::Now()), "_", next++);
  absl::Status made = CreateDatabaseOn(source.run_admin_url, name);
  if (!made.ok()) return made;
  CreatedDatabases& created = Created();
  absl::MutexLock lock(&created.mu);
  if (!created.drop_at_exit) {
    created.drop_at_exit = true;
    std::atexit(DropCreatedDatabases);
  }
  created.names.push_back(name);
  return ReplaceDatabase(source.run_admin_url, name);
}

absl::StatusOr<std::string> TestDatabaseFor(const std::string& key) {
  static absl::Mutex mu;
  static auto* databases = new std::map<std::string, std::string>;
  absl::MutexLock lock(&mu);
  auto it = databases->find(key);
  if (it != databases->end()) return it->second;
  absl::StatusOr<std::string> url = NewTestDatabase();
  if (url.ok()) (*databases)[key] = *url;
  return url;
}

}  // namespace metrocap::testing
