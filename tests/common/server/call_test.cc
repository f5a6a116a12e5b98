// server::Serve over a real loopback connection: callers are authenticated, errors reach
// the client through the one status mapping, and Propagate carries identity onward.
#include "common/server/call.h"

#include <memory>

#include "common/server/server.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/common/server/probe_service.h"

namespace metrocap::server {
namespace {

using ::metrocap::testing::StatusIs;
using servertest::v1::PingRequest;
using servertest::v1::PingResponse;
using ::testing::ElementsAre;
using testing::ProbeService;
using testing::ProbeStub;

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.reflection = false;
    ASSERT_OK_AND_ASSIGN(server_, GrpcServer::Start("probe", options, {&probe_}));
    stub_ = ProbeStub(server_->port());
  }

  ProbeService probe_;
  std::unique_ptr<GrpcServer> server_;
  std::unique_ptr<servertest::v1::Probe::Stub> stub_;
};

TEST_F(ServeTest, CallWithoutCredentialsIsUnauthenticated) {
  grpc::ClientContext context;
  PingResponse response;
  grpc::Status status = stub_->Ping(&context, PingRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(response.caller(), "");
}

TEST_F(ServeTest, AdminTokenAndRequestIdReachTheHandler) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", std::string("Bearer ") + testing::kAdminToken);
  context.AddMetadata(identity::kRequestIdKey, "req-42");
  PingResponse response;
  ASSERT_TRUE(stub_->Ping(&context, PingRequest(), &response).ok());
  EXPECT_EQ(response.caller(), "admin");
  EXPECT_EQ(response.role(), membership::v1::Partner::ADMIN);
  EXPECT_EQ(response.request_id(), "req-42");
}

TEST_F(ServeTest, HandlerErrorsReachTheClientWithTheirDetails) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", std::string("Bearer ") + testing::kAdminToken);
  PingRequest request;
  request.set_fail_field("organisation.countryCode");
  PingResponse response;
  grpc::Status status = stub_->Ping(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "organisation.countryCode: is bad");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  google::rpc::BadRequest bad_request;
  bool found = false;
  for (const auto& any : details.details()) found |= any.UnpackTo(&bad_request);
  ASSERT_TRUE(found);
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "organisation.countryCode");
  // And back into an absl::Status for a calling service.
  absl::Status back = FromGrpcStatus(status);
  EXPECT_THAT(back, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(back),
              ElementsAre(::testing::Field(&FieldViolation::field, "organisation.countryCode")));
}

TEST_F(ServeTest, PropagateForwardsIdentityRequestIdAndDeadline) {
  Call incoming;
  incoming.caller = identity::Caller{
      "partners/barcelona-lab", membership::v1::Partner::PARTNER, {"organisations/amb"}};
  incoming.request_id = "req-7";
  incoming.traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  incoming.deadline = absl::Now() + absl::Seconds(30);
  grpc::ClientContext context;
  incoming.Propagate(identity::IdentityConfig{testing::kCredential, ""}, &context,
                     absl::Seconds(5));
  EXPECT_LE(absl::FromChrono(context.deadline()), absl::Now() + absl::Seconds(5));
  PingResponse response;
  grpc::Status status = stub_->Ping(&context, PingRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.caller(), "partners/barcelona-lab");
  EXPECT_EQ(response.role(), membership::v1::Partner::PARTNER);
  EXPECT_THAT(response.grants(), ElementsAre("organisations/amb"));
  EXPECT_EQ(response.request_id(), "req-7");
}

TEST_F(ServeTest, PropagateKeepsTheEarlierIncomingDeadline) {
  Call incoming;
  incoming.caller = identity::Caller{"internal", membership::v1::Partner::ADMIN, {}};
  incoming.deadline = absl::Now() + absl::Seconds(2);
  grpc::ClientContext context;
  incoming.Propagate(identity::IdentityConfig{testing::kCredential, ""}, &context,
                     absl::Seconds(60));
  EXPECT_LE(absl::FromChrono(context.deadline()), incoming.deadline);
}

TEST_F(ServeTest, WithoutAnInternalCredentialNothingIsForwarded) {
  Call incoming;
  incoming.caller = identity::Caller{"partners/p", membership::v1::Partner::PARTNER, {}};
  grpc::ClientContext context;
  incoming.Propagate(identity::IdentityConfig{"", ""}, &context, absl::Seconds(5));
  PingResponse response;
  EXPECT_EQ(stub_->Ping(&context, PingRequest(), &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace metrocap::server
