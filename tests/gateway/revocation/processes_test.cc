// Revocation through the gateway, with the real binaries: a redis-server, metrocap-membership
// and metrocap-gateway sharing it, the gateway keeping resolved keys for 60 s. A key is
// revoked (or a partner's grant withdrawn) through membership directly, never through the
// gateway, and the very next request through the gateway is refused: only membership's
// invalidation on Redis can explain that, not the TTL. A gateway without Redis, beside it,
// shows the TTL bound, and a Redis outage shows what happens when invalidations are missed.
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "tests/gateway/harness.h"
#include "tests/integration/cache/component_process.h"
#include "tests/support/poll.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_databases.h"

namespace metrocap::gateway::testing {
namespace {

namespace mv1 = membership::v1;
using ::metrocap::testing::ComponentProcess;
using ::metrocap::testing::PollUntil;
using ::metrocap::testing::RedisServer;

constexpr char kAdminToken[] = "revocation-test-admin-token";
constexpr char kInternalCredential[] = "revocation-test-internal-credential";
// Far longer than any wait in these tests: a refusal is never the TTL's doing.
constexpr char kKeyCacheSeconds[] = "60";

class RevocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!::metrocap::testing::RedisServerAvailable()) {
      if (::metrocap::testing::RunningInCi()) FAIL() << "redis-server is required in CI";
      GTEST_SKIP() << "redis-server is not installed";
    }
    absl::StatusOr<std::string> dir = ::metrocap::testing::MakeTempDir("gateway-revocation");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *dir;
    absl::StatusOr<std::unique_ptr<RedisServer>> redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);

    membership_ = Start("membership", METROCAP_MEMBERSHIP_BINARY,
                        {absl::StrCat("METROCAP_REDIS_URL=", redis_->Url())});
    ASSERT_NE(membership_, nullptr);
    direct_ = mv1::MembershipService::NewStub(
        grpc::CreateChannel(membership_->address(), grpc::InsecureChannelCredentials()));
    gateway_ = StartGateway("gateway", /*with_redis=*/true);
    ASSERT_NE(gateway_, nullptr);
    through_gateway_ = mv1::MembershipService::NewStub(
        grpc::CreateChannel(gateway_->address(), grpc::InsecureChannelCredentials()));

    // The network: two organisations, Milan and Turin.
    mv1::CreateRegionRequest region;
    region.set_region_id("europe");
    region.mutable_region()->set_display_name("Europe");
    ASSERT_EQ(Direct(&mv1::MembershipService::Stub::CreateRegion, region).error_code(),
              grpc::StatusCode::OK);
    for (const char* id : {"milan", "turin"}) {
      mv1::CreateOrganisationRequest organisation;
      organisation.set_organisation_id(id);
      mv1::Organisation* o = organisation.mutable_organisation();
      o->set_display_name(id);
      o->set_kind(mv1::Organisation::METROPOLITAN_AREA);
      o->set_country_code("IT");
      o->set_region("regions/europe");
      ASSERT_EQ(
          Direct(&mv1::MembershipService::Stub::CreateOrganisation, organisation).error_code(),
          grpc::StatusCode::OK);
    }
  }

  void TearDown() override {
    gateways_.clear();
    membership_.reset();
    redis_.reset();
    if (HasFailure()) ::metrocap::testing::PrintLogTails(log_paths_);
    if (!dir_.empty()) ::metrocap::testing::RemoveTree(dir_);
  }

  // `binary` as `name`, with the test's credential and admin token (null on failure,
  // reported).
  std::unique_ptr<ComponentProcess> Start(const std::string& name, const std::string& binary,
                                          std::vector<std::string> env) {
    return ::metrocap::testing::StartTestComponent(binary, dir_, name, kInternalCredential,
                                                   kAdminToken, std::move(env), &log_paths_);
  }

  // A gateway in front of membership, keeping keys 60 s; on Redis or not. Null on failure
  // (reported). It lives until the end of the test.
  ComponentProcess* StartGateway(const std::string& name, bool with_redis) {
    std::vector<std::string> env = {
        absl::StrCat("METROCAP_MEMBERSHIP_ADDRESS=", membership_->address()),
        "METROCAP_HTTP_LISTEN_ADDRESS=127.0.0.1:0",
        absl::StrCat("METROCAP_API_KEY_CACHE_SECONDS=", kKeyCacheSeconds)};
    if (with_redis) env.push_back(absl::StrCat("METROCAP_REDIS_URL=", redis_->Url()));
    std::unique_ptr<ComponentProcess> gateway = Start(name, METROCAP_GATEWAY_BINARY, env);
    if (gateway == nullptr) return nullptr;
    gateways_.push_back(std::move(gateway));
    return gateways_.back().get();
  }

  // One call to membership directly, as the bootstrap ADMIN.
  template <typename Request, typename Response>
  grpc::Status Direct(grpc::Status (mv1::MembershipService::Stub::*method)(grpc::ClientContext*,
                                                                           const Request&,
                                                                           Response*),
                      const Request& request, Response* response = nullptr) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kAdminToken));
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    Response ignored;
    return ((*direct_).*method)(&context, request, response != nullptr ? response : &ignored);
  }

  // A partner and an API key for it, made through membership directly.
  mv1::ApiKey NewKey(const std::string& partner_id, mv1::Partner::Role role,
                     const std::vector<std::string>& grants = {}) {
    mv1::CreatePartnerRequest partner;
    partner.set_partner_id(partner_id);
    partner.mutable_partner()->set_display_name(partner_id);
    partner.mutable_partner()->set_role(role);
    for (const std::string& grant : grants) partner.mutable_partner()->add_grants(grant);
    EXPECT_TRUE(Direct(&mv1::MembershipService::Stub::CreatePartner, partner).ok());
    mv1::CreateApiKeyRequest create;
    create.set_parent("partners/" + partner_id);
    create.mutable_api_key()->set_display_name("revocation test");
    mv1::ApiKey key;
    grpc::Status status = Direct(&mv1::MembershipService::Stub::CreateApiKey, create, &key);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return key;
  }

  // GET /v1/organisations/milan through `gateway`: the HTTP status.
  static int RestRead(const ComponentProcess& gateway, const mv1::ApiKey& key) {
    return Http(gateway.ServingPortOf("httpPort"), "GET", "/v1/organisations/milan", "",
                {{"Authorization", "Bearer " + key.secret()}})
        .status;
  }
  // A rename of `organisation` through the gateway's REST port: the HTTP status.
  int RestWrite(const mv1::ApiKey& key, const std::string& organisation) {
    return Http(gateway_->ServingPortOf("httpPort"), "PATCH",
                absl::StrCat("/v1/", organisation, "?updateMask=displayName"),
                R"({"displayName":"Renamed over REST"})",
                {{"Authorization", "Bearer " + key.secret()}})
        .status;
  }
  // GetOrganisation (organisations/milan) through the gateway's gRPC port.
  grpc::StatusCode GrpcRead(const mv1::ApiKey& key) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + key.secret());
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    mv1::GetOrganisationRequest request;
    request.set_name("organisations/milan");
    mv1::Organisation response;
    return through_gateway_->GetOrganisation(&context, request, &response).error_code();
  }
  // A rename of `organisation` through the gateway's gRPC port.
  grpc::StatusCode GrpcWrite(const mv1::ApiKey& key, const std::string& organisation) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + key.secret());
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    mv1::UpdateOrganisationRequest request;
    request.mutable_organisation()->set_name(organisation);
    request.mutable_organisation()->set_display_name("Renamed over gRPC");
    request.mutable_update_mask()->add_paths("display_name");
    mv1::Organisation response;
    return through_gateway_->UpdateOrganisation(&context, request, &response).error_code();
  }

  // The gateway's count of API key lookups answered from its own cache.
  int64_t KeyCacheHits(const ComponentProcess& gateway) {
    HttpResult metrics = Http(gateway.ServingPortOf("httpPort"), "GET", "/metrics", "",
                              {{"Authorization", absl::StrCat("Bearer ", kAdminToken)}});
    const std::string series = "metrocap_gateway_api_key_lookups_total{outcome=\"hit\"} ";
    size_t at = metrics.body.find(series);
    int64_t hits = 0;
    if (at == std::string::npos) return 0;
    absl::string_view rest = absl::string_view(metrics.body).substr(at + series.size());
    EXPECT_TRUE(absl::SimpleAtoi(rest.substr(0, rest.find('\n')), &hits)) << metrics.body;
    return hits;
  }

  grpc::Status Revoke(const mv1::ApiKey& key) {
    mv1::RevokeApiKeyRequest revoke;
    revoke.set_name(key.name());
    return Direct(&mv1::MembershipService::Stub::RevokeApiKey, revoke);
  }

  static void Report(const std::string& what, absl::Duration took) {
    std::cout << "[ measured ] " << what << ": " << absl::FormatDuration(took) << std::endl;
    ::testing::Test::RecordProperty(what, absl::FormatDuration(took));
  }

  std::string dir_;
  std::vector<std::string> log_paths_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<ComponentProcess> membership_;
  std::vector<std::unique_ptr<ComponentProcess>> gateways_;
  ComponentProcess* gateway_ = nullptr;
  std::unique_ptr<mv1::MembershipService::Stub> direct_;
  std::unique_ptr<mv1::MembershipService::Stub> through_gateway_;
};

TEST_F(RevocationTest, ARevokedKeyIsRefusedByTheVeryNextRestRequest) {
  mv1::ApiKey key = NewKey("reader", mv1::Partner::VIEWER);
  const int64_t hits = KeyCacheHits(*gateway_);
  ASSERT_EQ(RestRead(*gateway_, key), 200);
  ASSERT_EQ(RestRead(*gateway_, key), 200);
  ASSERT_EQ(GrpcRead(key), grpc::StatusCode::OK);
  ASSERT_GE(KeyCacheHits(*gateway_), hits + 2) << "the gateway should answer from its cache";

  absl::Time asked = absl::Now();
  ASSERT_TRUE(Revoke(key).ok());
  absl::Time acknowledged = absl::Now();
  EXPECT_EQ(RestRead(*gateway_, key), 401);
  Report("revoke acknowledged -> REST 401", absl::Now() - acknowledged);
  Report("revoke sent -> REST 401", absl::Now() - asked);
  EXPECT_EQ(GrpcRead(key), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(RevocationTest, ARevokedKeyIsRefusedByTheVeryNextGrpcCall) {
  mv1::ApiKey key = NewKey("reader", mv1::Partner::VIEWER);
  ASSERT_EQ(GrpcRead(key), grpc::StatusCode::OK);
  ASSERT_EQ(GrpcRead(key), grpc::StatusCode::OK);
  ASSERT_EQ(RestRead(*gateway_, key), 200);

  ASSERT_TRUE(Revoke(key).ok());
  absl::Time acknowledged = absl::Now();
  EXPECT_EQ(GrpcRead(key), grpc::StatusCode::UNAUTHENTICATED);
  Report("revoke acknowledged -> gRPC UNAUTHENTICATED", absl::Now() - acknowledged);
  EXPECT_EQ(RestRead(*gateway_, key), 401);
}

TEST_F(RevocationTest, ADeletedKeyIsRefusedAtOnce) {
  mv1::ApiKey key = NewKey("reader", mv1::Partner::VIEWER);
  ASSERT_EQ(RestRead(*gateway_, key), 200);
  ASSERT_EQ(GrpcRead(key), grpc::StatusCode::OK);
  mv1::DeleteApiKeyRequest remove;
  remove.set_name(key.name());
  ASSERT_TRUE(Direct(&mv1::MembershipService::Stub::DeleteApiKey, remove).ok());
  EXPECT_EQ(RestRead(*gateway_, key), 401);
  EXPECT_EQ(GrpcRead(key), grpc::StatusCode::UNAUTHENTICATED);
}

// A PARTNER's grant moved from Milan to Turin through membership: the gateway forwards the
// new grants with the very next request, so Milan refuses it and Turin accepts it.
TEST_F(RevocationTest, AWithdrawnGrantIsRefusedByTheVeryNextWrite) {
  mv1::ApiKey key = NewKey("milan-lab", mv1::Partner::PARTNER, {"organisations/milan"});
  ASSERT_EQ(RestWrite(key, "organisations/milan"), 200);
  ASSERT_EQ(GrpcWrite(key, "organisations/milan"), grpc::StatusCode::OK);
  ASSERT_EQ(RestWrite(key, "organisations/turin"), 403);

  mv1::UpdatePartnerRequest move;
  move.mutable_partner()->set_name("partners/milan-lab");
  move.mutable_partner()->add_grants("organisations/turin");
  move.mutable_update_mask()->add_paths("grants");
  ASSERT_TRUE(Direct(&mv1::MembershipService::Stub::UpdatePartner, move).ok());
  absl::Time acknowledged = absl::Now();
  EXPECT_EQ(RestWrite(key, "organisations/milan"), 403);
  Report("grant withdrawn -> REST 403", absl::Now() - acknowledged);
  EXPECT_EQ(GrpcWrite(key, "organisations/milan"), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(RestWrite(key, "organisations/turin"), 200);
  EXPECT_EQ(GrpcWrite(key, "organisations/turin"), grpc::StatusCode::OK);

  // Demoted to VIEWER: no writes at all from the next request on.
  mv1::UpdatePartnerRequest demote;
  demote.mutable_partner()->set_name("partners/milan-lab");
  demote.mutable_partner()->set_role(mv1::Partner::VIEWER);
  demote.mutable_update_mask()->add_paths("role");
  ASSERT_TRUE(Direct(&mv1::MembershipService::Stub::UpdatePartner, demote).ok());
  EXPECT_EQ(GrpcWrite(key, "organisations/turin"), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(RestWrite(key, "organisations/turin"), 403);
}

// The same revocation seen by a gateway on Redis and by one without: only the first hears
// of it; the second trusts the key for its TTL, as configured. (So the 401 above is the
// invalidation's doing, not a cache too short to matter.)
TEST_F(RevocationTest, AGatewayWithoutRedisKeepsARevokedKeyForItsTtl) {
  ComponentProcess* isolated = StartGateway("gateway-without-redis", /*with_redis=*/false);
  ASSERT_NE(isolated, nullptr);
  mv1::ApiKey key = NewKey("reader", mv1::Partner::VIEWER);
  ASSERT_EQ(RestRead(*gateway_, key), 200);
  ASSERT_EQ(RestRead(*isolated, key), 200);
  ASSERT_TRUE(Revoke(key).ok());
  EXPECT_EQ(RestRead(*gateway_, key), 401);
  EXPECT_EQ(RestRead(*isolated, key), 200) << "without Redis only the 60 s TTL should apply";
}

// Redis killed: the gateway stops trusting its kept keys (it asks membership again, which
// reads its store) and keys work on. A key revoked meanwhile cannot be announced; once
// Redis is back the gateway drops everything it kept meanwhile, so the key is refused
// within moments, not after the TTL.
TEST_F(RevocationTest, AKeyRevokedWhileRedisIsDownIsRefusedSoonAfterItReturns) {
  mv1::ApiKey key = NewKey("reader", mv1::Partner::VIEWER);
  ASSERT_EQ(RestRead(*gateway_, key), 200);
  ASSERT_TRUE(redis_->Kill().ok());
  // Keys keep working without Redis (membership answers from its store).
  EXPECT_EQ(RestRead(*gateway_, key), 200);
  EXPECT_EQ(GrpcRead(key), grpc::StatusCode::OK);
  ASSERT_TRUE(Revoke(key).ok());
  ASSERT_TRUE(redis_->Restart().ok());
  absl::Time restarted = absl::Now();
  absl::Status refused =
      PollUntil([&]() -> absl::StatusOr<bool> { return RestRead(*gateway_, key) == 401; },
                absl::Seconds(15), "the revoked key to be refused after Redis returned");
  ASSERT_TRUE(refused.ok()) << refused;
  Report("Redis restarted -> revoked key refused", absl::Now() - restarted);
  EXPECT_EQ(GrpcRead(key), grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace metrocap::gateway::testing
