// The authentication and authorisation matrix through the gateway, on REST and gRPC alike,
// against the REAL membership service (in process, on a temporary SQLite store): keys are
// created, looked up and revoked by membership itself.
#include "absl/strings/str_cat.h"
#include "common/server/server.h"
#include "common/store/sqlite_store.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"
#include "tests/gateway/harness.h"
#include "tests/support/temp_dir.h"

namespace metrocap::gateway::testing {
namespace {

using ::testing::HasSubstr;
namespace mv1 = membership::v1;

constexpr char kAdminToken[] = "gateway-auth-matrix-admin-token";

class AuthMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto dir = metrocap::testing::MakeTempDir("gateway-auth-matrix");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = new std::string(*std::move(dir));
    auto store = store::OpenSqliteStore(*dir_ + "/membership.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = store->release();
    ASSERT_TRUE(store_->Migrate(membership::MembershipSchemas().All()).ok());
    service_ = new membership::MembershipService(
        server::CallEnv{"membership", {kCredential, kAdminToken}}, store_, "page-token-key");
    server::ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.reflection = false;
    auto server = server::GrpcServer::Start("membership", options, {service_});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    server_->SetServing(true);

    GatewayConfig config = TestConfig(absl::StrCat("127.0.0.1:", server_->port()), "");
    config.backends.resize(1);  // Membership only.
    config.api_keys.admin_token = kAdminToken;
    auto gateway = Gateway::Start(config);
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = gateway->release();

    // The network: two organisations; an ADMIN, a PARTNER granted Milan and a VIEWER.
    Admin("POST", "/v1/regions?regionId=europe", R"({"displayName":"Europe"})");
    for (const char* id : {"milan", "turin"}) {
      Admin("POST", absl::StrCat("/v1/organisations?organisationId=", id),
            R"({"displayName":"City","kind":"METROPOLITAN_AREA","countryCode":"IT",)"
            R"("region":"regions/europe"})");
    }
    admin_key_ = new std::string(NewKey("ops", R"({"displayName":"Operations","role":"ADMIN"})"));
    partner_key_ = new std::string(
        NewKey("milan-lab",
               R"({"displayName":"Milan lab","role":"PARTNER","grants":["organisations/milan"]})"));
    viewer_key_ =
        new std::string(NewKey("observer", R"({"displayName":"Observer","role":"VIEWER"})"));
  }

  static void TearDownTestSuite() {
    delete gateway_;
    server_->Shutdown();
    delete server_;
    delete service_;
    delete store_;
    metrocap::testing::RemoveTree(*dir_);
  }

  static HttpResult Rest(const std::string& key, const std::string& method,
                         const std::string& target, const std::string& body = "") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
    return Http(gateway_->http_port(), method, target, body, headers);
  }

  static HttpResult Admin(const std::string& method, const std::string& target,
                          const std::string& body) {
    HttpResult result = Rest(kAdminToken, method, target, body);
    EXPECT_EQ(result.status, 200) << method << " " << target << ": " << result.body;
    return result;
  }

  // Creates a partner and an API key for it; returns the key's secret.
  static std::string NewKey(const std::string& partner, const std::string& partner_json) {
    Admin("POST", "/v1/partners?partnerId=" + partner, partner_json);
    HttpResult key =
        Admin("POST", "/v1/partners/" + partner + "/apiKeys", R"({"displayName":"test key"})");
    mv1::ApiKey api_key;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(key.body, &api_key).ok());
    EXPECT_FALSE(api_key.secret().empty());
    return api_key.secret();
  }

  static grpc::StatusCode Grpc(const std::string& key, const std::string& organisation) {
    auto stub = mv1::MembershipService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", gateway_->grpc_port()), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    if (!key.empty()) context.AddMetadata("authorization", "Bearer " + key);
    mv1::UpdateOrganisationRequest request;
    request.mutable_organisation()->set_name(organisation);
    request.mutable_organisation()->set_display_name("Renamed over gRPC");
    request.mutable_update_mask()->add_paths("display_name");
    mv1::Organisation response;
    return stub->UpdateOrganisation(&context, request, &response).error_code();
  }

  static int Write(const std::string& key, const std::string& organisation) {
    return Rest(key, "PATCH", "/v1/" + organisation + "?updateMask=displayName",
                R"({"displayName":"Renamed over REST"})")
        .status;
  }

  static std::string* dir_;
  static store::Store* store_;
  static membership::MembershipService* service_;
  static server::GrpcServer* server_;
  static Gateway* gateway_;
  static std::string* admin_key_;
  static std::string* partner_key_;
  static std::string* viewer_key_;
};

std::string* AuthMatrixTest::dir_;
store::Store* AuthMatrixTest::store_;
membership::MembershipService* AuthMatrixTest::service_;
server::GrpcServer* AuthMatrixTest::server_;
Gateway* AuthMatrixTest::gateway_;
std::string* AuthMatrixTest::admin_key_;
std::string* AuthMatrixTest::partner_key_;
std::string* AuthMatrixTest::viewer_key_;

TEST_F(AuthMatrixTest, NoKeyAndBadKeyAre401) {
  EXPECT_EQ(Rest("", "GET", "/v1/organisations/milan").status, 401);
  EXPECT_EQ(Rest("mck_notakey_0000", "GET", "/v1/organisations/milan").status, 401);
  EXPECT_EQ(Grpc("", "organisations/milan"), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Grpc("mck_notakey_0000", "organisations/milan"), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthMatrixTest, ViewerReadsButCannotWrite) {
  EXPECT_EQ(Rest(*viewer_key_, "GET", "/v1/organisations/milan").status, 200);
  EXPECT_EQ(Write(*viewer_key_, "organisations/milan"), 403);
  EXPECT_EQ(Grpc(*viewer_key_, "organisations/milan"), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuthMatrixTest, PartnerWritesOnlyForGrantedOrganisations) {
  EXPECT_EQ(Write(*partner_key_, "organisations/milan"), 200);
  EXPECT_EQ(Write(*partner_key_, "organisations/turin"), 403);
  EXPECT_EQ(Grpc(*partner_key_, "organisations/milan"), grpc::StatusCode::OK);
  EXPECT_EQ(Grpc(*partner_key_, "organisations/turin"), grpc::StatusCode::PERMISSION_DENIED);
  HttpResult forbidden =
      Rest(*partner_key_, "PATCH", "/v1/organisations/turin?updateMask=displayName",
           R"({"displayName":"x"})");
  EXPECT_THAT(forbidden.body, HasSubstr("NOT_GRANTED"));
}

TEST_F(AuthMatrixTest, AdminWritesEverywhere) {
  EXPECT_EQ(Write(*admin_key_, "organisations/turin"), 200);
  EXPECT_EQ(Grpc(*admin_key_, "organisations/turin"), grpc::StatusCode::OK);
  EXPECT_EQ(Rest(*admin_key_, "GET", "/v1/partners").status, 200);
}

TEST_F(AuthMatrixTest, RevokedKeyIsRefusedWithinTheCacheTtl) {
  std::string key = NewKey("short-lived", R"({"displayName":"Observer","role":"VIEWER"})");
  EXPECT_EQ(Rest(key, "GET", "/v1/organisations/milan").status, 200);
  HttpResult keys = Admin("GET", "/v1/partners/short-lived/apiKeys", "");
  mv1::ListApiKeysResponse list;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(keys.body, &list).ok());
  ASSERT_EQ(list.api_keys_size(), 1);
  Admin("POST", "/v1/" + list.api_keys(0).name() + ":revoke", "{}");
  absl::Time revoked = absl::Now();
  while (Rest(key, "GET", "/v1/organisations/milan").status == 200) {
    ASSERT_LT(absl::Now() - revoked, absl::Seconds(5)) << "the revoked key still works";
  }
  EXPECT_EQ(Rest(key, "GET", "/v1/organisations/milan").status, 401);
  EXPECT_EQ(Grpc(key, "organisations/milan"), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthMatrixTest, EtagHeaderAndIfMatch) {
  HttpResult got = Rest(*admin_key_, "GET", "/v1/organisations/milan");
  ASSERT_EQ(got.status, 200);
  const std::string etag = got.headers["etag"];
  ASSERT_GE(etag.size(), 3u);
  EXPECT_EQ(etag.front(), '"');
  EXPECT_NE(etag[1], '"');  // Quoted once, not twice.
  auto patch = [&](const std::string& if_match) {
    return Http(gateway_->http_port(), "PATCH", "/v1/organisations/milan?updateMask=displayName",
                R"({"displayName":"Milano"})",
                {{"Authorization", "Bearer " + *admin_key_}, {"If-Match", if_match}});
  };
  HttpResult first = patch(etag);
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_NE(first.headers["etag"], etag);
  HttpResult stale = patch(etag);
  EXPECT_EQ(stale.status, 409) << stale.body;
}

TEST_F(AuthMatrixTest, ReadyWhenMembershipServes) {
  EXPECT_EQ(Rest("", "GET", "/readyz").status, 200);
}

}  // namespace
}  // namespace metrocap::gateway::testing
