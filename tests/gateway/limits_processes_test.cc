// Errors stay the errors they are whatever the input, through the real binaries: an
// over-long name is INVALID_ARGUMENT (not RESOURCE_EXHAUSTED) on REST, through the gateway's
// gRPC port and directly on membership; an over-large body gets its 413 even when the client
// writes the whole body before reading; a singular parameter given twice is a 400 naming it.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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
  auto stub = membership::v1::MembershipService::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
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

// A client that writes the whole body before it reads, as Python's http.client and urllib
// do: it must read the 413, not a broken pipe or a reset. The worst case is the one this
// client makes certain: the gateway has already answered from the headers alone when the
// body starts to arrive.
TEST_F(ProcessesTest, ATooLargeBodyIs413ForAClientThatWritesItAllFirst) {
  const size_t body_bytes = 2 << 20;  // twice the gateway's default limit
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(http_port_));
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  const std::string headers = absl::StrCat(
      "POST /v1/regions?regionId=big HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ",
      kAdminToken, "\r\nContent-Type: application/json\r\nContent-Length: ", body_bytes,
      "\r\n\r\n");
  ASSERT_EQ(send(fd, headers.data(), headers.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(headers.size()));
  pollfd answered{fd, POLLIN, 0};
  ASSERT_EQ(poll(&answered, 1, 10000), 1) << "no answer to the headers within 10 s";
  const std::string request(body_bytes, ' ');
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  EXPECT_EQ(sent, request.size()) << "the gateway stopped reading: " << std::strerror(errno);
  std::string response;
  char chunk[4096];
  ssize_t n;
  while ((n = recv(fd, chunk, sizeof(chunk), 0)) > 0) response.append(chunk, n);
  close(fd);
  EXPECT_THAT(response, HasSubstr("HTTP/1.1 413")) << "recv: " << std::strerror(errno);
  EXPECT_THAT(response, HasSubstr("Connection: close"));
  // The gateway is none the worse.
  EXPECT_EQ(Http(http_port_, "GET", "/healthz").status, 200);
}

TEST_F(ProcessesTest, ASingularParameterGivenTwiceIsA400NamingIt) {
  HttpResult twice =
      Rest(kAdminToken, "POST", "/v1/regions?regionId=a&regionId=b", R"({"displayName":"Twice"})");
  EXPECT_EQ(twice.status, 400) << twice.body;
  EXPECT_THAT(twice.body, HasSubstr("regionId"));
  EXPECT_EQ(Rest(kAdminToken, "GET", "/v1/regions/a").status, 404);
  EXPECT_EQ(Rest(kAdminToken, "GET", "/v1/regions/b").status, 404);
  EXPECT_EQ(Rest(kAdminToken, "GET", "/v1/regions?pageSize=1&pageSize=2").status, 400);
}

}  // namespace
}  // namespace metrocap::gateway::testing
