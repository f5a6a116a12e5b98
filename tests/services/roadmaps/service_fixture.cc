// The fixture of every TEST_P of RoadmapServiceTest, on SQLite and on PostgreSQL.
#include "tests/services/roadmaps/service_fixture.h"

namespace metrocap::roadmaps::testing {

using Stub = v1::RoadmapService::Stub;

INSTANTIATE_TEST_SUITE_P(Backends, RoadmapServiceTest,
                         ::testing::ValuesIn(::metrocap::testing::AllStoreBackends()),
                         ::metrocap::testing::StoreBackendName);

void RoadmapServiceTest::SetUp() {
  METROCAP_REQUIRE_STORE_BACKEND(GetParam());
  absl::Status started = env_.Start();
  ASSERT_TRUE(started.ok()) << started;
  for (const char* id : {"milan", "tirana", "metropolis"}) {
    ASSERT_OK(env_.AddOrganisation(id));
  }
  ASSERT_OK(env_.AddFramework("micad", Parse<assessment::v1::Framework>(R"pb(
                                display_name: "MICAD"
                                scale_min: 1
                                scale_max: 5
                                need_threshold: 3
                                potential_threshold: 4
                                capacities {
                                  id: "knowledge"
                                  display_name: "Knowledge"
                                  indicators { id: "k" question: "q" weight: 1 }
                                }
                                capacities {
                                  id: "learning"
                                  display_name: "Learning"
                                  indicators { id: "l" question: "q" weight: 1 }
                                }
                              )pb"),
                              /*publish=*/true));

  v1::CreateTaxonomyRequest taxonomy;
  taxonomy.set_taxonomy_id("challenges");
  *taxonomy.mutable_taxonomy() = Parse<v1::Taxonomy>(R"pb(
    display_name: "Metropolitan challenges"
    themes { code: "2" title: "Resilience" }
    themes { code: "4" title: "Digital" }
    challenges { code: "2.3" title: "Climate resilience" }
    challenges { code: "4.2" title: "Closing the gender digital gap" }
  )pb");
  ASSERT_OK(Call(&Stub::CreateTaxonomy, AdminCaller(), taxonomy));
  v1::CreatePlanRequest plan;
  plan.set_plan_id("sap");
  *plan.mutable_plan() = Parse<v1::Plan>(R"pb(
    display_name: "Strategic Action Plan"
    owner: "organisations/metropolis"
    taxonomy: "taxonomies/challenges"
    action_lines {
      code: "L2"
      title: "Build adaptive capacities for metropolitan governance"
      actions {
        code: "L2A2"
        title: "Support for metropolitan governance"
        deliverables { code: "L2A2D3" title: "Learning and capacity-building activities" }
      }
    }
  )pb");
  ASSERT_OK(Call(&Stub::CreatePlan, AdminCaller(), plan));
}

v1::Roadmap RoadmapServiceTest::SampleRoadmap() {
  return Parse<v1::Roadmap>(R"pb(
    display_name: "Twin transition roadmap"
    kind: TWIN
    plan: "plans/sap"
    framework: "frameworks/micad"
    start_date { year: 2025 month: 7 day: 1 }
    end_date { year: 2027 month: 6 day: 30 }
    objectives {
      id: "learning"
      title: "Strengthen learning capacity"
      capacities: "learning"
      actions {
        id: "a1"
        title: "Digital skills training"
        status: IN_PROGRESS
        progress_percent: 40
        due_date { year: 2026 month: 1 day: 31 }
        capacities: "learning"
        challenge_codes: "4.2"
        outcome_codes: "L2A2D3"
      }
      actions { id: "a2" title: "Monitoring framework" status: DONE }
    }
    indicators {
      id: "trained"
      display_name: "Staff trained"
      unit: "people"
      baseline: 0
      target: 100
      measurements {
        date { year: 2026 month: 1 day: 1 }
        value: 25
        source: "records"
      }
      milestones {
        date { year: 2025 month: 12 day: 31 }
        value: 30
      }
    }
  )pb");
}

absl::StatusOr<v1::Roadmap> RoadmapServiceTest::CreateRoadmap(const identity::Caller& caller,
                                                              const std::string& organisation,
                                                              const std::string& id,
                                                              const v1::Roadmap& roadmap) {
  v1::CreateRoadmapRequest request;
  request.set_parent(organisation);
  request.set_roadmap_id(id);
  *request.mutable_roadmap() = roadmap;
  return Call(&Stub::CreateRoadmap, caller, request);
}

absl::StatusOr<v1::Roadmap> RoadmapServiceTest::UpdateRoadmap(
    const identity::Caller& caller, const v1::Roadmap& roadmap,
    const std::vector<std::string>& paths) {
  v1::UpdateRoadmapRequest request;
  *request.mutable_roadmap() = roadmap;
  for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
  return Call(&Stub::UpdateRoadmap, caller, request);
}

absl::StatusOr<v1::Roadmap> RoadmapServiceTest::GetRoadmap(const std::string& name) {
  v1::GetRoadmapRequest request;
  request.set_name(name);
  return Call(&Stub::GetRoadmap, ViewerCaller(), request);
}

absl::StatusOr<v1::RevisionProposal> RoadmapServiceTest::Propose(const identity::Caller& caller,
                                                                 const std::string& roadmap,
                                                                 const std::string& id,
                                                                 const std::string& request_id) {
  v1::CreateRevisionProposalRequest request;
  request.set_parent(roadmap);
  request.set_proposal_id(id);
  request.set_request_id(request_id);
  *request.mutable_proposal() = Parse<v1::RevisionProposal>(R"pb(
    summary: "Add a Living Lab on heat islands"
    source: "hubs/milan-hub/insights/heat"
    origin { name: "hubs/milan-hub/sessions/living-lab-1" title: "Living Lab on heat islands" }
    capacities: "learning"
  )pb");
  return Call(&Stub::CreateRevisionProposal, caller, request);
}

}  // namespace metrocap::roadmaps::testing
