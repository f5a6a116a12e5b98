// The real metrocap-membership binary keeps every write it acknowledged: several threads
// write regions and organisations, the process is killed with SIGKILL in the middle of the
// stream, started again on the same data directory, and every acknowledged write is read
// back unchanged.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/wrappers.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "tests/support/poll.h"
#include "tests/support/temp_dir.h"

extern char** environ;

namespace metrocap::membership {
namespace {

namespace v1 = ::metrocap::membership::v1;

constexpr char kAdminToken[] = "durability-test-admin-token";

// A port nobody listens on right now: bind port 0 on loopback, read it, close it.
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// One run of the binary, its output appended to `log_path`. Killed if still running when
// destroyed.
class MembershipProcess {
 public:
  MembershipProcess(const std::string& data_dir, int port, const std::string& log_path)
      : log_path_(log_path) {
    // The environment: ours without any METROCAP_ setting, plus the test's.
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::string(*e).rfind("METROCAP_", 0) != 0) env.emplace_back(*e);
    }
    env.push_back(absl::StrCat("METROCAP_LISTEN_ADDRESS=127.0.0.1:", port));
    env.push_back("METROCAP_DATA_DIR=" + data_dir);
    env.push_back(absl::StrCat("METROCAP_ADMIN_TOKEN=", kAdminToken));
    env.push_back("METROCAP_REFLECTION=false");
    std::vector<char*> envp;
    for (std::string& entry : env) envp.push_back(entry.data());
    envp.push_back(nullptr);
    std::string binary = METROCAP_MEMBERSHIP_BINARY;
    char* argv[] = {binary.data(), nullptr};

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    int error = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) pid_ = -1;
  }

  ~MembershipProcess() {
    if (running()) {
      kill(pid_, SIGKILL);
      Wait();
    }
  }

  bool started() const { return pid_ > 0; }
  bool running() const { return pid_ > 0 && !exited_; }
  // False once the process has ended (without blocking).
  bool Alive() {
    if (!running()) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      status_ = status;
    }
    return !exited_;
  }
  void Signal(int signal) { kill(pid_, signal); }
  // Waits for the process to end; returns its wait status.
  int Wait() {
    if (!exited_) {
      waitpid(pid_, &status_, 0);
      exited_ = true;
    }
    return status_;
  }
  std::string Log() const { return ReadFile(log_path_); }

 private:
  std::string log_path_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
};

// grpc.health.v1.Health/Check through the generic stub, so the test needs no generated
// health code: the empty request is HealthCheckRequest{service: ""} on the wire, and
// HealthCheckResponse's `status` is field 1 (a varint), exactly as Int32Value's `value`.
constexpr int kServing = 1;

bool WaitForServing(const std::shared_ptr<grpc::Channel>& channel, MembershipProcess& process,
                    std::chrono::seconds limit) {
  grpc::TemplatedGenericStub<google::protobuf::Empty, google::protobuf::Int32Value> health(channel);
  auto serving = [&]() -> absl::StatusOr<bool> {
    if (!process.Alive()) return absl::InternalError("metrocap-membership exited");
    grpc::ClientContext context;
    context.set_wait_for_ready(true);  // blocks until the port accepts, instead of sleeping
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
    google::protobuf::Empty request;
    google::protobuf::Int32Value response;
    std::promise<grpc::Status> done;
    health.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                     &response, [&done](grpc::Status status) { done.set_value(status); });
    grpc::Status status = done.get_future().get();
    // Up but NOT_SERVING (still migrating), or not up yet: ask again shortly.
    return status.ok() && response.value() == kServing;
  };
  return metrocap::testing::PollUntil(serving, absl::FromChrono(limit), "membership SERVING").ok();
}

void AsAdmin(grpc::ClientContext* context) {
  context->AddMetadata("authorization", absl::StrCat("Bearer ", kAdminToken));
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
}

// What the server acknowledged: a name and the etag it returned.
struct Acknowledged {
  std::string name;
  std::string etag;
  std::string display_name;
};

class DurabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = metrocap::testing::MakeTempDir("membership-durability");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *std::move(dir);
    data_dir_ = dir_ + "/data";
    log_path_ = dir_ + "/membership.log";
  }
  void TearDown() override {
    if (HasFailure()) {
      std::cerr << "---- metrocap-membership output ----\n" << ReadFile(log_path_);
    }
    metrocap::testing::RemoveTree(dir_);
  }

  // Starts the binary on a fresh port and waits until it reports SERVING.
  std::unique_ptr<MembershipProcess> StartServing(
      std::unique_ptr<v1::MembershipService::Stub>* stub) {
    int port = FreePort();
    EXPECT_NE(port, 0);
    auto process = std::make_unique<MembershipProcess>(data_dir_, port, log_path_);
    EXPECT_TRUE(process->started()) << METROCAP_MEMBERSHIP_BINARY;
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
    EXPECT_TRUE(WaitForServing(channel, *process, std::chrono::seconds(30)))
        << "metrocap-membership did not report SERVING on port " << port;
    *stub = v1::MembershipService::NewStub(channel);
    return process;
  }

  std::string dir_;
  std::string data_dir_;
  std::string log_path_;
};

TEST_F(DurabilityTest, EveryAcknowledgedWriteSurvivesKillNine) {
  std::unique_ptr<v1::MembershipService::Stub> stub;
  auto process = StartServing(&stub);
  ASSERT_FALSE(HasFailure());

  {
    grpc::ClientContext context;
    AsAdmin(&context);
    v1::CreateRegionRequest request;
    request.set_region_id("europe");
    request.mutable_region()->set_display_name("Europe");
    v1::Region region;
    grpc::Status status = stub->CreateRegion(&context, request, &region);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Writers: three create organisations, one creates regions, until the server goes away.
  constexpr int kOrganisationWriters = 3;
  // Acknowledged writes of each kind before the kill. (SQLite's busy handler is not fair,
  // so the lone region writer may wait a while for its turn: wait for both counts.)
  constexpr size_t kOrganisationsBeforeKill = 45;
  constexpr size_t kRegionsBeforeKill = 5;
  std::mutex mu;
  std::condition_variable enough;
  std::vector<Acknowledged> organisations;
  std::vector<Acknowledged> regions;
  std::atomic<bool> killed{false};
  std::atomic<int> failures_before_kill{0};
  std::string first_failure;

  auto record = [&](std::vector<Acknowledged>* into, Acknowledged ack) {
    std::lock_guard<std::mutex> lock(mu);
    into->push_back(std::move(ack));
    enough.notify_all();
  };
  auto failed = [&](const grpc::Status& status) {
    if (killed) return;  // expected: the server is gone
    std::lock_guard<std::mutex> lock(mu);
    if (failures_before_kill++ == 0) first_failure = status.error_message();
    enough.notify_all();
  };

  std::vector<std::thread> writers;
  for (int w = 0; w < kOrganisationWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 10000; ++i) {
        v1::CreateOrganisationRequest request;
        request.set_organisation_id(absl::StrFormat("org-%d-%04d", w, i));
        v1::Organisation* o = request.mutable_organisation();
        o->set_display_name(absl::StrFormat("Organisation %d/%d", w, i));
        o->set_kind(v1::Organisation::CITY);
        o->set_country_code("ES");
        o->set_region("regions/europe");
        o->set_population(1000 * i + w);
        grpc::ClientContext context;
        AsAdmin(&context);
        v1::Organisation created;
        grpc::Status status = stub->CreateOrganisation(&context, request, &created);
        if (!status.ok()) {
          failed(status);
          return;
        }
        record(&organisations, {created.name(), created.etag(), created.display_name()});
      }
    });
  }
  writers.emplace_back([&] {
    for (int i = 0; i < 10000; ++i) {
      v1::CreateRegionRequest request;
      request.set_region_id(absl::StrFormat("region-%04d", i));
      request.mutable_region()->set_display_name(absl::StrFormat("Region %d", i));
      grpc::ClientContext context;
      AsAdmin(&context);
      v1::Region created;
      grpc::Status status = stub->CreateRegion(&context, request, &created);
      if (!status.ok()) {
        failed(status);
        return;
      }
      record(&regions, {created.name(), created.etag(), created.display_name()});
    }
  });

  {
    std::unique_lock<std::mutex> lock(mu);
    bool reached = enough.wait_for(lock, std::chrono::seconds(60), [&] {
      return (organisations.size() >= kOrganisationsBeforeKill &&
              regions.size() >= kRegionsBeforeKill) ||
             failures_before_kill > 0;
    });
    EXPECT_TRUE(reached) << "in 60 s only " << organisations.size() << " organisations and "
                         << regions.size() << " regions were acknowledged";
    // Kill while holding the lock: no acknowledgement can be recorded between the decision
    // and the kill, and writes are in flight on the other threads.
    killed = true;
    process->Signal(SIGKILL);
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_TRUE(WIFSIGNALED(process->Wait()));
  EXPECT_EQ(failures_before_kill.load(), 0) << first_failure;

  // Again, on the same data directory.
  process = StartServing(&stub);
  ASSERT_FALSE(HasFailure());
  for (const Acknowledged& ack : organisations) {
    grpc::ClientContext context;
    AsAdmin(&context);
    v1::GetOrganisationRequest request;
    request.set_name(ack.name);
    v1::Organisation found;
    grpc::Status status = stub->GetOrganisation(&context, request, &found);
    ASSERT_TRUE(status.ok()) << ack.name
                             << " was acknowledged but is lost: " << status.error_message();
    EXPECT_EQ(found.etag(), ack.etag) << ack.name;
    EXPECT_EQ(found.display_name(), ack.display_name) << ack.name;
  }
  for (const Acknowledged& ack : regions) {
    grpc::ClientContext context;
    AsAdmin(&context);
    v1::GetRegionRequest request;
    request.set_name(ack.name);
    v1::Region found;
    grpc::Status status = stub->GetRegion(&context, request, &found);
    ASSERT_TRUE(status.ok()) << ack.name
                             << " was acknowledged but is lost: " << status.error_message();
    EXPECT_EQ(found.etag(), ack.etag) << ack.name;
  }

  // The restarted server still takes writes, and a clean SIGTERM ends it with status 0.
  {
    grpc::ClientContext context;
    AsAdmin(&context);
    v1::CreateRegionRequest request;
    request.set_region_id("after-restart");
    request.mutable_region()->set_display_name("After restart");
    v1::Region region;
    grpc::Status status = stub->CreateRegion(&context, request, &region);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
  process->Signal(SIGTERM);
  int status = process->Wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
  std::cerr << "acknowledged before kill -9: " << organisations.size() << " organisations, "
            << regions.size() << " regions\n";
}

}  // namespace
}  // namespace metrocap::membership
