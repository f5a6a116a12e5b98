// SIGTERM under keep-alive load, the way Kubernetes ends a pod: readiness turns NOT_SERVING
// at once, requests keep being answered (HTTP with `Connection: close`) through the drain
// delay while endpoints update, then the process exits. Eight clients on kept-alive
// connections send until the "endpoints" (this test, watching readiness) move them away,
// and not one request fails — for the gateway and for a service (membership).
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_join.h"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "tests/gateway/processes_fixture.h"

namespace metrocap::gateway::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

constexpr int kClients = 8;

// What the load saw. A failure is any request without its answer: an error status, a
// connection refused or reset, a response that never came.
struct Load {
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::atomic<int> closes{0};  // responses that said `Connection: close`
  std::mutex mu;
  std::vector<std::string> failures;

  void Fail(const std::string& what) {
    ++failed;
    std::lock_guard<std::mutex> lock(mu);
    if (failures.size() < 10) failures.push_back(what);
  }
};

// One keep-alive HTTP/1.1 client: GET `target` again and again on one connection, opening
// a new one only when a response says `Connection: close`.
void HttpClient(int port, const std::string& target, Load* load) {
  boost::asio::io_context io;
  std::unique_ptr<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  while (!load->stop) {
    beast::error_code ec;
    if (stream == nullptr) {
      stream = std::make_unique<beast::tcp_stream>(io);
      stream->expires_after(std::chrono::seconds(10));
      stream->connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                                     static_cast<unsigned short>(port)),
                      ec);
      if (ec) {
        load->Fail("connect: " + ec.message());
        stream.reset();
        continue;
      }
      buffer.clear();
    }
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::authorization, absl::StrCat("Bearer ", kAdminToken));
    request.keep_alive(true);
    stream->expires_after(std::chrono::seconds(10));
    http::write(*stream, request, ec);
    http::response<http::string_body> response;
    if (!ec) http::read(*stream, buffer, response, ec);
    if (ec) {
      load->Fail("request: " + ec.message());
      stream.reset();
      continue;
    }
    if (response.result_int() == 200) {
      ++load->ok;
    } else {
      load->Fail(absl::StrCat(response.result_int(), " ", response.body()));
    }
    if (!response.keep_alive()) {
      ++load->closes;
      stream.reset();
    }
  }
}

// One gRPC client on a channel (and so a connection) of its own.
void GrpcClient(int port, int id, Load* load) {
  grpc::ChannelArguments args;
  args.SetInt("metrocap.test.client", id);  // distinct arguments: no shared connection
  auto stub = membership::v1::MembershipService::NewStub(grpc::CreateCustomChannel(
      absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials(), args));
  while (!load->stop) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kAdminToken));
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    membership::v1::GetRegionRequest request;
    request.set_name("regions/europe");
    membership::v1::Region region;
    grpc::Status status = stub->GetRegion(&context, request, &region);
    if (status.ok()) {
      ++load->ok;
    } else {
      load->Fail(absl::StrCat("grpc ", status.error_code(), ": ", status.error_message()));
    }
  }
}

// Whether the server on `port` reports its readiness ("") as NOT_SERVING.
absl::StatusOr<bool> NotServing(Health::Stub& health) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
  HealthCheckResponse response;
  grpc::Status status = health.Check(&context, HealthCheckRequest(), &response);
  if (!status.ok()) return absl::InternalError("health check failed: " + status.error_message());
  return response.status() == HealthCheckResponse::NOT_SERVING;
}

std::unique_ptr<Health::Stub> HealthStub(int port) {
  return Health::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
}

class DrainTest : public ProcessesTest {
 protected:
  // Starts the clients and waits until every one has been answered a few times.
  void StartLoad(const std::function<void(int)>& client) {
    for (int i = 0; i < kClients; ++i) clients_.emplace_back([client, i] { client(i); });
    ASSERT_TRUE(PollUntil([&]() -> absl::StatusOr<bool> { return load_.ok >= kClients * 5; },
                          absl::Seconds(20), "the load running")
                    .ok())
        << "failed: " << load_.failed;
  }
  void StopLoad() {
    load_.stop = true;
    for (auto& thread : clients_) thread.join();
    clients_.clear();
  }
  void TearDown() override {
    StopLoad();
    ProcessesTest::TearDown();
  }
  std::string Failures() {
    std::lock_guard<std::mutex> lock(load_.mu);
    return absl::StrJoin(load_.failures, "\n");
  }

  Load load_;
  std::vector<std::thread> clients_;
};

TEST_F(DrainTest, GatewayAnswersEveryKeptAliveRequestAcrossSigterm) {
  ASSERT_EQ(
      Rest(kAdminToken, "POST", "/v1/regions?regionId=europe", R"({"displayName":"E"})").status,
      200);
  StartLoad([this](int) { HttpClient(http_port_, "/v1/regions/europe", &load_); });
  auto health = HealthStub(grpc_port_);

  ASSERT_EQ(kill(gateway_pid_, SIGTERM), 0);
  const int answered_before = load_.ok;
  // Readiness turns first...
  ASSERT_TRUE(PollUntil([&] { return NotServing(*health); }, absl::Seconds(5),
                        "the gateway's readiness NOT_SERVING")
                  .ok());
  EXPECT_EQ(Http(http_port_, "GET", "/readyz").status, 503);
  // ...and while the endpoints would be updating, every client is still answered and told
  // to reconnect (which it does, and is answered again).
  ASSERT_TRUE(PollUntil([&]() -> absl::StatusOr<bool> { return load_.closes >= 2 * kClients; },
                        absl::Seconds(5), "every client told `Connection: close` twice")
                  .ok())
      << "closes: " << load_.closes << "\n"
      << Failures();
  StopLoad();  // The endpoints have moved the clients away.

  EXPECT_EQ(load_.failed, 0) << Failures();
  EXPECT_GT(load_.ok, answered_before);
  ASSERT_TRUE(WaitForExit(gateway_pid_, absl::Seconds(10)).ok());
  gateway_pid_ = -1;
  EXPECT_THAT(TailOf(dir_ + "/gateway.log", 64 << 20), ::testing::HasSubstr("\"draining\""));
}

TEST_F(DrainTest, ServiceAnswersEveryCallAcrossSigterm) {
  ASSERT_EQ(
      Rest(kAdminToken, "POST", "/v1/regions?regionId=europe", R"({"displayName":"E"})").status,
      200);
  StartLoad([this](int id) { GrpcClient(membership_port_, id, &load_); });
  auto health = HealthStub(membership_port_);

  ASSERT_EQ(kill(membership_pid_, SIGTERM), 0);
  ASSERT_TRUE(PollUntil([&] { return NotServing(*health); }, absl::Seconds(5),
                        "membership's readiness NOT_SERVING")
                  .ok());
  // Calls keep coming on the open connections after readiness turned, and are answered.
  const int answered_when_not_serving = load_.ok;
  ASSERT_TRUE(PollUntil(
                  [&]() -> absl::StatusOr<bool> {
                    return load_.ok >= answered_when_not_serving + 20 * kClients;
                  },
                  absl::Seconds(5), "calls answered while draining")
                  .ok())
      << Failures();
  StopLoad();

  EXPECT_EQ(load_.failed, 0) << Failures();
  ASSERT_TRUE(WaitForExit(membership_pid_, absl::Seconds(10)).ok());
  membership_pid_ = -1;
}

}  // namespace
}  // namespace metrocap::gateway::testing
