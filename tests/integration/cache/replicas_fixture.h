#pragma once

// Real processes sharing one data tier: a redis-server, one membership store (a PostgreSQL
// database, or one SQLite file in WAL mode that both processes open), two replicas of
// metrocap-membership (A and B) and one metrocap-assessment that asks replica A about
// organisations. Every component reads the shared lookups through its own cache client
// (in-process layer + Redis), exactly as deployed with several replicas.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "metrocap/assessment/v1/assessment.grpc.pb.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "tests/integration/cache/component_process.h"
#include "tests/support/redis_server.h"
#include "tests/support/store_backends.h"

namespace metrocap::testing {

namespace mv1 = ::metrocap::membership::v1;
namespace av1 = ::metrocap::assessment::v1;
using MembershipStub = mv1::MembershipService::Stub;
using AssessmentStub = av1::AssessmentService::Stub;

inline constexpr char kAdminToken[] = "cache-integration-admin-token";
inline constexpr char kInternalCredential[] = "cache-integration-internal-credential";

// Who calls: the bootstrap ADMIN, or the gateway (the internal credential alone).
enum class As { kAdmin, kGateway };

template <typename T>
struct Reply {
  grpc::Status status;
  T value;
};

// One unary call with a 10 s deadline.
template <typename Stub, typename Request, typename Response>
Reply<Response> Call(Stub& stub,
                     grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                     const Request& request, As as = As::kAdmin) {
  grpc::ClientContext context;
  if (as == As::kAdmin) {
    context.AddMetadata("authorization", std::string("Bearer ") + kAdminToken);
  } else {
    context.AddMetadata("x-metrocap-internal-credential", kInternalCredential);
  }
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  Reply<Response> reply;
  reply.status = (stub.*method)(&context, request, &reply.value);
  return reply;
}

// "code N: message", for failure output.
std::string Describe(const grpc::Status& status);
// The lowercase hex SHA-256 of `text` (an API key's name in the api-keys cache).
std::string Sha256Hex(const std::string& text);
// The version number inside an etag ("\"12\"" -> 12); 0 when it is not one.
int64_t VersionOf(const std::string& etag);

class CacheReplicasTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Writers and readers that expect success (a failure is reported).
  mv1::Organisation CreateOrganisation(MembershipStub& stub, const std::string& id);
  Reply<mv1::Organisation> GetOrganisation(MembershipStub& stub, const std::string& name);
  Reply<mv1::Organisation> Rename(MembershipStub& stub, const mv1::Organisation& current,
                                  const std::string& display_name);
  grpc::Status DeleteOrganisation(MembershipStub& stub, const std::string& name);
  // A published framework in the assessment service, "frameworks/cache-test".
  void PublishFramework();
  Reply<av1::Assessment> CreateAssessment(const std::string& organisation, const std::string& id);
  // The calls of one Redis command so far (INFO commandstats), e.g. "get".
  int64_t RedisCalls(const std::string& command);
  // How many processes listen on the cache's invalidation channel.
  int Subscribers();

  std::string dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<ComponentProcess> replica_a_, replica_b_, assessment_;
  std::unique_ptr<MembershipStub> a_, b_;
  std::unique_ptr<AssessmentStub> assessments_;

 private:
  // A new database of this test for `component`: a PostgreSQL database or a SQLite file.
  std::string DatabaseUrl(const std::string& component);
  std::unique_ptr<ComponentProcess> StartComponent(const std::string& binary,
                                                   const std::string& name,
                                                   std::vector<std::string> env);
  std::vector<std::string> log_paths_;
};

}  // namespace metrocap::testing
