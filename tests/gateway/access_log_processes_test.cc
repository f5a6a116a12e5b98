// The access log is buffered (common/log/log.h), and yet nothing is lost when a process is
// told to stop: every call a client saw answered, up to the last one served while the process
// drained after SIGTERM, has its line in the log once the process has exited — for a service
// (membership, over gRPC) and for the gateway (REST).
#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "tests/gateway/processes_fixture.h"

namespace metrocap::gateway::testing {
namespace {

using membership::v1::GetRegionRequest;
using membership::v1::MembershipService;
using membership::v1::Region;

// Lines of the log at `path` that are request lines for `method` with `status`.
int RequestLines(const std::string& path, absl::string_view method, absl::string_view status) {
  int count = 0;
  for (absl::string_view line : absl::StrSplit(TailOf(path, 256 << 20), '\n')) {
    if (absl::StrContains(line, "\"requestId\"") && absl::StrContains(line, method) &&
        absl::StrContains(line, absl::StrCat("\"status\":\"", status, "\""))) {
      ++count;
    }
  }
  return count;
}

class AccessLogTest : public ProcessesTest {
 protected:
  void SetUp() override {
    ProcessesTest::SetUp();
    ASSERT_EQ(
        Rest(kAdminToken, "POST", "/v1/regions?regionId=europe", R"({"displayName":"E"})").status,
        200);
  }

  // Runs `call` in a loop on a client thread (it counts what it saw answered), and once 50
  // calls were answered sends SIGTERM to `*pid` and waits for the process to exit, the
  // client still calling all the while.
  void CallAcrossSigterm(const std::function<void()>& call, const std::atomic<int>& ok,
                         pid_t* pid) {
    std::atomic<bool> stop{false};
    std::thread client([&] {
      while (!stop) call();
    });
    absl::Status answered = PollUntil([&]() -> absl::StatusOr<bool> { return ok >= 50; },
                                      absl::Seconds(10), "50 calls answered");
    bool exited = false;
    if (answered.ok() && kill(*pid, SIGTERM) == 0) {
      exited = WaitForExit(*pid, absl::Seconds(10)).ok();
      if (exited) *pid = -1;
    }
    stop = true;
    client.join();
    ASSERT_TRUE(answered.ok()) << answered;
    ASSERT_TRUE(exited) << "the process did not exit within 10 s of SIGTERM";
  }
};

TEST_F(AccessLogTest, ServiceWritesEveryAnsweredCallBeforeItExits) {
  auto stub = MembershipService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", membership_port_), grpc::InsecureChannelCredentials()));
  std::atomic<int> ok{0}, not_found{0};
  int i = 0;
  CallAcrossSigterm(
      [&] {
        grpc::ClientContext context;
        context.AddMetadata("authorization", absl::StrCat("Bearer ", kAdminToken));
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
        GetRegionRequest request;
        request.set_name(i++ % 10 == 0 ? "regions/nowhere" : "regions/europe");
        Region region;
        grpc::Status status = stub->GetRegion(&context, request, &region);
        if (status.ok()) ++ok;
        if (status.error_code() == grpc::StatusCode::NOT_FOUND) ++not_found;
      },
      ok, &membership_pid_);

  const std::string log = dir_ + "/membership.log";
  EXPECT_GE(RequestLines(log, "GetRegion", "OK"), ok.load()) << TailOf(log);
  EXPECT_GE(RequestLines(log, "GetRegion", "NOT_FOUND"), not_found.load()) << TailOf(log);
  EXPECT_GT(not_found, 0);
}

TEST_F(AccessLogTest, GatewayWritesEveryAnsweredRequestBeforeItExits) {
  std::atomic<int> ok{0};
  CallAcrossSigterm(
      [&] {
        if (Rest(kAdminToken, "GET", "/v1/regions/europe").status == 200) ++ok;
      },
      ok, &gateway_pid_);

  const std::string log = dir_ + "/gateway.log";
  EXPECT_GE(RequestLines(log, "regions/*}", "OK"), ok.load()) << TailOf(log);
}

}  // namespace
}  // namespace metrocap::gateway::testing
