#include "gateway/core/route_table.h"

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "metrocap/gatewaytest/v1/probe.pb.h"
#include "metrocap/membership/v1/membership.pb.h"
#include "tests/gateway/probe_services.h"

namespace metrocap::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;
using Outcome = RouteMatch::Outcome;

std::unique_ptr<RouteTable> BuildTable() {
  auto table = BuildProbeRouteTable();
  EXPECT_TRUE(table.ok()) << table.status();
  return *std::move(table);
}

// Every membership RPC has a route but LookupApiKey, the gateway's own internal call.
TEST(RouteTableTest, EveryPublicMembershipRpcHasARoute) {
  auto table = BuildTable();
  const auto* service = Service("metrocap.membership.v1.MembershipService");
  for (int i = 0; i < service->method_count(); ++i) {
    bool found = false;
    for (const auto& route : table->routes()) found |= route->method == service->method(i);
    EXPECT_EQ(found, service->method(i)->name() != "LookupApiKey")
        << service->method(i)->full_name();
  }
}

TEST(RouteTableTest, MatchesMembershipRoutes) {
  auto table = BuildTable();
  RouteMatch match = table->Match("GET", "/v1/organisations/milan");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(match.route->grpc_path, "/metrocap.membership.v1.MembershipService/GetOrganisation");
  EXPECT_THAT(match.bindings, ElementsAre(Pair("name", "organisations/milan")));

  match = table->Match("PATCH", "/v1/organisations/milan");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(match.route->method->name(), "UpdateOrganisation");
  EXPECT_THAT(match.bindings, ElementsAre(Pair("organisation.name", "organisations/milan")));

  match = table->Match("POST", "/v1/applications/kocaeli:ratify");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(match.route->method->name(), "RatifyApplication");

  match = table->Match("POST", "/v1/partners/acme/apiKeys");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(match.route->method->name(), "CreateApiKey");
  EXPECT_EQ(match.route->body, "api_key");

  match = table->Match("POST", "/v1/partners/acme/apiKeys/k1:revoke");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(match.route->method->name(), "RevokeApiKey");
  EXPECT_EQ(match.route->label, "POST /v1/{name=partners/*/apiKeys/*}:revoke");
}

TEST(RouteTableTest, UnknownPathIsNotFoundAndWrongMethodIsNotAllowed) {
  auto table = BuildTable();
  EXPECT_EQ(table->Match("GET", "/v1/nothing/here").outcome, Outcome::kNotFound);
  EXPECT_EQ(table->Match("GET", "/v2/organisations/milan").outcome, Outcome::kNotFound);
  EXPECT_EQ(table->Match("POST", "/v1/applications/kocaeli:explode").outcome, Outcome::kNotFound);
  EXPECT_EQ(table->Match("GET", "/v1/organisations/%zz").outcome, Outcome::kNotFound);
  RouteMatch match = table->Match("PUT", "/v1/organisations/milan");
  ASSERT_EQ(match.outcome, Outcome::kMethodNotAllowed);
  EXPECT_THAT(match.allowed_methods, UnorderedElementsAre("GET", "PATCH", "DELETE"));
  EXPECT_EQ(table->Match("GET", "/v1/applications/kocaeli:ratify").outcome,
            Outcome::kMethodNotAllowed);
}

TEST(RouteTableTest, TestOnlyServiceNeedsNoGatewayChange) {
  auto table = BuildTable();
  RouteMatch match = table->Match("GET", "/v1/files/a/b/c");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(match.route->grpc_path, "/metrocap.gatewaytest.v1.ProbeService/GetFile");
  EXPECT_THAT(match.bindings, ElementsAre(Pair("path", "files/a/b/c")));

  // additional_bindings add routes to the same method.
  match = table->Match("GET", "/v1/things");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(match.route->method->name(), "ListThings");
  EXPECT_TRUE(match.bindings.empty());

  match = table->Match("GET", "/v1/shelves/s/things/t/tags");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(match.route->response_body, "tags");

  match = table->Match("GET", "/v1/42:count");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_THAT(match.bindings, ElementsAre(Pair("shelf_id", "42")));
}

TEST(RouteTableTest, LiteralSegmentsWinOverVariables) {
  // "/v1/things" (additional binding, literal) and "/v1/{name=shelves/*}" never collide,
  // but a literal-only path must prefer the literal route when both could match.
  auto table = BuildTable();
  RouteMatch match = table->Match("GET", "/v1/shelves/s1");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(match.route->method->name(), "GetShelf");
}

TEST(RouteTableTest, ResolveFieldPathAcceptsProtoAndJsonNames) {
  const auto* request = membership::v1::UpdateOrganisationRequest::descriptor();
  EXPECT_EQ(ResolveFieldPath(request, "organisation.country_code").size(), 2u);
  EXPECT_EQ(ResolveFieldPath(request, "organisation.countryCode").size(), 2u);
  EXPECT_EQ(ResolveFieldPath(request, "updateMask").size(), 1u);
  EXPECT_TRUE(ResolveFieldPath(request, "organisation.nope").empty());
  EXPECT_TRUE(ResolveFieldPath(request, "request_id.x").empty());
}

}  // namespace
}  // namespace metrocap::gateway
