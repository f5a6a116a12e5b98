#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/gateway.h"
#include "grpcpp/server.h"
#include "gtest/gtest.h"
#include "metrocap/gatewaytest/v1/probe.grpc.pb.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"

namespace metrocap::gateway::testing {

inline constexpr char kCredential[] = "test-internal-credential-0123456789";

// The test-only ProbeService: answers from its request, records what metadata arrived.
class FakeProbe final : public gatewaytest::v1::ProbeService::Service {
 public:
  grpc::Status GetShelf(grpc::ServerContext*, const gatewaytest::v1::GetShelfRequest*,
                        gatewaytest::v1::Shelf*) override;
  grpc::Status ListThings(grpc::ServerContext*, const gatewaytest::v1::ListThingsRequest*,
                          gatewaytest::v1::ListThingsResponse*) override;
  grpc::Status CreateThing(grpc::ServerContext*, const gatewaytest::v1::CreateThingRequest*,
                           gatewaytest::v1::Thing*) override;
  grpc::Status GetFile(grpc::ServerContext*, const gatewaytest::v1::GetFileRequest*,
                       gatewaytest::v1::File*) override;
  grpc::Status Fail(grpc::ServerContext*, const gatewaytest::v1::FailRequest*,
                    google::protobuf::Empty*) override;
  grpc::Status Stall(grpc::ServerContext*, const gatewaytest::v1::StallRequest*,
                     google::protobuf::Empty*) override;
  grpc::Status Echo(grpc::ServerContext*, const gatewaytest::v1::EchoRequest*,
                    gatewaytest::v1::EchoResponse*) override;
};

// Membership's key lookup, nothing else: keys can be added and revoked by the test.
class FakeKeys final : public membership::v1::MembershipService::Service {
 public:
  void Add(const std::string& secret, const std::string& partner,
           membership::v1::Partner::Role role);
  void Revoke(const std::string& secret);
  int lookups() const;

  grpc::Status LookupApiKey(grpc::ServerContext* context,
                            const membership::v1::LookupApiKeyRequest* request,
                            membership::v1::Principal* principal) override;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, membership::v1::Principal> keys_ ABSL_GUARDED_BY(mu_);
  int lookups_ ABSL_GUARDED_BY(mu_) = 0;
};

// A gRPC server on 127.0.0.1 with the health service reporting SERVING. `port` 0: any.
std::unique_ptr<grpc::Server> StartBackend(const std::vector<grpc::Service*>& services, int port,
                                           int* bound_port);

// The gateway config for tests: free ports, the probe and membership at the given
// addresses, short timeouts.
GatewayConfig TestConfig(const std::string& membership_address, const std::string& probe_address);

// A gateway in this process (TestConfig) in front of one fake backend serving FakeProbe and
// FakeKeys, where API key `key` stands for partners/tester with `role`. A subclass changes
// the config in Configure().
class GatewayOverFakesTest : public ::testing::Test {
 protected:
  GatewayOverFakesTest(std::string key, membership::v1::Partner::Role role)
      : key_(std::move(key)), role_(role) {}

  void SetUp() override;
  virtual void Configure(GatewayConfig&) {}

  const std::string key_;
  const membership::v1::Partner::Role role_;
  FakeProbe probe_;
  FakeKeys keys_;
  int backend_port_ = 0;
  std::unique_ptr<grpc::Server> backend_;
  std::unique_ptr<Gateway> gateway_;
};

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // Lower-case names.
  std::string body;
};

// One HTTP/1.1 request on a new connection to 127.0.0.1:`port`.
HttpResult Http(int port, const std::string& method, const std::string& target,
                const std::string& body = "",
                const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace metrocap::gateway::testing
