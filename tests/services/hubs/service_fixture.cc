#include "tests/services/hubs/service_fixture.h"

namespace metrocap::hubs::testing {

void HubServiceTest::SetUp() {
  METROCAP_REQUIRE_STORE_BACKEND(GetParam());
  absl::Status started = env_.Start();
  ASSERT_TRUE(started.ok()) << started;
  for (const char* id : {"chengdu", "madrid", "seoul"}) {
    ASSERT_THAT(
        env_.AddOrganisation(id, {"asia-pacific", membership::v1::Organisation::CITY, "CN"}),
        IsOkStatus());
  }
  roadmaps::v1::CreateTaxonomyRequest taxonomy;
  taxonomy.set_taxonomy_id("metropolis-challenges");
  taxonomy.mutable_taxonomy()->set_display_name("Metropolitan challenges");
  for (const char* theme : {"1", "2"}) {
    roadmaps::v1::Theme* t = taxonomy.mutable_taxonomy()->add_themes();
    t->set_code(theme);
    t->set_title(std::string("Theme ") + theme);
  }
  for (const char* challenge : {"1.1", "2.3"}) {
    roadmaps::v1::Challenge* c = taxonomy.mutable_taxonomy()->add_challenges();
    c->set_code(challenge);
    c->set_title(std::string("Challenge ") + challenge);
  }
  roadmaps::v1::Taxonomy created_taxonomy;
  grpc::Status status =
      env_.roadmaps().CreateTaxonomy(env_.As(AdminCaller()).get(), taxonomy, &created_taxonomy);
  ASSERT_TRUE(status.ok()) << status.error_message();
  roadmaps::v1::CreatePlanRequest plan;
  plan.set_plan_id("metropolis-sap-2021-2023");
  roadmaps::v1::Plan* p = plan.mutable_plan();
  p->set_display_name("Strategic Action Plan 2021-2023");
  p->set_owner("organisations/chengdu");
  p->set_taxonomy("taxonomies/metropolis-challenges");
  roadmaps::v1::ActionLine* line = p->add_action_lines();
  line->set_code("L2");
  line->set_title("Capacities");
  roadmaps::v1::PlanAction* action = line->add_actions();
  action->set_code("L2A2");
  action->set_title("Support");
  for (const char* code : {"L2A2D3", "L2A2D4"}) {
    roadmaps::v1::Deliverable* d = action->add_deliverables();
    d->set_code(code);
    d->set_title(code);
  }
  roadmaps::v1::Plan created_plan;
  status = env_.roadmaps().CreatePlan(env_.As(AdminCaller()).get(), plan, &created_plan);
  ASSERT_TRUE(status.ok()) << status.error_message();

  // The MICAD framework, whose capacities a hub naming no framework checks against, and a
  // smaller one a hub can name.
  ASSERT_THAT(AddFramework("micad", {"experimental", "knowledge"}), IsOkStatus());
  ASSERT_THAT(AddFramework("small", {"knowledge"}), IsOkStatus());
  for (const char* organisation : {"organisations/madrid", "organisations/seoul"}) {
    roadmaps::v1::CreateRoadmapRequest roadmap;
    roadmap.set_parent(organisation);
    roadmap.set_roadmap_id("twin");
    roadmap.mutable_roadmap()->set_display_name("Twin transition");
    roadmap.mutable_roadmap()->set_kind(roadmaps::v1::Roadmap::TWIN);
    roadmap.mutable_roadmap()->set_state(roadmaps::v1::Roadmap::DRAFT);
    roadmaps::v1::Roadmap created_roadmap;
    status = env_.roadmaps().CreateRoadmap(env_.As(AdminCaller()).get(), roadmap, &created_roadmap);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  v1::Hub hub;
  hub.set_display_name("Metropolis Learning Hub Chengdu");
  hub.set_kind(v1::Hub::LEARNING_HUB);
  hub.set_host("organisations/chengdu");
  ASSERT_THAT(CreateHub("learning-hub-chengdu", hub, ChengduPartner()), IsOkStatus());
}

absl::Status HubServiceTest::AddFramework(const std::string& id,
                                          const std::vector<std::string>& capacities) {
  assessment::v1::Framework f;
  f.set_display_name(id);
  f.set_scale_min(1);
  f.set_scale_max(5);
  f.set_need_threshold(3);
  f.set_potential_threshold(4);
  for (const std::string& capacity : capacities) {
    assessment::v1::Capacity* c = f.add_capacities();
    c->set_id(capacity);
    c->set_display_name(capacity);
  }
  return env_.AddFramework(id, f, /*publish=*/false).status();
}

absl::StatusOr<v1::Session> HubServiceTest::GetSession(const std::string& name) {
  v1::GetSessionRequest request;
  request.set_name(name);
  v1::Session out;
  grpc::Status status = env_.hubs().GetSession(env_.As(AdminCaller()).get(), request, &out);
  if (!status.ok()) return FromGrpcStatus(status);
  return out;
}

absl::StatusOr<v1::Session> HubServiceTest::UpdateSession(const v1::Session& session,
                                                          const std::vector<std::string>& paths) {
  v1::UpdateSessionRequest request;
  *request.mutable_session() = session;
  for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
  v1::Session out;
  grpc::Status status = env_.hubs().UpdateSession(env_.As(AdminCaller()).get(), request, &out);
  if (!status.ok()) return FromGrpcStatus(status);
  return out;
}

absl::StatusOr<v1::Insight> HubServiceTest::CreateInsight(const std::string& id,
                                                          const v1::Insight& insight) {
  v1::CreateInsightRequest request;
  request.set_parent("hubs/learning-hub-chengdu");
  request.set_insight_id(id);
  *request.mutable_insight() = insight;
  v1::Insight out;
  grpc::Status status = env_.hubs().CreateInsight(env_.As(AdminCaller()).get(), request, &out);
  if (!status.ok()) return FromGrpcStatus(status);
  return out;
}

absl::StatusOr<v1::Pilot> HubServiceTest::EvaluatedPilot() {
  v1::CreatePilotRequest create;
  create.set_parent("hubs/learning-hub-chengdu");
  create.mutable_pilot()->set_title("Park City community regeneration");
  create.mutable_pilot()->set_lead("organisations/chengdu");
  v1::Pilot pilot;
  grpc::Status status = env_.hubs().CreatePilot(env_.As(AdminCaller()).get(), create, &pilot);
  if (!status.ok()) return FromGrpcStatus(status);
  v1::StartPilotRequest start;
  start.set_name(pilot.name());
  status = env_.hubs().StartPilot(env_.As(AdminCaller()).get(), start, &pilot);
  if (!status.ok()) return FromGrpcStatus(status);
  v1::EvaluatePilotRequest evaluate;
  evaluate.set_name(pilot.name());
  evaluate.set_evaluation("works");
  status = env_.hubs().EvaluatePilot(env_.As(AdminCaller()).get(), evaluate, &pilot);
  if (!status.ok()) return FromGrpcStatus(status);
  return pilot;
}

absl::StatusOr<v1::Pilot> HubServiceTest::Replicate(const std::string& name,
                                                    const std::vector<std::string>& replications) {
  v1::ReplicatePilotRequest request;
  request.set_name(name);
  for (const std::string& r : replications) request.add_replications(r);
  v1::Pilot out;
  grpc::Status status = env_.hubs().ReplicatePilot(env_.As(AdminCaller()).get(), request, &out);
  if (!status.ok()) return FromGrpcStatus(status);
  return out;
}

absl::Status HubServiceTest::CreateHub(const std::string& id, const v1::Hub& hub,
                                       const identity::Caller& caller) {
  v1::CreateHubRequest request;
  request.set_hub_id(id);
  *request.mutable_hub() = hub;
  v1::Hub out;
  return FromGrpcStatus(env_.hubs().CreateHub(env_.As(caller).get(), request, &out));
}

absl::StatusOr<v1::Session> HubServiceTest::CreateSession(const std::string& id,
                                                          const v1::Session& session,
                                                          const identity::Caller& caller) {
  v1::CreateSessionRequest request;
  request.set_parent("hubs/learning-hub-chengdu");
  request.set_session_id(id);
  *request.mutable_session() = session;
  v1::Session out;
  grpc::Status status = env_.hubs().CreateSession(env_.As(caller).get(), request, &out);
  if (!status.ok()) return FromGrpcStatus(status);
  return out;
}

v1::Session HubServiceTest::NetZero() {
  v1::Session session;
  session.set_title("Creating a Net Zero Community");
  session.set_format(v1::Session::WEBINAR);
  *session.mutable_start_time() = TimeUtil::SecondsToTimestamp(1646092800);  // 2022-03-01
  session.add_organisers("organisations/chengdu");
  session.add_participants("organisations/chengdu");
  session.add_participants("organisations/madrid");
  session.set_plan("plans/metropolis-sap-2021-2023");
  session.add_outcome_codes("L2A2D3");
  session.add_outcome_codes("L2A2D4");
  return session;
}

}  // namespace metrocap::hubs::testing
