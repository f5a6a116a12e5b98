#include "tests/support/process.h"

#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace metrocap::testing {

absl::StatusOr<int> FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::string why = std::strerror(errno);
    close(fd);
    return absl::InternalError(absl::StrCat("bind 127.0.0.1:0: ", why));
  }
  close(fd);
  return ntohs(address.sin_port);
}

absl::Status LookUpUser(const RunAs& run_as, uid_t* uid, gid_t* gid) {
  *uid = static_cast<uid_t>(-1);
  *gid = static_cast<gid_t>(-1);
  if (run_as.user.empty()) return absl::OkStatus();
  passwd* entry = getpwnam(run_as.user.c_str());
  if (entry == nullptr) return absl::NotFoundError(absl::StrCat("no user ", run_as.user));
  *uid = entry->pw_uid;
  *gid = entry->pw_gid;
  return absl::OkStatus();
}

absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv, const std::string& log_path,
                            const RunAs& run_as, int death_signal) {
  uid_t uid;
  gid_t gid;
  if (absl::Status found = LookUpUser(run_as, &uid, &gid); !found.ok()) return found;
  int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0)
    return absl::InternalError(absl::StrCat("open ", log_path, ": ", std::strerror(errno)));
  if (uid != static_cast<uid_t>(-1)) (void)!fchown(log, uid, gid);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(log);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    setpgid(0, 0);  // signals sent to the test's terminal do not reach the server twice
    if (uid != static_cast<uid_t>(-1)) {
      if (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0) _exit(126);
    }
    // Set after changing user: a credential change clears the parent-death signal.
    prctl(PR_SET_PDEATHSIG, death_signal);
    if (getppid() != parent) _exit(125);
    execv(args[0], args.data());
    _exit(127);
  }
  close(log);
  return pid;
}

absl::Status RunToCompletion(const std::vector<std::string>& argv, const std::string& log_path,
                             const RunAs& run_as, absl::Duration timeout) {
  absl::StatusOr<pid_t> pid = Spawn(argv, log_path, run_as, SIGKILL);
  if (!pid.ok()) return pid.status();
  absl::Time deadline = absl::Now() + timeout;
  while (true) {
    int status = 0;
    pid_t done = waitpid(*pid, &status, WNOHANG);
    if (done == *pid) {
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
      return absl::InternalError(
          absl::StrCat(argv[0], " failed (status ", status, "): ", TailOf(log_path)));
    }
    if (absl::Now() > deadline) {
      kill(*pid, SIGKILL);
      waitpid(*pid, &status, 0);
      return absl::DeadlineExceededError(
          absl::StrCat(argv[0], " did not finish in ", absl::FormatDuration(timeout)));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
}

bool StillRunning(pid_t pid) {
  int status;
  pid_t done = waitpid(pid, &status, WNOHANG);
  return done == 0;
}

absl::Status WaitForExit(pid_t pid, absl::Duration timeout) {
  return PollUntil([pid]() -> absl::StatusOr<bool> { return !StillRunning(pid); }, timeout,
                   absl::StrCat("exit of process ", pid));
}

std::string TailOf(const std::string& path, size_t bytes) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

}  // namespace metrocap::testing
