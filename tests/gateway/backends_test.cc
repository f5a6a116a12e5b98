// Backend channels: targets go through the DNS resolver (so every pod behind a headless
// Service is a candidate) and calls are spread round-robin over every resolved address.
#include "gateway/backends.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/identity/caller.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "tests/gateway/harness.h"

namespace metrocap::gateway::testing {
namespace {

constexpr char kMembership[] = "metrocap.membership.v1.MembershipService";

// One LookupApiKey through the backend's channel; FakeKeys counts it on the server it reaches.
grpc::Status LookUp(const Backend& backend) {
  auto stub = membership::v1::MembershipService::NewStub(backend.channel);
  grpc::ClientContext context;
  context.AddMetadata(identity::kCredentialKey, kCredential);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  membership::v1::LookupApiKeyRequest request;
  request.set_secret("unknown");
  membership::v1::Principal principal;
  return stub->LookupApiKey(&context, request, &principal);
}

TEST(BackendsTest, ChannelsBalanceRoundRobin) {
  FakeKeys keys;
  int port = 0;
  auto server = StartBackend({&keys}, 0, &port);
  ASSERT_NE(server, nullptr);
  Backends backends({{"membership", kMembership, absl::StrCat("127.0.0.1:", port)}});
  const Backend* backend = backends.ForService(kMembership);
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(LookUp(*backend).error_code(), grpc::StatusCode::NOT_FOUND);  // reached, no such key
  EXPECT_EQ(backend->channel->GetLoadBalancingPolicyName(), "round_robin");
}

// Two replicas behind one target (what DNS returns for a headless Service with two ready
// pods): both receive calls. With pick_first every call would go to the first one.
TEST(BackendsTest, CallsReachEveryResolvedReplica) {
  FakeKeys first, second;
  int first_port = 0, second_port = 0;
  auto first_server = StartBackend({&first}, 0, &first_port);
  auto second_server = StartBackend({&second}, 0, &second_port);
  ASSERT_NE(first_server, nullptr);
  ASSERT_NE(second_server, nullptr);
  Backends backends({{"membership", kMembership,
                      absl::StrCat("ipv4:127.0.0.1:", first_port, ",127.0.0.1:", second_port)}});
  const Backend* backend = backends.ForService(kMembership);
  ASSERT_NE(backend, nullptr);
  // round_robin picks among the replicas already connected, so the second may take a few
  // calls to join; the deadline bounds a regression.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline && (first.lookups() == 0 || second.lookups() == 0)) {
    ASSERT_EQ(LookUp(*backend).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_GT(first.lookups(), 0);
  EXPECT_GT(second.lookups(), 0);
  // Once both are connected, calls are spread over both: about half each. Not exactly
  // half: a connectivity update (slow under load) rebuilds round_robin's picker, which
  // starts at a random replica, so one replica may take two calls in a row.
  const int first_before = first.lookups(), second_before = second.lookups();
  for (int call = 0; call < 10; ++call) {
    ASSERT_EQ(LookUp(*backend).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_GE(first.lookups() - first_before, 3);
  EXPECT_GE(second.lookups() - second_before, 3);
}

}  // namespace
}  // namespace metrocap::gateway::testing
