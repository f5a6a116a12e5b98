// The gateway and membership as real processes (the binaries CI builds), talking over
// loopback: readiness, a partner key created through the gateway, REST and gRPC calls with
// it, membership going down and coming back, and a graceful SIGTERM; and the configuration
// names the binary reads (METROCAP_CONFIG, METROCAP_HTTP_LISTEN_ADDRESS) and refuses.
#include <signal.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "tests/gateway/processes_fixture.h"

namespace metrocap::gateway::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(ProcessesTest, EndToEndThroughRealBinaries) {
  EXPECT_EQ(Http(http_port_, "GET", "/healthz").status, 200);
  HttpResult ready = Http(http_port_, "GET", "/readyz");
  EXPECT_EQ(ready.status, 503);  // assessment, roadmaps and hubs are not running.
  EXPECT_THAT(ready.body, HasSubstr(R"("assessment":"NOT_SERVING")"));
  ASSERT_EQ(Rest(kAdminToken, "POST", "/v1/regions?regionId=europe", R"({"displayName":"Europe"})")
                .status,
            200);
  ASSERT_EQ(Rest(kAdminToken, "POST", "/v1/partners?partnerId=lab",
                 R"({"displayName":"Lab","role":"VIEWER"})")
                .status,
            200);
  HttpResult created =
      Rest(kAdminToken, "POST", "/v1/partners/lab/apiKeys", R"({"displayName":"k"})");
  ASSERT_EQ(created.status, 200) << created.body;
  membership::v1::ApiKey key;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(created.body, &key).ok());

  HttpResult region = Rest(key.secret(), "GET", "/v1/regions/europe");
  EXPECT_EQ(region.status, 200) << region.body;
  EXPECT_THAT(region.body, HasSubstr(R"("displayName":"Europe")"));
  EXPECT_FALSE(region.headers["etag"].empty());
  EXPECT_EQ(
      Rest(key.secret(), "POST", "/v1/regions?regionId=asia", R"({"displayName":"A"})").status,
      403);

  auto stub = membership::v1::MembershipService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", grpc_port_), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + key.secret());
  membership::v1::GetRegionRequest request;
  request.set_name("regions/europe");
  membership::v1::Region got;
  grpc::Status status = stub->GetRegion(&context, request, &got);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(got.display_name(), "Europe");

  // Membership down: not ready, 503 (not a hang); back: ready and serving again.
  kill(membership_pid_, SIGTERM);
  ASSERT_TRUE(WaitForExit(membership_pid_, absl::Seconds(30)).ok());
  membership_pid_ = -1;
  ASSERT_TRUE(WaitReady(false));
  absl::Time start = absl::Now();
  EXPECT_EQ(Rest(kAdminToken, "GET", "/v1/regions/europe").status, 503);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  StartMembership();
  ASSERT_TRUE(WaitReady(true)) << TailOf(dir_ + "/membership.log");
  EXPECT_EQ(Rest(key.secret(), "GET", "/v1/regions/europe").status, 200);

  // Graceful shutdown on SIGTERM: exit status 0.
  kill(gateway_pid_, SIGTERM);
  ASSERT_TRUE(WaitForExit(gateway_pid_, absl::Seconds(30)).ok());
  gateway_pid_ = -1;
  EXPECT_THAT(TailOf(dir_ + "/gateway.log"), HasSubstr("shutting down"));
}

// The names earlier gateway builds read stop it at start-up with the name to use instead,
// rather than letting it listen on the defaults.
TEST(GatewayConfigurationTest, RenamedVariablesAreRefusedNamingTheirReplacement) {
  auto dir = metrocap::testing::MakeTempDir("gateway-renamed");
  ASSERT_TRUE(dir.ok());
  const std::pair<std::string, std::string> cases[] = {
      {"METROCAP_HTTP_ADDRESS=127.0.0.1:0", "METROCAP_HTTP_LISTEN_ADDRESS"},
      {"METROCAP_CONFIG_FILE=" + *dir + "/gateway.env", "METROCAP_CONFIG"},
  };
  for (const auto& [old_setting, replacement] : cases) {
    const std::string log = *dir + "/" + replacement + ".log";
    absl::Status run = RunToCompletion(
        {"/usr/bin/env", "-i", absl::StrCat("METROCAP_INTERNAL_CREDENTIAL=", kSecret),
         "METROCAP_LISTEN_ADDRESS=127.0.0.1:0", "METROCAP_HTTP_LISTEN_ADDRESS=127.0.0.1:0",
         old_setting, METROCAP_GATEWAY_BINARY},
        log, {}, absl::Seconds(30));
    EXPECT_FALSE(run.ok()) << old_setting;
    EXPECT_THAT(TailOf(log), HasSubstr(absl::StrCat("set ", replacement, " instead")))
        << old_setting;
  }
  metrocap::testing::RemoveTree(*dir);
}

// METROCAP_CONFIG names a KEY=VALUE file, read as the services read theirs.
TEST(GatewayConfigurationTest, ReadsTheFileNamedByMetrocapConfig) {
  auto dir = metrocap::testing::MakeTempDir("gateway-config-file");
  ASSERT_TRUE(dir.ok());
  auto http_port = FreeLoopbackPort();
  auto grpc_port = FreeLoopbackPort();
  ASSERT_TRUE(http_port.ok() && grpc_port.ok());
  const std::string file = *dir + "/gateway.env";
  {
    std::ofstream out(file);
    out << "# settings for the test gateway\n"
        << "METROCAP_HTTP_LISTEN_ADDRESS=127.0.0.1:" << *http_port << "\n"
        << "METROCAP_LISTEN_ADDRESS=127.0.0.1:" << *grpc_port << "\n"
        << "METROCAP_INTERNAL_CREDENTIAL=" << kSecret << "\n";
  }
  auto gateway = Spawn({"/usr/bin/env", "-i", "METROCAP_CONFIG=" + file, METROCAP_GATEWAY_BINARY},
                       *dir + "/gateway.log", {}, SIGKILL);
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  EXPECT_TRUE(PollUntil(
                  [&]() -> absl::StatusOr<bool> {
                    if (!StillRunning(*gateway)) return absl::InternalError("gateway exited");
                    return Http(*http_port, "GET", "/healthz").status == 200;
                  },
                  absl::Seconds(20), "gateway /healthz on the port from the file")
                  .ok())
      << TailOf(*dir + "/gateway.log");
  kill(*gateway, SIGTERM);
  EXPECT_TRUE(WaitForExit(*gateway, absl::Seconds(30)).ok());
  metrocap::testing::RemoveTree(*dir);
}

}  // namespace
}  // namespace metrocap::gateway::testing
