#include "tests/support/postgres_server.h"

#include <libpq-fe.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/support/process.h"

namespace metrocap::testing {
namespace {

// The directory holding initdb and postgres, newest version first.
std::string FindBindir() {
  const char* configured = std::getenv("METROCAP_PG_BINDIR");
  if (configured != nullptr && *configured != '\0') return configured;
  std::string newest;
  int newest_version = -1;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
    int version = std::atoi(entry.path().filename().c_str());
    std::string bin = entry.path().string() + "/bin";
    if (version > newest_version && std::filesystem::exists(bin + "/initdb")) {
      newest = bin;
      newest_version = version;
    }
  }
  return newest;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start() {
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  server->bindir_ = FindBindir();
  if (!PostgresServerAvailable()) {
    return absl::UnavailableError(
        "no PostgreSQL server binaries (install postgresql or set METROCAP_PG_BINDIR)");
  }
  if (geteuid() == 0) server->user_ = "postgres";
  absl::StatusOr<std::string> dir = MakeTempDir("metrocap-pg");
  if (!dir.ok()) return dir.status();
  server->dir_ = *dir;
  uid_t uid;
  gid_t gid;
  if (absl::Status user = LookUpUser(RunAs{server->user_}, &uid, &gid); !user.ok()) return user;
  if (uid != static_cast<uid_t>(-1) && chown(server->dir_.c_str(), uid, gid) != 0) {
    return absl::InternalError(absl::StrCat("chown ", server->dir_, " to ", server->user_));
  }
  absl::Status initialized =
      RunToCompletion({server->bindir_ + "/initdb", "-D", server->dir_ + "/data", "-U", "postgres",
                       "-A", "trust", "--locale=C", "-E", "UTF8", "--no-sync"},
                      server->dir_ + "/initdb.log", RunAs{server->user_}, absl::Seconds(120));
  if (!initialized.ok()) return initialized;
  absl::StatusOr<int> port = FreeLoopbackPort();
  if (!port.ok()) return port.status();
  server->port_ = *port;
  if (absl::Status launched = server->Launch(); !launched.ok()) return launched;
  return server;
}

absl::Status PostgresServer::Launch() {
  std::string log = dir_ + "/postgres.log";
  absl::StatusOr<pid_t> pid =
      Spawn({bindir_ + "/postgres", "-D", dir_ + "/data", "-p", absl::StrCat(port_), "-k", dir_,
             "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c",
             "shared_buffers=32MB", "-c", "logging_collector=off",
             // Tests that provoke a deadlock wait this long for the server to break it.
             "-c", "deadlock_timeout=100ms",
             // Commits still write the WAL before they are acknowledged (synchronous_commit
             // stays on), so a crashed server loses nothing; only the flush to the disk,
             // which protects against the machine dying, is skipped to keep tests fast.
             "-c", "fsync=off"},
            log, RunAs{user_}, SIGQUIT);
  if (!pid.ok()) return pid.status();
  pid_ = *pid;
  std::string conninfo = absl::StrCat("host=127.0.0.1 port=", port_,
                                      " user=postgres dbname=postgres connect_timeout=2");
  absl::Status ready = PollUntil(
      [&]() -> absl::StatusOr<bool> {
        if (!StillRunning(pid_)) {
          pid_ = -1;
          return absl::InternalError(absl::StrCat("postgres exited: ", TailOf(log)));
        }
        return PQping(conninfo.c_str()) == PQPING_OK;
      },
      absl::Seconds(60), "PostgreSQL to accept connections");
  if (!ready.ok() && pid_ > 0) {
    kill(pid_, SIGQUIT);
    WaitForExit(pid_, absl::Seconds(10)).IgnoreError();
    pid_ = -1;
  }
  return ready;
}

PostgresServer::~PostgresServer() {
  if (pid_ > 0) Stop(StopMode::kImmediate).IgnoreError();
  if (!dir_.empty()) RemoveTree(dir_);
}

std::string PostgresServer::Url(absl::string_view database) const {
  return absl::StrCat("postgres://postgres@127.0.0.1:", port_, "/", database);
}

absl::StatusOr<std::string> PostgresServer::CreateDatabase(absl::string_view name) {
  absl::Status created = CreateDatabaseOn(Url(), name);
  if (!created.ok()) return created;
  return Url(name);
}

absl::StatusOr<std::string> PostgresServer::CreateFreshDatabase() {
  static std::atomic<int> next{0};
  return CreateDatabase(absl::StrCat("test_", getpid(), "_", next++));
}

absl::StatusOr<std::string> PostgresServer::DatabaseFor(const std::string& key) {
  absl::MutexLock lock(&mu_);
  auto it = databases_.find(key);
  if (it != databases_.end()) return it->second;
  absl::StatusOr<std::string> url = CreateFreshDatabase();
  if (url.ok()) databases_[key] = *url;
  return url;
}

absl::Status PostgresServer::Stop(StopMode mode) {
  if (pid_ <= 0) return absl::FailedPreconditionError("postgres is not running");
  int signal = mode == StopMode::kSmart ? SIGTERM : mode == StopMode::kFast ? SIGINT : SIGQUIT;
  kill(pid_, signal);
  absl::Status exited = WaitForExit(pid_, absl::Seconds(60));
  if (!exited.ok()) {
    kill(pid_, SIGKILL);
    WaitForExit(pid_, absl::Seconds(10)).IgnoreError();
  }
  pid_ = -1;
  return exited;
}

absl::Status PostgresServer::Restart() {
  if (pid_ > 0) return absl::FailedPreconditionError("postgres is already running");
  return Launch();
}

absl::Status ExecuteStatement(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn);
    PQfinish(conn);
    return absl::UnavailableError(why);
  }
  PGresult* result = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  std::string why = PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
  if (!ok) return absl::InternalError(why);
  return absl::OkStatus();
}

absl::Status CreateDatabaseOn(const std::string& admin_conninfo, absl::string_view name) {
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_') {
      return absl::InvalidArgumentError(absl::StrCat("bad database name ", name));
    }
  }
  absl::Status created = ExecuteStatement(
      admin_conninfo, absl::StrCat("CREATE DATABASE ", name, " STRATEGY = FILE_COPY"));
  // Servers before 15 have only the file copy, and no STRATEGY option.
  if (absl::IsInternal(created) && absl::StrContains(created.message(), "strategy")) {
    created = ExecuteStatement(admin_conninfo, absl::StrCat("CREATE DATABASE ", name));
  }
  return created;
}

bool PostgresServerAvailable() {
  std::string bindir = FindBindir();
  return !bindir.empty() && std::filesystem::exists(bindir + "/initdb");
}

PostgresServer& SharedPostgresServer() {
  static PostgresServer* server = [] {
    absl::StatusOr<std::unique_ptr<PostgresServer>> started = PostgresServer::Start();
    if (!started.ok()) {
      std::cerr << "cannot start PostgreSQL for tests: " << started.status() << std::endl;
      std::abort();
    }
    PostgresServer* s = started->release();
    std::atexit([] { delete server; });
    return s;
  }();
  return *server;
}

}  // namespace metrocap::testing
