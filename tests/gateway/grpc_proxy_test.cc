// The gRPC pass-through against in-process fake backends: bytes, status details, metadata
// and deadlines go through untouched; authentication and limits as on REST.
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/identity/caller.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "tests/gateway/harness.h"
#include "tests/support/poll.h"

namespace metrocap::gateway::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace probe = gatewaytest::v1;

constexpr char kKey[] = "mk_grpc_key";

class GrpcProxyTest : public GatewayOverFakesTest {
 protected:
  GrpcProxyTest() : GatewayOverFakesTest(kKey, membership::v1::Partner::PARTNER) {}

  void SetUp() override {
    GatewayOverFakesTest::SetUp();
    if (HasFatalFailure()) return;
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", gateway_->grpc_port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = probe::ProbeService::NewStub(channel_);
  }

  void Authorize(grpc::ClientContext* context, const std::string& key = kKey) {
    context->AddMetadata("authorization", "Bearer " + key);
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<probe::ProbeService::Stub> stub_;
};

TEST_F(GrpcProxyTest, ProxiesUnaryCalls) {
  grpc::ClientContext context;
  Authorize(&context);
  probe::GetShelfRequest request;
  request.set_name("shelves/s1");
  probe::Shelf shelf;
  grpc::Status status = stub_->GetShelf(&context, request, &shelf);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(shelf.name(), "shelves/s1");
  EXPECT_EQ(shelf.etag(), "e1");
}

TEST_F(GrpcProxyTest, MethodsWithoutHttpAnnotationAreProxiedToo) {
  grpc::ClientContext context;
  Authorize(&context);
  google::protobuf::Empty empty;
  // The fake does not implement Hidden: the backend's own UNIMPLEMENTED comes back.
  grpc::Status status = stub_->Hidden(&context, empty, &empty);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(GrpcProxyTest, StatusDetailsAndTrailersComeBackIntact) {
  grpc::ClientContext context;
  Authorize(&context);
  probe::FailRequest request;
  request.set_code(3);
  request.set_message("must be ISO 3166");
  request.set_bad_field("countryCode");
  google::protobuf::Empty empty;
  grpc::Status status = stub_->Fail(&context, request, &empty);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "countryCode: must be ISO 3166");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  bool found = false;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request)) {
      found = bad_request.field_violations(0).field() == "countryCode";
    }
  }
  EXPECT_TRUE(found);
  auto trailers = context.GetServerTrailingMetadata();
  auto trailer = trailers.find("x-probe-trailer");
  ASSERT_NE(trailer, trailers.end());
  EXPECT_EQ(trailer->second, "kept");
}

TEST_F(GrpcProxyTest, MetadataForwardedAndIdentityReplaced) {
  grpc::ClientContext context;
  Authorize(&context);
  context.AddMetadata("x-request-id", "grpc-req-1");
  context.AddMetadata("x-custom", "passed");
  membership::v1::Principal forged;
  forged.set_partner("partners/evil");
  forged.set_role(membership::v1::Partner::ADMIN);
  context.AddMetadata(identity::kPrincipalKey, forged.SerializeAsString());
  context.AddMetadata(identity::kCredentialKey, "guessed");
  probe::EchoRequest request;
  request.set_text("hi");
  probe::EchoResponse response;
  grpc::Status status = stub_->Echo(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const auto& metadata = response.metadata();
  EXPECT_EQ(metadata.at("x-request-id"), "grpc-req-1");
  EXPECT_EQ(metadata.at("x-custom"), "passed");
  EXPECT_EQ(metadata.at(identity::kCredentialKey), kCredential);
  membership::v1::Principal principal;
  ASSERT_TRUE(principal.ParseFromString(metadata.at(identity::kPrincipalKey)));
  EXPECT_EQ(principal.partner(), "partners/tester");
  EXPECT_EQ(principal.role(), membership::v1::Partner::PARTNER);
  EXPECT_EQ(metadata.count("authorization"), 0u);
  auto initial = context.GetServerInitialMetadata();
  EXPECT_NE(initial.find("x-probe-initial"), initial.end());
}

TEST_F(GrpcProxyTest, AuthenticationFailures) {
  for (const std::string key : {"", "wrong"}) {
    grpc::ClientContext context;
    if (!key.empty()) Authorize(&context, key);
    probe::GetShelfRequest request;
    probe::Shelf shelf;
    EXPECT_EQ(stub_->GetShelf(&context, request, &shelf).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
}

TEST_F(GrpcProxyTest, UnknownServiceIsUnimplemented) {
  grpc::GenericStub generic(channel_);
  grpc::ClientContext context;
  Authorize(&context);
  grpc::Slice empty;
  grpc::ByteBuffer request(&empty, 1), response;
  absl::Notification done;
  grpc::Status status;
  generic.UnaryCall(&context, "/nobody.Nowhere/Nothing", grpc::StubOptions(), &request, &response,
                    [&](grpc::Status s) {
                      status = s;
                      done.Notify();
                    });
  done.WaitForNotification();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(GrpcProxyTest, DeadlinePassesOn) {
  grpc::ClientContext context;
  Authorize(&context);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
  probe::StallRequest request;
  request.set_millis(3000);
  google::protobuf::Empty empty;
  absl::Time start = absl::Now();
  EXPECT_EQ(stub_->Stall(&context, request, &empty).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

TEST_F(GrpcProxyTest, BackendDownIsUnavailableWithoutLeaks) {
  backend_->Shutdown();
  grpc::ClientContext context;
  Authorize(&context);  // Cached from no call yet: the lookup itself fails -> UNAVAILABLE.
  probe::GetShelfRequest request;
  probe::Shelf shelf;
  absl::Time start = absl::Now();
  grpc::Status status = stub_->GetShelf(&context, request, &shelf);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), Not(HasSubstr("127.0.0.1")));
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
}

TEST_F(GrpcProxyTest, MetricsCountGrpcCalls) {
  grpc::ClientContext context;
  Authorize(&context);
  probe::GetShelfRequest request;
  probe::Shelf shelf;
  ASSERT_TRUE(stub_->GetShelf(&context, request, &shelf).ok());
  // The call is recorded when gRPC finishes it, just after the client has its answer.
  const std::string expected = R"(metrocap_gateway_requests_total{code="OK",protocol="grpc",)"
                               R"(route="/metrocap.gatewaytest.v1.ProbeService/GetShelf"} 1)";
  EXPECT_TRUE(metrocap::testing::PollUntil(
                  [&]() -> absl::StatusOr<bool> {
                    return gateway_->metrics().Render().find(expected) != std::string::npos;
                  },
                  absl::Seconds(5), "the call in the metrics")
                  .ok())
      << gateway_->metrics().Render();
}

class RateLimitedGrpcTest : public GrpcProxyTest {
  void Configure(GatewayConfig& config) override { config.rate_limit = {0.5, 4}; }
};

TEST_F(RateLimitedGrpcTest, ResourceExhaustedAfterTheBurst) {
  std::atomic<int> ok{0}, exhausted{0}, missing_retry{0};
  absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 4; ++i) {
        grpc::ClientContext context;
        Authorize(&context);
        probe::GetShelfRequest request;
        probe::Shelf shelf;
        grpc::Status status = stub_->GetShelf(&context, request, &shelf);
        if (status.ok()) ++ok;
        if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
          ++exhausted;
          if (context.GetServerTrailingMetadata().count("retry-after") == 0) ++missing_retry;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  double refilled = absl::ToDoubleSeconds(absl::Now() - start) * 0.5;
  EXPECT_GE(ok.load(), 4);
  EXPECT_LE(ok.load(), 4 + static_cast<int>(refilled) + 1);
  EXPECT_EQ(ok + exhausted, 24);
  EXPECT_EQ(missing_retry.load(), 0);
}

}  // namespace
}  // namespace metrocap::gateway::testing
