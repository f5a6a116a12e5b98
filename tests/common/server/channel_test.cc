// Peer channels: targets go through the DNS resolver so every pod behind a headless Service
// is a candidate. (Balancing across replicas is proven in tests/gateway/backends_test.cc.)
#include "common/server/channel.h"

#include "gtest/gtest.h"

namespace metrocap::server {
namespace {

TEST(PeerTargetTest, HostPortGoesThroughDns) {
  EXPECT_EQ(PeerTarget("metrocap-membership:50051"), "dns:///metrocap-membership:50051");
  EXPECT_EQ(PeerTarget("127.0.0.1:50051"), "dns:///127.0.0.1:50051");
  EXPECT_EQ(PeerTarget("[::1]:50051"), "dns:///[::1]:50051");
}

TEST(PeerTargetTest, ExplicitResolversAreKept) {
  for (const char* target :
       {"dns:///membership:50051", "ipv4:127.0.0.1:1,127.0.0.1:2", "ipv6:[::1]:50051",
        "unix:/run/metrocap.sock", "unix-abstract:metrocap"}) {
    EXPECT_EQ(PeerTarget(target), target);
  }
}

TEST(OpenPeerChannelTest, UsesRoundRobin) {
  auto channel = OpenPeerChannel("127.0.0.1:1");
  // The policy is chosen once the channel first tries to connect.
  channel->GetState(/*try_to_connect=*/true);
  channel->WaitForStateChange(channel->GetState(false),
                              std::chrono::system_clock::now() + std::chrono::seconds(5));
  EXPECT_EQ(channel->GetLoadBalancingPolicyName(), "round_robin");
}

}  // namespace
}  // namespace metrocap::server
