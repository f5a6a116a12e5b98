#pragma once

#include <signal.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/gateway/harness.h"
#include "tests/support/process.h"

namespace metrocap::gateway::testing {

using ::metrocap::testing::FreeLoopbackPort;
using ::metrocap::testing::PollUntil;
using ::metrocap::testing::RunToCompletion;
using ::metrocap::testing::Spawn;
using ::metrocap::testing::StillRunning;
using ::metrocap::testing::TailOf;
using ::metrocap::testing::WaitForExit;

inline constexpr char kAdminToken[] = "processes-test-admin-token";
inline constexpr char kSecret[] = "processes-test-internal-credential";
inline constexpr char kDrainDelay[] = "METROCAP_DRAIN_DELAY_SECONDS=1";
inline constexpr char kShutdownGrace[] = "METROCAP_SHUTDOWN_GRACE_SECONDS=5";

// The real metrocap-membership (SQLite in a temporary directory) and metrocap-gateway in
// front of it, on free loopback ports, both draining for 1 s of a 5 s grace on SIGTERM.
class ProcessesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = metrocap::testing::MakeTempDir("gateway-processes");
    ASSERT_TRUE(dir.ok());
    dir_ = *dir;
    for (int* port : {&membership_port_, &http_port_, &grpc_port_}) {
      auto free = FreeLoopbackPort();
      ASSERT_TRUE(free.ok());
      *port = *free;
    }
    StartMembership();
    auto gateway = Spawn(
        {"/usr/bin/env", "-i", absl::StrCat("METROCAP_INTERNAL_CREDENTIAL=", kSecret),
         absl::StrCat("METROCAP_ADMIN_TOKEN=", kAdminToken),
         absl::StrCat("METROCAP_MEMBERSHIP_ADDRESS=127.0.0.1:", membership_port_),
         absl::StrCat("METROCAP_HTTP_LISTEN_ADDRESS=127.0.0.1:", http_port_),
         absl::StrCat("METROCAP_LISTEN_ADDRESS=127.0.0.1:", grpc_port_),
         "METROCAP_API_KEY_CACHE_SECONDS=1", "METROCAP_RATE_LIMIT_RPS=1000000",
         "METROCAP_RATE_LIMIT_BURST=1000000", kDrainDelay, kShutdownGrace, METROCAP_GATEWAY_BINARY},
        dir_ + "/gateway.log", {}, SIGKILL);
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_pid_ = *gateway;
    ASSERT_TRUE(WaitReady(true)) << TailOf(dir_ + "/gateway.log");
  }

  void TearDown() override {
    if (gateway_pid_ > 0 && StillRunning(gateway_pid_)) kill(gateway_pid_, SIGKILL);
    if (membership_pid_ > 0 && StillRunning(membership_pid_)) kill(membership_pid_, SIGKILL);
    if (gateway_pid_ > 0) (void)WaitForExit(gateway_pid_, absl::Seconds(10));
    if (membership_pid_ > 0) (void)WaitForExit(membership_pid_, absl::Seconds(10));
    metrocap::testing::RemoveTree(dir_);
  }

  void StartMembership() {
    auto membership =
        Spawn({"/usr/bin/env", "-i", absl::StrCat("METROCAP_INTERNAL_CREDENTIAL=", kSecret),
               absl::StrCat("METROCAP_ADMIN_TOKEN=", kAdminToken),
               absl::StrCat("METROCAP_LISTEN_ADDRESS=127.0.0.1:", membership_port_),
               absl::StrCat("METROCAP_DATA_DIR=", dir_, "/data"), kDrainDelay, kShutdownGrace,
               METROCAP_MEMBERSHIP_BINARY},
              dir_ + "/membership.log", {}, SIGKILL);
    ASSERT_TRUE(membership.ok()) << membership.status();
    membership_pid_ = *membership;
  }

  // Waits until /readyz reports membership (the only backend running here; the others
  // stay NOT_SERVING, so /readyz as a whole is 503) as `serving` or not.
  bool WaitReady(bool serving) {
    const std::string expected =
        absl::StrCat(R"("membership":")", serving ? "SERVING" : "NOT_SERVING", R"(")");
    return PollUntil(
               [&]() -> absl::StatusOr<bool> {
                 if (!StillRunning(gateway_pid_)) return absl::InternalError("gateway exited");
                 return Http(http_port_, "GET", "/readyz").body.find(expected) != std::string::npos;
               },
               absl::Seconds(20), "gateway /readyz")
        .ok();
  }

  HttpResult Rest(const std::string& key, const std::string& method, const std::string& target,
                  const std::string& body = "") {
    return Http(http_port_, method, target, body, {{"Authorization", "Bearer " + key}});
  }

  std::string dir_;
  int membership_port_ = 0, http_port_ = 0, grpc_port_ = 0;
  pid_t membership_pid_ = -1, gateway_pid_ = -1;
};

}  // namespace metrocap::gateway::testing
