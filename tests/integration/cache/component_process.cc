#include "tests/integration/cache/component_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"

extern char** environ;

namespace metrocap::testing {
namespace {

// The port named `field` ("port", "metricsPort") in the component's "serving" log line, 0
// while there is none.
int ServingPort(const std::string& log_path, const std::string& field) {
  std::ifstream log(log_path);
  std::string line;
  const std::string key = absl::StrCat("\"", field, "\":\"");
  while (std::getline(log, line)) {
    if (!absl::StrContains(line, "\"message\":\"serving\"")) continue;
    size_t at = line.find(key);
    if (at == std::string::npos) continue;
    absl::string_view rest = absl::string_view(line).substr(at + key.size());
    int port = 0;
    if (absl::SimpleAtoi(rest.substr(0, rest.find('"')), &port)) return port;
  }
  return 0;
}

// Forks and execs `binary` with `env`; everything the child needs is prepared before the
// fork, since only async-signal-safe calls are allowed between fork and exec.
absl::StatusOr<pid_t> ForkExec(const std::string& binary, std::vector<std::string> env,
                               const std::string& log_path) {
  std::vector<char*> envp;
  for (std::string& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::string argv0 = binary;
  char* argv[] = {argv0.data(), nullptr};
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  if (pid == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    // No component outlives its test, even one that crashes.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    execve(argv[0], argv, envp.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ComponentProcess>> ComponentProcess::Start(
    const std::string& binary, const std::vector<std::string>& env, const std::string& log_path,
    absl::Duration timeout) {
  std::vector<std::string> child_env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!absl::StartsWith(*entry, "METROCAP_")) child_env.emplace_back(*entry);
  }
  child_env.push_back("METROCAP_LISTEN_ADDRESS=127.0.0.1:0");
  child_env.insert(child_env.end(), env.begin(), env.end());

  std::unique_ptr<ComponentProcess> process(new ComponentProcess());
  process->log_path_ = log_path;
  absl::StatusOr<pid_t> pid = ForkExec(binary, std::move(child_env), log_path);
  if (!pid.ok()) return pid.status();
  process->pid_ = *pid;
  absl::Status serving = PollUntil(
      [&]() -> absl::StatusOr<bool> {
        // The gateway names its gRPC port "grpcPort" (beside "httpPort").
        process->port_ = ServingPort(log_path, "port");
        if (process->port_ == 0) process->port_ = ServingPort(log_path, "grpcPort");
        if (process->port_ != 0) return true;
        if (!StillRunning(process->pid_)) {
          process->pid_ = -1;
          return absl::InternalError("it exited");
        }
        return false;
      },
      timeout, binary + " serving");
  if (!serving.ok()) {
    return absl::InternalError(
        absl::StrCat(binary, " did not start: ", serving.message(), "\n", TailOf(log_path)));
  }
  return process;
}

ComponentProcess::~ComponentProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  if (!WaitForExit(pid_, absl::Seconds(10)).ok()) {
    kill(pid_, SIGKILL);
    WaitForExit(pid_, absl::Seconds(10)).IgnoreError();
  }
}

int ComponentProcess::ServingPortOf(const std::string& field) const {
  return ServingPort(log_path_, field);
}

std::string ComponentProcess::address() const { return absl::StrCat("127.0.0.1:", port_); }

std::unique_ptr<ComponentProcess> StartTestComponent(
    const std::string& binary, const std::string& dir, const std::string& name,
    const std::string& credential, const std::string& admin_token, std::vector<std::string> env,
    std::vector<std::string>* log_paths) {
  env.push_back(absl::StrCat("METROCAP_DATA_DIR=", dir, "/", name));
  env.push_back(absl::StrCat("METROCAP_INTERNAL_CREDENTIAL=", credential));
  env.push_back(absl::StrCat("METROCAP_ADMIN_TOKEN=", admin_token));
  env.push_back("METROCAP_REFLECTION=false");
  env.push_back("METROCAP_SHUTDOWN_GRACE_SECONDS=1");
  env.push_back("METROCAP_DRAIN_DELAY_SECONDS=0");
  const std::string log_path = absl::StrCat(dir, "/", name, "-", log_paths->size(), ".log");
  log_paths->push_back(log_path);
  absl::StatusOr<std::unique_ptr<ComponentProcess>> process =
      ComponentProcess::Start(binary, env, log_path);
  EXPECT_TRUE(process.ok()) << process.status();
  return process.ok() ? *std::move(process) : nullptr;
}

std::shared_ptr<grpc::Channel> ChannelTo(const ComponentProcess& process) {
  return grpc::CreateChannel(process.address(), grpc::InsecureChannelCredentials());
}

std::unique_ptr<grpc::ClientContext> AsBootstrapAdmin(const std::string& admin_token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", absl::StrCat("Bearer ", admin_token));
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

void PrintLogTails(const std::vector<std::string>& log_paths) {
  for (const std::string& path : log_paths) {
    std::cerr << "---- " << path << " ----\n" << TailOf(path, 3000) << "\n";
  }
}

}  // namespace metrocap::testing
