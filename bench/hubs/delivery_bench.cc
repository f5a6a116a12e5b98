// Publish-to-proposal latency (docs/benchmarks.md, "Hubs"): the real metrocap-membership,
// metrocap-roadmaps and metrocap-hubs binaries on SQLite files in a temporary directory,
// roadmaps up. For each of N insights (one target roadmap each): the time from sending
// :publish to hubs until roadmaps' GetRevisionProposal finds the proposal the deliverer
// created, polled back to back. Prints p50, p90, p99 and max, and the same for the
// :publish call alone (hubs' own write, before the deliverer's work).
//
// Run: build/bench/hubs/delivery_bench [N] (default 200).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "metrocap/hubs/v1/hubs.grpc.pb.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "metrocap/roadmaps/v1/roadmaps.grpc.pb.h"
#include "services/hubs/core/delivery.h"
#include "tests/integration/cache/component_process.h"
#include "tests/support/process.h"

namespace {

using metrocap::testing::ComponentProcess;
namespace hv1 = metrocap::hubs::v1;
namespace mv1 = metrocap::membership::v1;
namespace rv1 = metrocap::roadmaps::v1;

constexpr char kAdminToken[] = "delivery-bench-admin-token";
constexpr char kCredential[] = "delivery-bench-internal-credential";
constexpr char kRoadmap[] = "organisations/madrid/roadmaps/twin";

std::unique_ptr<grpc::ClientContext> AsAdmin() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", absl::StrCat("Bearer ", kAdminToken));
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

void Check(const grpc::Status& status, const char* what) {
  if (status.ok()) return;
  std::fprintf(stderr, "%s: %s\n", what, status.error_message().c_str());
  std::exit(1);
}

std::unique_ptr<ComponentProcess> Start(const std::string& dir, const std::string& binary,
                                        const std::string& name, std::vector<std::string> env) {
  env.push_back(absl::StrCat("METROCAP_DATA_DIR=", dir, "/", name));
  env.push_back(absl::StrCat("METROCAP_INTERNAL_CREDENTIAL=", kCredential));
  env.push_back(absl::StrCat("METROCAP_ADMIN_TOKEN=", kAdminToken));
  auto process = ComponentProcess::Start(binary, env, absl::StrCat(dir, "/", name, ".log"));
  if (!process.ok()) {
    std::fprintf(stderr, "%s\n", std::string(process.status().message()).c_str());
    std::exit(1);
  }
  return *std::move(process);
}

double Percentile(const std::vector<double>& sorted, double p) {
  size_t at = static_cast<size_t>(p * (sorted.size() - 1) + 0.5);
  return sorted[std::min(at, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 200;
  auto dir = metrocap::testing::MakeTempDir("delivery-bench");
  if (!dir.ok() || count < 1) return 1;
  auto membership = Start(*dir, METROCAP_MEMBERSHIP_BINARY, "membership", {});
  auto roadmaps = Start(*dir, METROCAP_ROADMAPS_BINARY, "roadmaps",
                        {"METROCAP_MEMBERSHIP_ADDRESS=" + membership->address()});
  auto hubs = Start(*dir, METROCAP_HUBS_BINARY, "hubs",
                    {"METROCAP_MEMBERSHIP_ADDRESS=" + membership->address(),
                     "METROCAP_ROADMAPS_ADDRESS=" + roadmaps->address()});
  auto channel = [](const ComponentProcess& p) {
    return grpc::CreateChannel(p.address(), grpc::InsecureChannelCredentials());
  };
  auto members = mv1::MembershipService::NewStub(channel(*membership));
  auto roadmap_stub = rv1::RoadmapService::NewStub(channel(*roadmaps));
  auto hub_stub = hv1::HubService::NewStub(channel(*hubs));

  mv1::CreateRegionRequest region;
  region.set_region_id("europe");
  region.mutable_region()->set_display_name("Europe");
  mv1::Region created_region;
  Check(members->CreateRegion(AsAdmin().get(), region, &created_region), "CreateRegion");
  mv1::CreateOrganisationRequest organisation;
  organisation.set_organisation_id("madrid");
  organisation.mutable_organisation()->set_display_name("Madrid");
  organisation.mutable_organisation()->set_kind(mv1::Organisation::CITY);
  organisation.mutable_organisation()->set_country_code("ES");
  organisation.mutable_organisation()->set_region("regions/europe");
  mv1::Organisation created_organisation;
  Check(members->CreateOrganisation(AsAdmin().get(), organisation, &created_organisation),
        "CreateOrganisation");
  rv1::CreateRoadmapRequest roadmap;
  roadmap.set_parent("organisations/madrid");
  roadmap.set_roadmap_id("twin");
  roadmap.mutable_roadmap()->set_display_name("Twin transition");
  roadmap.mutable_roadmap()->set_kind(rv1::Roadmap::TWIN);
  rv1::Roadmap created_roadmap;
  Check(roadmap_stub->CreateRoadmap(AsAdmin().get(), roadmap, &created_roadmap), "CreateRoadmap");
  hv1::CreateHubRequest hub;
  hub.set_hub_id("micad-madrid");
  hub.mutable_hub()->set_display_name("MICAD operational hub Madrid");
  hub.mutable_hub()->set_kind(hv1::Hub::OPERATIONAL_HUB);
  hub.mutable_hub()->set_host("organisations/madrid");
  hv1::Hub created_hub;
  Check(hub_stub->CreateHub(AsAdmin().get(), hub, &created_hub), "CreateHub");
  hv1::CreateSessionRequest session;
  session.set_parent("hubs/micad-madrid");
  session.set_session_id("living-lab");
  session.mutable_session()->set_title("Living Lab co-creation");
  session.mutable_session()->set_format(hv1::Session::LIVING_LAB);
  hv1::Session created_session;
  Check(hub_stub->CreateSession(AsAdmin().get(), session, &created_session), "CreateSession");

  std::vector<double> latencies_ms, publish_ms;
  for (int i = 0; i < count; ++i) {
    hv1::CreateInsightRequest create;
    create.set_parent("hubs/micad-madrid");
    create.set_insight_id(absl::StrCat("lesson-", i));
    create.mutable_insight()->set_summary(absl::StrCat("Lesson ", i, " of the Living Lab"));
    create.mutable_insight()->set_source("hubs/micad-madrid/sessions/living-lab");
    create.mutable_insight()->add_target_roadmaps(kRoadmap);
    hv1::Insight insight;
    Check(hub_stub->CreateInsight(AsAdmin().get(), create, &insight), "CreateInsight");
    rv1::GetRevisionProposalRequest get;
    get.set_name(absl::StrCat(kRoadmap, "/proposals/", metrocap::hubs::ProposalId(insight.name())));

    hv1::PublishInsightRequest publish;
    publish.set_name(insight.name());
    const absl::Time start = absl::Now();
    Check(hub_stub->PublishInsight(AsAdmin().get(), publish, &insight), "PublishInsight");
    publish_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    rv1::RevisionProposal proposal;
    while (!roadmap_stub->GetRevisionProposal(AsAdmin().get(), get, &proposal).ok()) {
      if (absl::Now() - start > absl::Seconds(30)) {
        std::fprintf(stderr, "%s: no proposal after 30 s\n", insight.name().c_str());
        return 1;
      }
    }
    latencies_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
  }
  auto report = [count](const char* what, std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    std::printf("%s, %d insights: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n", what,
                count, Percentile(ms, 0.5), Percentile(ms, 0.9), Percentile(ms, 0.99), ms.back());
  };
  report("publish-to-proposal", latencies_ms);
  report(":publish call alone", publish_ms);
  hubs.reset();
  roadmaps.reset();
  membership.reset();
  metrocap::testing::RemoveTree(*dir);
  return 0;
}
