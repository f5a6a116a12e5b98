// Every component serves Prometheus metrics on a listener of its own, with no credential:
// the real metrocap-membership, metrocap-roadmaps, metrocap-hubs and metrocap-gateway
// (SQLite in a temporary directory) are called a few times, then each listener is scraped
// over loopback and must show those calls: the RPC counter of the method called with the
// code it returned, the cache counters, the store's transactions, the gateway's routes and
// hubs' outbox depth.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "metrocap/hubs/v1/hubs.grpc.pb.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "metrocap/roadmaps/v1/roadmaps.grpc.pb.h"
#include "tests/gateway/harness.h"
#include "tests/integration/cache/component_process.h"
#include "tests/integration/hubs/learning_hub.h"
#include "tests/support/process.h"

namespace metrocap::testing {
namespace {

namespace hv1 = ::metrocap::hubs::v1;
namespace mv1 = ::metrocap::membership::v1;
namespace rv1 = ::metrocap::roadmaps::v1;
using ::metrocap::gateway::testing::Http;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kAdminToken[] = "metrics-test-admin-token";
constexpr char kCredential[] = "metrics-test-internal-credential";

std::unique_ptr<grpc::ClientContext> AsAdmin() { return AsBootstrapAdmin(kAdminToken); }

class MetricsScrapeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> dir = MakeTempDir("metrics-scrape");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *dir;
    membership_ = Start("membership", METROCAP_MEMBERSHIP_BINARY, {});
    ASSERT_TRUE(membership_ != nullptr);
    roadmaps_ = Start("roadmaps", METROCAP_ROADMAPS_BINARY,
                      {"METROCAP_MEMBERSHIP_ADDRESS=" + membership_->address()});
    ASSERT_TRUE(roadmaps_ != nullptr);
    hubs_ = Start("hubs", METROCAP_HUBS_BINARY,
                  {"METROCAP_MEMBERSHIP_ADDRESS=" + membership_->address(),
                   "METROCAP_ROADMAPS_ADDRESS=" + roadmaps_->address(),
                   // Nothing is delivered while the test looks: roadmaps is stopped first.
                   "METROCAP_DELIVERY_BACKOFF_MS=300000"});
    ASSERT_TRUE(hubs_ != nullptr);
    gateway_ = Start("gateway", METROCAP_GATEWAY_BINARY,
                     {"METROCAP_MEMBERSHIP_ADDRESS=" + membership_->address(),
                      "METROCAP_ROADMAPS_ADDRESS=" + roadmaps_->address(),
                      "METROCAP_HUBS_ADDRESS=" + hubs_->address(),
                      "METROCAP_HTTP_LISTEN_ADDRESS=127.0.0.1:0", "METROCAP_CONSOLE_DIR=off"});
    ASSERT_TRUE(gateway_ != nullptr);
  }

  void TearDown() override {
    gateway_.reset();
    hubs_.reset();
    roadmaps_.reset();
    membership_.reset();
    if (HasFailure()) PrintLogTails(log_paths_);
    if (!dir_.empty()) RemoveTree(dir_);
  }

  std::unique_ptr<ComponentProcess> Start(const std::string& name, const std::string& binary,
                                          std::vector<std::string> env) {
    return StartTestComponent(binary, dir_, name, kCredential, kAdminToken, std::move(env),
                              &log_paths_);
  }

  // GET /metrics on the process's metrics listener, with no credential.
  std::string Scrape(const ComponentProcess& process) {
    const int port = process.ServingPortOf("metricsPort");
    EXPECT_GT(port, 0) << process.log_path();
    gateway::testing::HttpResult result = Http(port, "GET", "/metrics");
    EXPECT_EQ(result.status, 200) << result.body;
    return result.body;
  }

  std::string dir_;
  std::vector<std::string> log_paths_;
  std::unique_ptr<ComponentProcess> membership_, roadmaps_, hubs_, gateway_;
};

TEST_F(MetricsScrapeTest, EachComponentShowsItsCallsWithNoKey) {
  // membership: a region and an organisation written, the organisation read twice (the
  // second from the cache), a missing one read.
  auto membership = mv1::MembershipService::NewStub(ChannelTo(*membership_));
  mv1::CreateRegionRequest region;
  region.set_region_id("world");
  region.mutable_region()->set_display_name("World");
  mv1::Region created_region;
  ASSERT_TRUE(membership->CreateRegion(AsAdmin().get(), region, &created_region).ok());
  mv1::CreateOrganisationRequest organisation;
  organisation.set_organisation_id("chengdu");
  organisation.mutable_organisation()->set_display_name("Chengdu");
  organisation.mutable_organisation()->set_kind(mv1::Organisation::CITY);
  organisation.mutable_organisation()->set_country_code("CN");
  organisation.mutable_organisation()->set_region("regions/world");
  mv1::Organisation created;
  ASSERT_TRUE(membership->CreateOrganisation(AsAdmin().get(), organisation, &created).ok());
  for (const char* name : {"organisations/chengdu", "organisations/chengdu", "organisations/x"}) {
    mv1::GetOrganisationRequest get;
    get.set_name(name);
    mv1::Organisation read;
    membership->GetOrganisation(AsAdmin().get(), get, &read).IgnoreError();
  }

  // roadmaps: a roadmap for Chengdu (roadmaps asks membership for the organisation).
  auto roadmaps = rv1::RoadmapService::NewStub(ChannelTo(*roadmaps_));
  rv1::CreateRoadmapRequest roadmap;
  roadmap.set_parent("organisations/chengdu");
  roadmap.set_roadmap_id("net-zero");
  roadmap.mutable_roadmap()->set_display_name("Net zero");
  roadmap.mutable_roadmap()->set_kind(rv1::Roadmap::TWIN);
  rv1::Roadmap created_roadmap;
  grpc::Status status = roadmaps->CreateRoadmap(AsAdmin().get(), roadmap, &created_roadmap);
  ASSERT_TRUE(status.ok()) << status.error_message();

  // hubs: a hub, a session and an insight for that roadmap, published while roadmaps is
  // stopped, so its delivery stays pending.
  auto hubs = hv1::HubService::NewStub(ChannelTo(*hubs_));
  status = CreateLearningHubWithSession(*hubs, kAdminToken);
  ASSERT_TRUE(status.ok()) << status.error_message();
  hv1::CreateInsightRequest insight;
  insight.set_parent("hubs/learning-hub-chengdu");
  insight.set_insight_id("guidelines");
  insight.mutable_insight()->set_summary("Community guidelines");
  insight.mutable_insight()->set_source("hubs/learning-hub-chengdu/sessions/net-zero-community");
  insight.mutable_insight()->add_target_roadmaps("organisations/chengdu/roadmaps/net-zero");
  hv1::Insight created_insight;
  status = hubs->CreateInsight(AsAdmin().get(), insight, &created_insight);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string roadmaps_metrics = Scrape(*roadmaps_);
  roadmaps_.reset();
  hv1::PublishInsightRequest publish;
  publish.set_name(created_insight.name());
  hv1::Insight published;
  status = hubs->PublishInsight(AsAdmin().get(), publish, &published);
  ASSERT_TRUE(status.ok()) << status.error_message();

  // The gateway: one REST read through it, and its ADMIN route still refuses no key.
  const int http_port = gateway_->ServingPortOf("httpPort");
  ASSERT_GT(http_port, 0);
  EXPECT_EQ(Http(http_port, "GET", "/v1/regions/world", "",
                 {{"Authorization", absl::StrCat("Bearer ", kAdminToken)}})
                .status,
            200);
  EXPECT_EQ(Http(http_port, "GET", "/metrics").status, 401);

  const std::string m = Scrape(*membership_);
  EXPECT_THAT(m, HasSubstr(R"(metrocap_rpc_requests_total{code="OK",method="CreateRegion"} 1)"));
  // (Roadmaps and hubs read the organisation too, through their peer lookups.)
  EXPECT_THAT(m, HasSubstr(R"(metrocap_rpc_requests_total{code="OK",method="GetOrganisation"})"));
  EXPECT_THAT(
      m, HasSubstr(R"(metrocap_rpc_requests_total{code="NOT_FOUND",method="GetOrganisation"} 1)"));
  EXPECT_THAT(m, HasSubstr(R"(metrocap_rpc_duration_seconds_count{method="GetOrganisation"})"));
  EXPECT_THAT(m, HasSubstr(R"(metrocap_cache_hits_total{cache="organisations",layer="local"})"));
  EXPECT_THAT(
      m, Not(HasSubstr(R"(metrocap_cache_hits_total{cache="organisations",layer="local"} 0)")));
  EXPECT_THAT(m, HasSubstr(R"(metrocap_cache_misses_total{cache="organisations"})"));
  EXPECT_THAT(m, HasSubstr(R"(metrocap_store_transaction_seconds_count{access="write",)"
                           R"(outcome="commit"})"));
  // The gateway's call reached membership too.
  EXPECT_THAT(m, HasSubstr(R"(metrocap_rpc_requests_total{code="OK",method="GetRegion"} 1)"));

  EXPECT_THAT(roadmaps_metrics,
              HasSubstr(R"(metrocap_rpc_requests_total{code="OK",method="CreateRoadmap"} 1)"));

  const std::string h = Scrape(*hubs_);
  EXPECT_THAT(h, HasSubstr(R"(metrocap_rpc_requests_total{code="OK",method="PublishInsight"} 1)"));
  EXPECT_THAT(h, HasSubstr("# TYPE metrocap_hubs_outbox_pending_insights gauge\n"
                           "metrocap_hubs_outbox_pending_insights 1\n"));

  const std::string g = Scrape(*gateway_);
  EXPECT_THAT(g, HasSubstr(R"(metrocap_gateway_requests_total{code="200",protocol="rest",)"
                           R"(route="GET /v1/{name=regions/*}"} 1)"));
  EXPECT_THAT(g, HasSubstr(R"(metrocap_gateway_errors_total{code="401",protocol="rest",)"
                           R"(route="GET /metrics"} 1)"));
  EXPECT_THAT(g, HasSubstr(R"(metrocap_gateway_backend_calls_total{backend="membership",)"
                           R"(code="OK",method="GetRegion"} 1)"));
}

// Only /metrics is served there.
TEST_F(MetricsScrapeTest, TheListenerServesNothingElse) {
  const int port = membership_->ServingPortOf("metricsPort");
  ASSERT_GT(port, 0);
  EXPECT_EQ(Http(port, "GET", "/v1/regions/world").status, 404);
  EXPECT_EQ(Http(port, "GET", "/metrics").status, 200);
}

}  // namespace
}  // namespace metrocap::testing
