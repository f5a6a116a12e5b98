// Loads the real demo data (data/membership, then data/assessment) into the real
// metrocap-membership and metrocap-assessment binaries with the loader metrocapctl uses,
// twice, then compares the five MICAD areas and suggests peers, as docs/assessment.md shows.
// data/roadmaps loads once, then is all present. Then all four services' data, as
// scripts/run.sh loads it: the insights data/hubs publishes reach the MICAD roadmaps as
// proposals through the real hubs deliverer, once each.
#include <signal.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "metrocap/assessment/v1/assessment.grpc.pb.h"
#include "metrocap/hubs/v1/hubs.grpc.pb.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "metrocap/roadmaps/v1/roadmaps.grpc.pb.h"
#include "tests/support/process.h"
#include "tools/data_loader.h"

namespace metrocap::tools {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
namespace v1 = assessment::v1;

constexpr char kAdminToken[] = "load-demo-data-test-admin-token";
constexpr char kCredential[] = "load-demo-data-test-internal-credential";
const std::vector<std::string> kMicadAreas = {
    "organisations/barcelona-metropolitan-area", "organisations/metropolitan-city-of-milan",
    "organisations/city-of-tirana", "organisations/city-of-chisinau",
    "organisations/gornoslasko-zaglebiowska-metropolia"};

// One service binary on a free loopback port, with its own data directory.
struct Component {
  std::string address;
  pid_t pid = -1;
};

class LoadDemoDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = testing::MakeTempDir("metrocap-load-demo");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *dir;
    Start("membership", METROCAP_MEMBERSHIP_BINARY, {}, &membership_);
    Start("assessment", METROCAP_ASSESSMENT_BINARY,
          {"METROCAP_MEMBERSHIP_ADDRESS=" + membership_.address}, &assessment_);
    Start("roadmaps", METROCAP_ROADMAPS_BINARY,
          {"METROCAP_MEMBERSHIP_ADDRESS=" + membership_.address,
           "METROCAP_ASSESSMENT_ADDRESS=" + assessment_.address},
          &roadmaps_);
  }

  void TearDown() override {
    for (Component* c : {&hubs_, &roadmaps_, &assessment_, &membership_}) {
      if (c->pid <= 0) continue;
      kill(c->pid, SIGTERM);
      EXPECT_TRUE(testing::WaitForExit(c->pid, absl::Seconds(30)).ok());
    }
    testing::RemoveTree(dir_);
  }

  void Start(const std::string& component, const std::string& binary, std::vector<std::string> env,
             Component* out) {
    auto port = testing::FreeLoopbackPort();
    ASSERT_TRUE(port.ok()) << port.status();
    out->address = absl::StrCat("127.0.0.1:", *port);
    std::vector<std::string> argv = {"/usr/bin/env",
                                     "METROCAP_LISTEN_ADDRESS=" + out->address,
                                     "METROCAP_DATA_DIR=" + dir_,
                                     absl::StrCat("METROCAP_ADMIN_TOKEN=", kAdminToken),
                                     absl::StrCat("METROCAP_INTERNAL_CREDENTIAL=", kCredential),
                                     "METROCAP_SHUTDOWN_GRACE_SECONDS=1"};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.push_back(binary);
    std::string log = dir_ + "/" + component + ".log";
    auto pid = testing::Spawn(argv, log, {}, SIGKILL);
    ASSERT_TRUE(pid.ok()) << pid.status();
    out->pid = *pid;
    auto health = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel(out->address, grpc::InsecureChannelCredentials()));
    absl::Status ready = testing::PollUntil(
        [&]() -> absl::StatusOr<bool> {
          if (!testing::StillRunning(out->pid)) {
            return absl::InternalError(component + " exited: " + testing::TailOf(log));
          }
          grpc::ClientContext context;
          context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
          grpc::health::v1::HealthCheckRequest request;
          grpc::health::v1::HealthCheckResponse response;
          return health->Check(&context, request, &response).ok() &&
                 response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
        },
        absl::Seconds(60), component + " serving");
    ASSERT_TRUE(ready.ok()) << ready;
  }

  absl::StatusOr<LoadReport> Load(const Component& component, const std::string& data) {
    RpcClient client(grpc::CreateChannel(component.address, grpc::InsecureChannelCredentials()),
                     kAdminToken);
    DataLoader loader(&catalog_, &client);
    return loader.LoadDirectory(absl::StrCat(METROCAP_SOURCE_DIR, "/data/", data), log_);
  }

  std::unique_ptr<grpc::ClientContext> AsAdmin() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", absl::StrCat("Bearer ", kAdminToken));
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return context;
  }

  std::string dir_;
  Component membership_, assessment_, roadmaps_, hubs_;
  ApiCatalog catalog_{
      {v1::Framework::descriptor()->file()->FindServiceByName("AssessmentService"),
       membership::v1::Organisation::descriptor()->file()->FindServiceByName("MembershipService"),
       roadmaps::v1::Roadmap::descriptor()->file()->FindServiceByName("RoadmapService"),
       hubs::v1::Hub::descriptor()->file()->FindServiceByName("HubService")}};
  std::ostringstream log_;
};

TEST_F(LoadDemoDataTest, LoadsTwiceThenComparesAndSuggestsPeers) {
  auto members = Load(membership_, "membership");
  ASSERT_TRUE(members.ok()) << members.status();
  EXPECT_EQ(members->present, 0);
  auto first = Load(assessment_, "assessment");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->created, 6);
  EXPECT_EQ(first->brought_to_state, 6);
  EXPECT_EQ(first->transition_calls, 1 + 5 * 2);

  auto second = Load(assessment_, "assessment");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(Summary(*second),
            "0 created, 6 already present; 0 brought to their state (0 calls), 6 already in it");
  auto members_again = Load(membership_, "membership");
  ASSERT_TRUE(members_again.ok()) << members_again.status();
  EXPECT_EQ(members_again->created, 0);
  EXPECT_EQ(members_again->present, members->created);

  auto stub = v1::AssessmentService::NewStub(
      grpc::CreateChannel(assessment_.address, grpc::InsecureChannelCredentials()));
  v1::CompareAssessmentsRequest compare;
  compare.set_framework("frameworks/micad");
  for (const std::string& o : kMicadAreas) compare.add_organisations(o);
  v1::CompareAssessmentsResponse comparison;
  grpc::Status status = stub->CompareAssessments(AsAdmin().get(), compare, &comparison);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(comparison.organisations_size(), 5);
  EXPECT_THAT(comparison.withheld_organisations(), IsEmpty());
  EXPECT_THAT(comparison.unassessed_organisations(), IsEmpty());
  ASSERT_EQ(comparison.capacities_size(), 7);
  EXPECT_EQ(comparison.capacities(0).capacity(), "knowledge");
  // (4.5 + 4.0 + 2.5 + 2.5 + 3.5) / 5, as in data/assessment/README.md.
  EXPECT_DOUBLE_EQ(comparison.capacities(0).network_mean(), 3.4);
  EXPECT_EQ(comparison.capacities(0).organisation_count(), 5);

  v1::SuggestPeersRequest suggest;
  suggest.set_name("organisations/city-of-tirana/assessments/micad-2025");
  v1::SuggestPeersResponse peers;
  status = stub->SuggestPeers(AsAdmin().get(), suggest, &peers);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::map<std::string, std::vector<std::string>> by_need;
  for (const v1::PeerSuggestion& s : peers.suggestions()) {
    for (const v1::Peer& p : s.peers()) by_need[s.capacity()].push_back(p.organisation());
  }
  EXPECT_THAT(by_need["knowledge"], ElementsAre("organisations/barcelona-metropolitan-area",
                                                "organisations/metropolitan-city-of-milan"));
  EXPECT_THAT(by_need["management"],
              ElementsAre("organisations/barcelona-metropolitan-area",
                          "organisations/gornoslasko-zaglebiowska-metropolia"));
  EXPECT_THAT(by_need["learning"], ElementsAre("organisations/metropolitan-city-of-milan"));
}

TEST_F(LoadDemoDataTest, LoadsEveryServiceAndThePublishedInsightsBecomeProposalsOnce) {
  Start("roadmaps", METROCAP_ROADMAPS_BINARY,
        {"METROCAP_MEMBERSHIP_ADDRESS=" + membership_.address,
         "METROCAP_ASSESSMENT_ADDRESS=" + assessment_.address},
        &roadmaps_);
  Start("hubs", METROCAP_HUBS_BINARY,
        {"METROCAP_MEMBERSHIP_ADDRESS=" + membership_.address,
         "METROCAP_ASSESSMENT_ADDRESS=" + assessment_.address,
         "METROCAP_ROADMAPS_ADDRESS=" + roadmaps_.address},
        &hubs_);
  for (auto [component, data] : {std::pair{&membership_, "membership"},
                                 {&assessment_, "assessment"},
                                 {&roadmaps_, "roadmaps"}}) {
    auto loaded = Load(*component, data);
    ASSERT_TRUE(loaded.ok()) << data << ": " << loaded.status();
  }
  auto hubs = Load(hubs_, "hubs");
  ASSERT_TRUE(hubs.ok()) << hubs.status();
  EXPECT_EQ(Summary(*hubs),
            "72 created, 0 already present; 6 brought to their state (9 calls), 0 already in it");

  // Three published insights, four target roadmaps (data/hubs/README.md).
  auto roadmaps = roadmaps::v1::RoadmapService::NewStub(
      grpc::CreateChannel(roadmaps_.address, grpc::InsecureChannelCredentials()));
  roadmaps::v1::ListRevisionProposalsRequest list;
  list.set_parent("organisations/-/roadmaps/-");
  list.set_page_size(100);
  roadmaps::v1::ListRevisionProposalsResponse proposals;
  absl::Status delivered = testing::PollUntil(
      [&]() -> absl::StatusOr<bool> {
        grpc::Status status = roadmaps->ListRevisionProposals(AsAdmin().get(), list, &proposals);
        if (!status.ok()) return absl::InternalError(status.error_message());
        return proposals.proposals_size() >= 4;
      },
      absl::Seconds(30), "four proposals");
  ASSERT_TRUE(delivered.ok()) << delivered;
  std::vector<std::string> sources;
  for (const auto& p : proposals.proposals()) sources.push_back(p.roadmap() + " <- " + p.source());
  EXPECT_THAT(sources, ::testing::UnorderedElementsAre(
                           "organisations/barcelona-metropolitan-area/roadmaps/twin-transition <- "
                           "hubs/micad-barcelona/insights/living-lab-needs-digital-skills",
                           "organisations/city-of-tirana/roadmaps/twin-transition <- "
                           "hubs/micad-capacity-building/insights/shared-reference-framework",
                           "organisations/city-of-chisinau/roadmaps/twin-transition <- "
                           "hubs/micad-capacity-building/insights/shared-reference-framework",
                           "organisations/metropolitan-city-of-milan/roadmaps/twin-transition <- "
                           "hubs/metropoli-strategiche/insights/associated-services-coordination"));

  // Loading again publishes nothing new, so no proposal is added.
  auto again = Load(hubs_, "hubs");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->created, 0);
  auto insights = hubs::v1::HubService::NewStub(
      grpc::CreateChannel(hubs_.address, grpc::InsecureChannelCredentials()));
  hubs::v1::GetInsightRequest get;
  get.set_name("hubs/micad-capacity-building/insights/shared-reference-framework");
  hubs::v1::Insight insight;
  grpc::Status status = insights->GetInsight(AsAdmin().get(), get, &insight);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(insight.deliveries_size(), 2);
  for (const auto& delivery : insight.deliveries()) {
    EXPECT_EQ(delivery.state(), hubs::v1::Delivery::DELIVERED) << delivery.roadmap();
    EXPECT_EQ(delivery.attempts(), 1) << delivery.roadmap();
  }
  status = roadmaps->ListRevisionProposals(AsAdmin().get(), list, &proposals);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(proposals.proposals_size(), 4);
}

// data/roadmaps (a taxonomy, a plan and the five MICAD roadmaps, whose codes and capacities
// resolve in that plan and in assessment's framework) loads once; again, it is all present.
TEST_F(LoadDemoDataTest, LoadsRoadmapsTwice) {
  Start("roadmaps", METROCAP_ROADMAPS_BINARY,
        {"METROCAP_MEMBERSHIP_ADDRESS=" + membership_.address,
         "METROCAP_ASSESSMENT_ADDRESS=" + assessment_.address},
        &roadmaps_);
  ASSERT_TRUE(Load(membership_, "membership").ok());
  ASSERT_TRUE(Load(assessment_, "assessment").ok());
  auto first = Load(roadmaps_, "roadmaps");
  ASSERT_TRUE(first.ok()) << first.status() << log_.str();
  EXPECT_EQ(first->created, 7);
  EXPECT_EQ(first->present, 0);
  auto second = Load(roadmaps_, "roadmaps");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->created, 0);
  EXPECT_EQ(second->present, 7);

  auto stub = roadmaps::v1::RoadmapService::NewStub(
      grpc::CreateChannel(roadmaps_.address, grpc::InsecureChannelCredentials()));
  roadmaps::v1::ListRoadmapsRequest list;
  list.set_parent("organisations/-");
  roadmaps::v1::ListRoadmapsResponse roadmaps;
  grpc::Status status = stub->ListRoadmaps(AsAdmin().get(), list, &roadmaps);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(roadmaps.roadmaps_size(), 5);
  for (const roadmaps::v1::Roadmap& roadmap : roadmaps.roadmaps()) {
    EXPECT_EQ(roadmap.revision(), 1) << roadmap.name();
    EXPECT_TRUE(roadmap.has_progress_percent()) << roadmap.name();
  }
}

}  // namespace
}  // namespace metrocap::tools
