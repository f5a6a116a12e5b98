// The gRPC bootstrap: health reporting, graceful shutdown that finishes in-flight calls and
// refuses new ones, the message size limit and a refused bind.
#include "common/server/server.h"

#include <atomic>
#include <memory>
#include <thread>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/common/server/probe_service.h"

namespace metrocap::server {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using ::metrocap::testing::StatusIs;
using servertest::v1::HoldRequest;
using servertest::v1::HoldResponse;
using servertest::v1::PingRequest;
using servertest::v1::PingResponse;
using testing::ProbeService;
using testing::ProbeStub;

ServerOptions Loopback(absl::Duration grace = absl::Seconds(30)) {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.shutdown_grace = grace;
  options.max_threads = 8;
  return options;
}

constexpr char kProbeName[] = "metrocap.servertest.v1.Probe";
constexpr char kMirrorName[] = "metrocap.servertest.v1.Mirror";

// grpc.health.v1 Check of `service` ("" is the server as a whole) as a client sees it.
// A name the server does not know is reported as SERVICE_UNKNOWN (gRPC answers NOT_FOUND).
HealthCheckResponse::ServingStatus HealthOf(int port, const std::string& service = "") {
  auto stub = Health::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    return HealthCheckResponse::SERVICE_UNKNOWN;
  }
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.status();
}

grpc::Status Ping(servertest::v1::Probe::Stub& stub, const PingRequest& request = {}) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", std::string("Bearer ") + testing::kAdminToken);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  PingResponse response;
  return stub.Ping(&context, request, &response);
}

TEST(GrpcServerTest, NotServingUntilReadyThenServing) {
  ProbeService probe;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<GrpcServer> server,
                       GrpcServer::Start("probe", Loopback(), {&probe}));
  ASSERT_GT(server->port(), 0);
  EXPECT_EQ(HealthOf(server->port()), HealthCheckResponse::NOT_SERVING);
  // Calls are answered while starting; readiness is what load balancers wait for.
  auto stub = ProbeStub(server->port());
  EXPECT_TRUE(Ping(*stub).ok());
  server->SetServing(true);
  EXPECT_EQ(HealthOf(server->port()), HealthCheckResponse::SERVING);
  server->SetServing(false);
  EXPECT_EQ(HealthOf(server->port()), HealthCheckResponse::NOT_SERVING);
  server->SetServing(true);
  EXPECT_EQ(HealthOf(server->port()), HealthCheckResponse::SERVING);
  server->Shutdown();
  server->Shutdown();  // Idempotent.
}

// Kubernetes' gRPC probes ask one name each: readiness a service's full name, liveness
// kLivenessHealthName. Every registered service follows SetServing together with "";
// liveness stays SERVING whatever the readiness.
TEST(GrpcServerTest, EveryRegisteredServiceNameFollowsReadinessAndLivenessStaysServing) {
  ProbeService probe;
  servertest::v1::Mirror::Service mirror;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<GrpcServer> server,
                       GrpcServer::Start("probe", Loopback(), {&probe, &mirror}));
  EXPECT_THAT(server->service_names(), ::testing::UnorderedElementsAre(kProbeName, kMirrorName));
  const int port = server->port();
  for (const char* name : {"", kProbeName, kMirrorName}) {
    EXPECT_EQ(HealthOf(port, name), HealthCheckResponse::NOT_SERVING) << name;
  }
  EXPECT_EQ(HealthOf(port, kLivenessHealthName), HealthCheckResponse::SERVING);
  EXPECT_EQ(HealthOf(port, "metrocap.servertest.v1.Nothing"), HealthCheckResponse::SERVICE_UNKNOWN);
  // gRPC's own services are not the component's API and get no status.
  EXPECT_EQ(HealthOf(port, "grpc.health.v1.Health"), HealthCheckResponse::SERVICE_UNKNOWN);

  server->SetServing(true);
  for (const char* name : {"", kProbeName, kMirrorName, kLivenessHealthName}) {
    EXPECT_EQ(HealthOf(port, name), HealthCheckResponse::SERVING) << name;
  }
  server->SetServing(false);
  for (const char* name : {"", kProbeName, kMirrorName}) {
    EXPECT_EQ(HealthOf(port, name), HealthCheckResponse::NOT_SERVING) << name;
  }
  EXPECT_EQ(HealthOf(port, kLivenessHealthName), HealthCheckResponse::SERVING);
}

TEST(GrpcServerTest, WithoutReflectionTheServiceNamesAreTheSame) {
  ProbeService probe;
  ServerOptions options = Loopback();
  options.reflection = false;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<GrpcServer> server,
                       GrpcServer::Start("probe", options, {&probe}));
  EXPECT_THAT(server->service_names(), ::testing::ElementsAre(kProbeName));
}

// Clients are sent away after max_connection_age (so that they resolve DNS again) and
// reconnect on their own: calls before and after succeed.
TEST(GrpcServerTest, ConnectionsAreRecycledAfterTheirMaximumAge) {
  ProbeService probe;
  ServerOptions options = Loopback();
  options.max_connection_age = absl::Milliseconds(300);
  options.max_connection_age_grace = absl::Seconds(5);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<GrpcServer> server,
                       GrpcServer::Start("probe", options, {&probe}));
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server->port()),
                                     grpc::InsecureChannelCredentials());
  auto stub = servertest::v1::Probe::NewStub(channel);
  ASSERT_TRUE(Ping(*stub).ok());
  ASSERT_EQ(channel->GetState(false), GRPC_CHANNEL_READY);
  // The server's GOAWAY takes the connection out of READY; waiting is bounded, not a sleep.
  EXPECT_TRUE(channel->WaitForStateChange(
      GRPC_CHANNEL_READY, std::chrono::system_clock::now() + std::chrono::seconds(20)));
  EXPECT_TRUE(Ping(*stub).ok());
}

TEST(GrpcServerTest, ShutdownFinishesInFlightCallsAndRefusesNewOnes) {
  ProbeService probe;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<GrpcServer> server,
                       GrpcServer::Start("probe", Loopback(absl::Seconds(60)), {&probe}));
  server->SetServing(true);
  auto stub = ProbeStub(server->port());

  std::atomic<bool> held_done{false};
  grpc::Status held_status;
  HoldResponse held_response;
  std::thread holder([&] {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    held_status = stub->Hold(&context, HoldRequest(), &held_response);
    held_done = true;
  });
  probe.AwaitHolds(1);

  // A load balancer watching health sees SERVING, then NOT_SERVING as soon as draining starts.
  auto health = Health::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(server->port()),
                                                    grpc::InsecureChannelCredentials()));
  grpc::ClientContext watch_context;
  std::unique_ptr<grpc::ClientReader<HealthCheckResponse>> watch =
      health->Watch(&watch_context, HealthCheckRequest());
  HealthCheckResponse watched;
  EXPECT_TRUE(watch->Read(&watched));
  EXPECT_EQ(watched.status(), HealthCheckResponse::SERVING);
  // The readiness probe's name, watched the same way.
  grpc::ClientContext named_watch_context;
  HealthCheckRequest named;
  named.set_service(kProbeName);
  std::unique_ptr<grpc::ClientReader<HealthCheckResponse>> named_watch =
      health->Watch(&named_watch_context, named);
  HealthCheckResponse named_watched;
  EXPECT_TRUE(named_watch->Read(&named_watched));
  EXPECT_EQ(named_watched.status(), HealthCheckResponse::SERVING);

  std::atomic<bool> shut_down{false};
  std::thread stopper([&] {
    server->Shutdown();
    shut_down = true;
  });

  // New calls are refused once draining has begun. The first refused Ping tells us so.
  grpc::Status refused;
  for (int attempt = 0; attempt < 2000; ++attempt) {
    refused = Ping(*stub);
    if (!refused.ok()) break;
  }
  EXPECT_FALSE(refused.ok()) << "new calls were still accepted while draining";
  // gRPC core answers a call arriving on an existing connection during the drain with
  // CANCELLED, and a call needing a new connection with UNAVAILABLE.
  EXPECT_THAT(refused.error_code(),
              ::testing::AnyOf(grpc::StatusCode::CANCELLED, grpc::StatusCode::UNAVAILABLE))
      << refused.error_message();
  // A fresh connection is refused too.
  EXPECT_THAT(Ping(*ProbeStub(server->port())).error_code(),
              ::testing::AnyOf(grpc::StatusCode::CANCELLED, grpc::StatusCode::UNAVAILABLE));

  // (EXPECT, not ASSERT, from here on: the threads above must be joined.)
  EXPECT_TRUE(watch->Read(&watched));
  EXPECT_EQ(watched.status(), HealthCheckResponse::NOT_SERVING);
  watch_context.TryCancel();
  watch->Finish().IgnoreError();
  EXPECT_TRUE(named_watch->Read(&named_watched));
  EXPECT_EQ(named_watched.status(), HealthCheckResponse::NOT_SERVING);
  named_watch_context.TryCancel();
  named_watch->Finish().IgnoreError();

  // The in-flight call is still running and the server waits for it.
  EXPECT_FALSE(held_done.load());
  EXPECT_FALSE(shut_down.load());
  probe.Release();
  holder.join();
  stopper.join();
  EXPECT_TRUE(held_status.ok()) << held_status.error_message();
  EXPECT_TRUE(held_response.released());
  EXPECT_TRUE(shut_down.load());
}

TEST(GrpcServerTest, CallsStillRunningAfterTheGracePeriodAreCancelled) {
  ProbeService probe;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<GrpcServer> server,
                       GrpcServer::Start("probe", Loopback(absl::Milliseconds(200)), {&probe}));
  auto stub = ProbeStub(server->port());
  grpc::Status held_status;
  HoldResponse held_response;
  std::thread holder([&] {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    held_status = stub->Hold(&context, HoldRequest(), &held_response);
  });
  probe.AwaitHolds(1);
  absl::Time start = absl::Now();
  server->Shutdown();  // Never released: must give up after the grace period.
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
  holder.join();
  EXPECT_FALSE(held_status.ok());
  EXPECT_FALSE(held_response.released());
}

TEST(GrpcServerTest, MessagesOverTheLimitAreRefused) {
  ProbeService probe;
  ServerOptions options = Loopback();
  options.max_message_bytes = 1024;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<GrpcServer> server,
                       GrpcServer::Start("probe", options, {&probe}));
  auto stub = ProbeStub(server->port());
  PingRequest small;
  small.set_padding(std::string(512, 'x'));
  EXPECT_TRUE(Ping(*stub, small).ok());
  PingRequest large;
  large.set_padding(std::string(4096, 'x'));
  EXPECT_EQ(Ping(*stub, large).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(GrpcServerTest, AddressThatCannotBeBoundIsUnavailable) {
  ProbeService probe;
  ServerOptions options = Loopback();
  options.listen_address = "192.0.2.1:0";  // TEST-NET-1: never an address of this machine.
  EXPECT_THAT(GrpcServer::Start("probe", options, {&probe}),
              StatusIs(absl::StatusCode::kUnavailable, ::testing::HasSubstr("192.0.2.1:0")));
}

TEST(ServerOptionsTest, TakenFromTheComponentConfig) {
  config::ComponentConfig config;
  config.listen_address = "127.0.0.1:6001";
  config.reflection = false;
  config.max_threads = 12;
  config.shutdown_grace = absl::Seconds(7);
  config.max_message_bytes = 2048;
  ServerOptions options = ServerOptionsFrom(config);
  EXPECT_EQ(options.listen_address, "127.0.0.1:6001");
  EXPECT_FALSE(options.reflection);
  EXPECT_EQ(options.max_threads, 12);
  EXPECT_EQ(options.shutdown_grace, absl::Seconds(7));
  EXPECT_EQ(options.max_message_bytes, 2048);
}

}  // namespace
}  // namespace metrocap::server
