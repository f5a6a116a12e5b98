// The ctest fixture that gives one ctest run one PostgreSQL server (test_databases.h).
//
//   metrocap_test_postgres_fixture start <state dir>   (FIXTURES_SETUP metrocap_postgres)
//   metrocap_test_postgres_fixture stop <state dir>    (FIXTURES_CLEANUP metrocap_postgres)
//
// `start` forks a keeper process that starts the server (initdb in a temporary directory,
// a free loopback port), writes the state file for this ctest run and returns once the
// server accepts connections. The keeper stops the server and removes its directory when
// `stop` asks, or by itself as soon as the ctest process is gone (interrupted run), so no
// server outlives its run.
//
// Without PostgreSQL binaries, `start` fails when CI is set (the PostgreSQL tests then do
// not run, and ctest reports them as failed); otherwise it records why, and every
// PostgreSQL test is skipped with that reason.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/support/postgres_server.h"
#include "tests/support/process.h"
#include "tests/support/test_databases.h"

namespace metrocap::testing {
namespace {

volatile sig_atomic_t stop_requested = 0;

bool Alive(pid_t pid) { return kill(pid, 0) == 0 || errno == EPERM; }

// The keeper: runs until asked to stop or until ctest is gone. Reports "ok" or the error
// on `report` (a pipe to the `start` process), then closes it.
int Keep(const std::string& state_path, pid_t ctest, int report) {
  setsid();  // not in ctest's process group: a Ctrl-C reaches ctest, and we see it go
  signal(SIGTERM, [](int) { stop_requested = 1; });
  int devnull = open("/dev/null", O_RDWR);
  // ctest reads the setup test's output until every writer closed it.
  for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) dup2(devnull, fd);
  close(devnull);
  auto tell = [report](const std::string& message) {
    (void)!write(report, message.data(), message.size());
    close(report);
  };
  absl::StatusOr<std::unique_ptr<PostgresServer>> server = PostgresServer::Start();
  if (!server.ok()) {
    tell(server.status().ToString());
    return 1;
  }
  PostgresRunState state;
  state.admin_url = (*server)->Url();
  state.keeper = getpid();
  if (absl::Status written = WritePostgresRunState(state_path, state); !written.ok()) {
    tell(written.ToString());
    return 1;
  }
  tell("ok " + state.admin_url);
  while (!stop_requested && Alive(ctest)) absl::SleepFor(absl::Milliseconds(100));
  server->reset();
  std::remove(state_path.c_str());
  return 0;
}

// State files of ctest runs that are gone (killed before their cleanup ran).
void RemoveStaleStates(const std::string& dir) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    std::string file = entry.path().filename().string();
    int pid = 0;
    if (std::sscanf(file.c_str(), "postgres-%d.state", &pid) == 1 && pid > 0 && !Alive(pid)) {
      std::filesystem::remove(entry.path(), error);
    }
  }
}

int Start(const std::string& dir) {
  pid_t ctest = getppid();
  std::string state_path = PostgresRunStatePath(dir, ctest);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  RemoveStaleStates(dir);
  if (!PostgresServerAvailable()) {
    std::string why =
        "no PostgreSQL server binaries (install postgresql or set METROCAP_PG_BINDIR)";
    if (RunningInCi()) {
      std::cerr << "PostgreSQL is required in CI: " << why << std::endl;
      return 1;
    }
    PostgresRunState state;
    state.unavailable = why;
    if (absl::Status written = WritePostgresRunState(state_path, state); !written.ok()) {
      std::cerr << written << std::endl;
      return 1;
    }
    std::cout << "PostgreSQL tests will be skipped: " << why << std::endl;
    return 0;
  }
  int pipe_fds[2];
  // Close-on-exec: the server the keeper starts must not hold the pipe open, or `start`
  // would wait for it to exit.
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    std::perror("pipe");
    return 1;
  }
  pid_t keeper = fork();
  if (keeper < 0) {
    std::perror("fork");
    return 1;
  }
  if (keeper == 0) {
    close(pipe_fds[0]);
    _exit(Keep(state_path, ctest, pipe_fds[1]));
  }
  close(pipe_fds[1]);
  std::string report;
  char buffer[4096];
  ssize_t n;
  while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) report.append(buffer, n);
  }
  close(pipe_fds[0]);
  if (report.rfind("ok ", 0) != 0) {
    std::cerr << "cannot start PostgreSQL for the tests: " << report << std::endl;
    return 1;
  }
  std::cout << "PostgreSQL for this ctest run: " << report.substr(3) << " (keeper " << keeper
            << ", state " << state_path << ")" << std::endl;
  return 0;
}

int Stop(const std::string& dir) {
  std::string state_path = PostgresRunStatePath(dir, getppid());
  absl::StatusOr<PostgresRunState> state = ReadPostgresRunState(state_path);
  if (!state.ok()) {
    std::cout << "nothing to stop: " << state.status() << std::endl;
    return 0;
  }
  if (state->keeper <= 0) {
    std::remove(state_path.c_str());
    return 0;
  }
  kill(state->keeper, SIGTERM);
  // The keeper removes the state file once the server is stopped and its directory gone.
  // (It is not our child, and may linger as a zombie, so its pid alone proves nothing.)
  absl::Status stopped = PollUntil(
      [&]() -> absl::StatusOr<bool> {
        return !std::filesystem::exists(state_path) || !Alive(state->keeper);
      },
      absl::Seconds(90), "the PostgreSQL keeper to stop the server");
  if (!stopped.ok()) {
    std::cerr << stopped << std::endl;
    return 1;
  }
  std::cout << "PostgreSQL stopped" << std::endl;
  return 0;
}

}  // namespace
}  // namespace metrocap::testing

int main(int argc, char** argv) {
  std::string command = argc == 3 ? argv[1] : "";
  if (command == "start") return metrocap::testing::Start(argv[2]);
  if (command == "stop") return metrocap::testing::Stop(argv[2]);
  std::cerr << "usage: " << argv[0] << " start|stop <state dir>" << std::endl;
  return 2;
}
