// Errors stay the errors they are whatever the input, through the real binaries: an
// over-long name is INVALID_ARGUMENT (not RESOURCE_EXHAUSTED) on REST, through the gateway's
// gRPC port and directly on membership.
#include <string>

#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "tests/gateway/processes_fixture.h"

namespace metrocap::gateway::testing {
namespace {

using ::testing::HasSubstr;

constexpr int kLongNameChars = 3000;

grpc::Status GetOrganisation(int port, const std::string& name, const std::string& token) {
  auto stub = membership::v1::MembershipService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  membership::v1::GetOrganisationRequest request;
  request.set_name(name);
  membership::v1::Organisation organisation;
  return stub->GetOrganisation(&context, request, &organisation);
}

TEST_F(ProcessesTest, AnOverLongNameIsInvalidArgumentEverywhere) {
  const std::string id(kLongNameChars, 'x');
  HttpResult rest = Rest(kAdminToken, "GET", "/v1/organisations/" + id);
  EXPECT_EQ(rest.status, 400) << rest.body.substr(0, 300);
  EXPECT_THAT(rest.body, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_LT(rest.body.size(), 4096u);

  for (int port : {grpc_port_, membership_port_}) {
    grpc::Status status = GetOrganisation(port, "organisations/" + id, kAdminToken);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << "port " << port << ": " << status.error_message().substr(0, 300);
    EXPECT_THAT(status.error_message(), HasSubstr("organisations/xxx"));
  }
}

}  // namespace
}  // namespace metrocap::gateway::testing
