// Exactly-once delivery of published insights with real processes: metrocap-membership,
// metrocap-roadmaps and metrocap-hubs (one or two replicas on one store), each store on
// SQLite and on PostgreSQL. Roadmaps stopped while insights are published, hubs killed with
// SIGKILL after the publish committed, two replicas delivering the same outbox at once: in
// every case each target roadmap ends with exactly one proposal per insight. A roadmap gone
// before its delivery fails that delivery for good.
#include <signal.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "metrocap/hubs/v1/hubs.grpc.pb.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "metrocap/roadmaps/v1/roadmaps.grpc.pb.h"
#include "tests/integration/cache/component_process.h"
#include "tests/integration/hubs/learning_hub.h"
#include "tests/support/process.h"
#include "tests/support/store_backends.h"

namespace metrocap::testing {
namespace {

namespace hv1 = ::metrocap::hubs::v1;
namespace mv1 = ::metrocap::membership::v1;
namespace rv1 = ::metrocap::roadmaps::v1;

constexpr char kAdminToken[] = "delivery-test-admin-token";
constexpr char kCredential[] = "delivery-test-internal-credential";
const std::vector<std::string> kRoadmaps = {"organisations/madrid/roadmaps/twin",
                                            "organisations/chengdu/roadmaps/net-zero"};

std::unique_ptr<grpc::ClientContext> AsAdmin() { return AsBootstrapAdmin(kAdminToken); }

std::string Describe(const grpc::Status& status) {
  return absl::StrCat("code ", status.error_code(), ": ", status.error_message());
}

class DeliveryProcessesTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    METROCAP_REQUIRE_STORE_BACKEND(GetParam());
    absl::StatusOr<std::string> dir = MakeTempDir("hubs-delivery");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *dir;
    roadmaps_db_ = DatabaseUrl("roadmaps");
    hubs_db_ = DatabaseUrl("hubs");
    absl::StatusOr<int> port = FreeLoopbackPort();
    ASSERT_TRUE(port.ok()) << port.status();
    roadmaps_address_ = absl::StrCat("127.0.0.1:", *port);
    membership_ = Start("membership", {"METROCAP_DATABASE_URL=" + DatabaseUrl("membership")});
    ASSERT_TRUE(membership_ != nullptr);
    StartRoadmaps();
    ASSERT_TRUE(roadmaps_ != nullptr);
    hubs_a_ = StartHubs("hubs-a");
    ASSERT_TRUE(hubs_a_ != nullptr);
    Seed();
  }

  void TearDown() override {
    hubs_a_.reset();
    hubs_b_.reset();
    roadmaps_.reset();
    membership_.reset();
    if (HasFailure()) PrintLogTails(log_paths_);
    if (!dir_.empty()) RemoveTree(dir_);
  }

  std::string DatabaseUrl(const std::string& component) {
    if (GetParam().name == "PostgreSQL") {
      absl::StatusOr<std::string> url = NewTestDatabase();
      EXPECT_TRUE(url.ok()) << url.status();
      return url.ok() ? *url : "";
    }
    return absl::StrCat("sqlite:", dir_, "/", component, ".db");
  }

  // Starts `binary` as `name` (its log: <dir>/<name>-<n>.log, a new file per start).
  std::unique_ptr<ComponentProcess> Start(const std::string& name, std::vector<std::string> env) {
    const std::string binary = absl::StartsWith(name, "hubs") ? METROCAP_HUBS_BINARY
                               : name == "roadmaps"           ? METROCAP_ROADMAPS_BINARY
                                                              : METROCAP_MEMBERSHIP_BINARY;
    return StartTestComponent(binary, dir_, name, kCredential, kAdminToken, std::move(env),
                              &log_paths_);
  }

  // Roadmaps always on one address, so hubs finds it again after a restart.
  void StartRoadmaps() {
    roadmaps_ = Start("roadmaps", {"METROCAP_DATABASE_URL=" + roadmaps_db_,
                                   "METROCAP_LISTEN_ADDRESS=" + roadmaps_address_,
                                   "METROCAP_MEMBERSHIP_ADDRESS=" + membership_->address()});
    roadmaps_stub_ = rv1::RoadmapService::NewStub(
        grpc::CreateChannel(roadmaps_address_, grpc::InsecureChannelCredentials()));
  }

  // A hubs replica on the shared hubs store, polling and backing off every 50 ms.
  std::unique_ptr<ComponentProcess> StartHubs(const std::string& name) {
    return Start(name, {"METROCAP_DATABASE_URL=" + hubs_db_,
                        "METROCAP_MEMBERSHIP_ADDRESS=" + membership_->address(),
                        "METROCAP_ROADMAPS_ADDRESS=" + roadmaps_address_,
                        "METROCAP_DELIVERY_POLL_MS=50", "METROCAP_DELIVERY_BACKOFF_MS=50"});
  }

  std::unique_ptr<hv1::HubService::Stub> HubsStub(const ComponentProcess& hubs) {
    return hv1::HubService::NewStub(ChannelTo(hubs));
  }

  // Madrid and Chengdu with a roadmap each, Chengdu's learning hub and one of its sessions.
  void Seed() {
    auto membership = mv1::MembershipService::NewStub(ChannelTo(*membership_));
    mv1::CreateRegionRequest region;
    region.set_region_id("world");
    region.mutable_region()->set_display_name("World");
    mv1::Region created_region;
    grpc::Status status = membership->CreateRegion(AsAdmin().get(), region, &created_region);
    ASSERT_TRUE(status.ok()) << Describe(status);
    for (const char* id : {"madrid", "chengdu"}) {
      mv1::CreateOrganisationRequest request;
      request.set_organisation_id(id);
      request.mutable_organisation()->set_display_name(id);
      request.mutable_organisation()->set_kind(mv1::Organisation::CITY);
      request.mutable_organisation()->set_country_code("ES");
      request.mutable_organisation()->set_region("regions/world");
      mv1::Organisation created;
      status = membership->CreateOrganisation(AsAdmin().get(), request, &created);
      ASSERT_TRUE(status.ok()) << Describe(status);
    }
    for (const std::string& roadmap : kRoadmaps) {
      rv1::CreateRoadmapRequest request;
      request.set_parent(roadmap.substr(0, roadmap.find("/roadmaps/")));
      request.set_roadmap_id(roadmap.substr(roadmap.rfind('/') + 1));
      request.mutable_roadmap()->set_display_name(roadmap);
      request.mutable_roadmap()->set_kind(rv1::Roadmap::TWIN);
      rv1::Roadmap created;
      status = roadmaps_stub_->CreateRoadmap(AsAdmin().get(), request, &created);
      ASSERT_TRUE(status.ok()) << Describe(status);
    }
    status = CreateLearningHubWithSession(*HubsStub(*hubs_a_), kAdminToken);
    ASSERT_TRUE(status.ok()) << Describe(status);
  }

  // DRAFT insights "insight-0".."insight-<count-1>", each targeting both roadmaps.
  std::vector<std::string> CreateInsights(int count) {
    auto hubs = HubsStub(*hubs_a_);
    std::vector<std::string> names;
    for (int i = 0; i < count; ++i) {
      hv1::CreateInsightRequest request;
      request.set_parent("hubs/learning-hub-chengdu");
      request.set_insight_id(absl::StrCat("insight-", i));
      hv1::Insight* insight = request.mutable_insight();
      insight->set_summary(absl::StrCat("Community guidelines, lesson ", i));
      insight->set_source("hubs/learning-hub-chengdu/sessions/net-zero-community");
      for (const std::string& roadmap : kRoadmaps) insight->add_target_roadmaps(roadmap);
      hv1::Insight created;
      grpc::Status status = hubs->CreateInsight(AsAdmin().get(), request, &created);
      EXPECT_TRUE(status.ok()) << Describe(status);
      names.push_back(created.name());
    }
    return names;
  }

  void Publish(const ComponentProcess& hubs, const std::vector<std::string>& insights) {
    auto stub = HubsStub(hubs);
    for (const std::string& name : insights) {
      hv1::PublishInsightRequest request;
      request.set_name(name);
      hv1::Insight published;
      grpc::Status status = stub->PublishInsight(AsAdmin().get(), request, &published);
      ASSERT_TRUE(status.ok()) << name << ": " << Describe(status);
      ASSERT_EQ(published.state(), hv1::Insight::PUBLISHED);
    }
  }

  absl::StatusOr<hv1::Insight> GetInsight(const ComponentProcess& hubs, const std::string& name) {
    hv1::GetInsightRequest request;
    request.set_name(name);
    hv1::Insight insight;
    grpc::Status status = HubsStub(hubs)->GetInsight(AsAdmin().get(), request, &insight);
    if (!status.ok()) return absl::InternalError(Describe(status));
    return insight;
  }

  // Waits until every delivery of `insights` satisfies `done`.
  void WaitForDeliveries(const ComponentProcess& hubs, const std::vector<std::string>& insights,
                         const std::function<bool(const hv1::Delivery&)>& done,
                         const std::string& what) {
    absl::Status waited = PollUntil(
        [&]() -> absl::StatusOr<bool> {
          for (const std::string& name : insights) {
            absl::StatusOr<hv1::Insight> insight = GetInsight(hubs, name);
            if (!insight.ok()) return insight.status();
            if (insight->deliveries_size() != static_cast<int>(kRoadmaps.size())) return false;
            for (const hv1::Delivery& delivery : insight->deliveries()) {
              if (!done(delivery)) return false;
            }
          }
          return true;
        },
        absl::Seconds(60), what);
    ASSERT_TRUE(waited.ok()) << waited;
  }

  void WaitDelivered(const ComponentProcess& hubs, const std::vector<std::string>& insights) {
    WaitForDeliveries(
        hubs, insights,
        [](const hv1::Delivery& d) { return d.state() == hv1::Delivery::DELIVERED; },
        "every delivery DELIVERED");
  }

  // Every proposal on every target roadmap: exactly one per insight on each, carrying the
  // insight's source, origin and the name its delivery recorded.
  void ExpectOneProposalPerTarget(const ComponentProcess& hubs,
                                  const std::vector<std::string>& insights) {
    for (const std::string& roadmap : kRoadmaps) {
      rv1::ListRevisionProposalsRequest request;
      request.set_parent(roadmap);
      request.set_page_size(100);
      rv1::ListRevisionProposalsResponse response;
      grpc::Status status =
          roadmaps_stub_->ListRevisionProposals(AsAdmin().get(), request, &response);
      ASSERT_TRUE(status.ok()) << Describe(status);
      EXPECT_EQ(response.proposals_size(), static_cast<int>(insights.size())) << roadmap;
      for (const std::string& name : insights) {
        int found = 0;
        std::string proposal;
        for (const rv1::RevisionProposal& p : response.proposals()) {
          if (p.source() != name) continue;
          ++found;
          proposal = p.name();
          EXPECT_EQ(p.origin().name(), "hubs/learning-hub-chengdu/sessions/net-zero-community");
          EXPECT_EQ(p.origin().title(), "Creating a Net Zero Community");
        }
        EXPECT_EQ(found, 1) << name << " on " << roadmap;
        absl::StatusOr<hv1::Insight> insight = GetInsight(hubs, name);
        ASSERT_TRUE(insight.ok()) << insight.status();
        for (const hv1::Delivery& delivery : insight->deliveries()) {
          if (delivery.roadmap() != roadmap) continue;
          EXPECT_EQ(delivery.proposal(), proposal);
        }
      }
    }
  }

  std::string dir_, roadmaps_db_, hubs_db_, roadmaps_address_;
  std::vector<std::string> log_paths_;
  std::unique_ptr<ComponentProcess> membership_, roadmaps_, hubs_a_, hubs_b_;
  std::unique_ptr<rv1::RoadmapService::Stub> roadmaps_stub_;
};

TEST_P(DeliveryProcessesTest, RoadmapsDownWhilePublishingThenUpDeliversOnceAfterAStop) {
  const std::vector<std::string> insights = CreateInsights(2);
  roadmaps_.reset();  // SIGTERM: it drains and exits
  Publish(*hubs_a_, insights);
  WaitForDeliveries(
      *hubs_a_, insights,
      [](const hv1::Delivery& d) {
        return d.state() == hv1::Delivery::PENDING && d.attempts() >= 2 &&
               absl::StartsWith(d.last_error(), "UNAVAILABLE");
      },
      "deliveries retried while roadmaps is down");
  // SIGTERM while the deliverer is retrying: hubs drains, stops it and exits at once (the
  // 1 s shutdown grace, no drain delay), and a new process takes the work over.
  ASSERT_EQ(kill(hubs_a_->pid(), SIGTERM), 0);
  absl::Status exited = WaitForExit(hubs_a_->pid(), absl::Seconds(5));
  ASSERT_TRUE(exited.ok()) << exited;
  EXPECT_TRUE(absl::StrContains(TailOf(hubs_a_->log_path()), R"("message":"stopped")"));
  hubs_a_.reset();
  StartRoadmaps();
  ASSERT_TRUE(roadmaps_ != nullptr);
  hubs_a_ = StartHubs("hubs-a");
  ASSERT_TRUE(hubs_a_ != nullptr);
  WaitDelivered(*hubs_a_, insights);
  ExpectOneProposalPerTarget(*hubs_a_, insights);

  // Publishing again sends nothing new.
  Publish(*hubs_a_, insights);
  absl::StatusOr<hv1::Insight> again = GetInsight(*hubs_a_, insights[0]);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->deliveries(0).state(), hv1::Delivery::DELIVERED);
  ExpectOneProposalPerTarget(*hubs_a_, insights);
}

TEST_P(DeliveryProcessesTest, HubsKilledAfterThePublishCommittedDeliversOnceAfterRestart) {
  const std::vector<std::string> insights = CreateInsights(4);
  // With roadmaps down, the delivery cannot have happened before the kill.
  roadmaps_.reset();
  Publish(*hubs_a_, {insights[0], insights[1]});
  ASSERT_EQ(kill(hubs_a_->pid(), SIGKILL), 0);
  hubs_a_.reset();
  StartRoadmaps();
  ASSERT_TRUE(roadmaps_ != nullptr);
  hubs_a_ = StartHubs("hubs-a");
  ASSERT_TRUE(hubs_a_ != nullptr);
  // With roadmaps up, the kill lands anywhere: before the call, after roadmaps created the
  // proposal but before hubs recorded it, or after.
  Publish(*hubs_a_, {insights[2], insights[3]});
  ASSERT_EQ(kill(hubs_a_->pid(), SIGKILL), 0);
  hubs_a_.reset();
  hubs_a_ = StartHubs("hubs-a");
  ASSERT_TRUE(hubs_a_ != nullptr);
  WaitDelivered(*hubs_a_, insights);
  ExpectOneProposalPerTarget(*hubs_a_, insights);
}

TEST_P(DeliveryProcessesTest, TwoReplicasDeliveringAtOnceCreateEachProposalOnce) {
  hubs_b_ = StartHubs("hubs-b");
  ASSERT_TRUE(hubs_b_ != nullptr);
  const std::vector<std::string> insights = CreateInsights(6);
  // Both replicas find the same due deliveries while roadmaps is down, then race for them.
  roadmaps_.reset();
  Publish(*hubs_a_, {insights[0], insights[1], insights[2]});
  Publish(*hubs_b_, {insights[3], insights[4], insights[5]});
  WaitForDeliveries(
      *hubs_b_, insights, [](const hv1::Delivery& d) { return d.attempts() >= 2; },
      "deliveries retried while roadmaps is down");
  StartRoadmaps();
  ASSERT_TRUE(roadmaps_ != nullptr);
  WaitDelivered(*hubs_a_, insights);
  ExpectOneProposalPerTarget(*hubs_b_, insights);
}

TEST_P(DeliveryProcessesTest, ARoadmapDeletedBeforeDeliveryFailsThatDeliveryForGood) {
  const std::vector<std::string> insights = CreateInsights(1);
  rv1::DeleteRoadmapRequest remove;
  remove.set_name(kRoadmaps[1]);
  google::protobuf::Empty empty;
  grpc::Status status = roadmaps_stub_->DeleteRoadmap(AsAdmin().get(), remove, &empty);
  ASSERT_TRUE(status.ok()) << Describe(status);
  Publish(*hubs_a_, insights);
  WaitForDeliveries(
      *hubs_a_, insights,
      [](const hv1::Delivery& d) { return d.state() != hv1::Delivery::PENDING; },
      "no delivery PENDING");
  absl::StatusOr<hv1::Insight> insight = GetInsight(*hubs_a_, insights[0]);
  ASSERT_TRUE(insight.ok()) << insight.status();
  EXPECT_EQ(insight->deliveries(0).state(), hv1::Delivery::DELIVERED);
  const hv1::Delivery& failed = insight->deliveries(1);
  EXPECT_EQ(failed.state(), hv1::Delivery::FAILED);
  EXPECT_EQ(failed.attempts(), 1);
  EXPECT_TRUE(absl::StartsWith(failed.last_error(), "NOT_FOUND")) << failed.last_error();
  EXPECT_TRUE(failed.proposal().empty());
  EXPECT_FALSE(insight->has_next_delivery_time());
}

INSTANTIATE_TEST_SUITE_P(Backends, DeliveryProcessesTest, ::testing::ValuesIn(AllStoreBackends()),
                         StoreBackendName);

}  // namespace
}  // namespace metrocap::testing
