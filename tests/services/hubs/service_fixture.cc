#include "tests/services/hubs/service_fixture.h"

#include <stdlib.h>

#include <filesystem>

#include "common/status/status_macros.h"
#include "grpcpp/create_channel.h"
#include "services/assessment/storage/schemas.h"
#include "services/hubs/storage/schemas.h"
#include "services/membership/storage/schemas.h"
#include "services/roadmaps/storage/schemas.h"

namespace metrocap::hubs::testing {

void HubServiceTest::SetUp() {
  METROCAP_REQUIRE_STORE_BACKEND(GetParam());
  absl::Status started = Start();
  ASSERT_TRUE(started.ok()) << started;
  membership::v1::CreateRegionRequest region;
  region.set_region_id("asia-pacific");
  region.mutable_region()->set_display_name("Asia-Pacific");
  membership::v1::Region created_region;
  ASSERT_TRUE(membership_stub_->CreateRegion(As(Admin()).get(), region, &created_region).ok());
  for (const char* id : {"chengdu", "madrid", "seoul"}) {
    membership::v1::CreateOrganisationRequest request;
    request.set_organisation_id(id);
    membership::v1::Organisation* o = request.mutable_organisation();
    o->set_display_name(id);
    o->set_kind(membership::v1::Organisation::CITY);
    o->set_country_code("CN");
    o->set_region("regions/asia-pacific");
    membership::v1::Organisation created;
    grpc::Status status =
        membership_stub_->CreateOrganisation(As(Admin()).get(), request, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
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
      roadmaps_stub_->CreateTaxonomy(As(Admin()).get(), taxonomy, &created_taxonomy);
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
  status = roadmaps_stub_->CreatePlan(As(Admin()).get(), plan, &created_plan);
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
    status = roadmaps_stub_->CreateRoadmap(As(Admin()).get(), roadmap, &created_roadmap);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  v1::Hub hub;
  hub.set_display_name("Metropolis Learning Hub Chengdu");
  hub.set_kind(v1::Hub::LEARNING_HUB);
  hub.set_host("organisations/chengdu");
  ASSERT_THAT(CreateHub("learning-hub-chengdu", hub, ChengduPartner()), IsOkStatus());
}

void HubServiceTest::TearDown() {
  if (hubs_server_) hubs_server_->Shutdown();
  if (membership_server_) membership_server_->Shutdown();
  if (roadmaps_server_) roadmaps_server_->Shutdown();
  if (assessment_server_) assessment_server_->Shutdown();
  hubs_server_.reset();
  roadmaps_server_.reset();
  assessment_server_.reset();
  membership_server_.reset();
  service_.reset();
  roadmaps_.reset();
  assessment_.reset();
  membership_.reset();
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

absl::Status HubServiceTest::Start() {
  const char* base = getenv("TEST_TMPDIR");
  std::string pattern = std::string(base ? base : "/tmp") + "/metrocap-hubs-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return absl::InternalError("mkdtemp");
  dir_ = pattern;
  identity_ = identity::IdentityConfig{kCredential, ""};
  server::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.shutdown_grace = absl::Milliseconds(100);

  ASSIGN_OR_RETURN(membership_store_, GetParam().Open(dir_, "membership"));
  RETURN_IF_ERROR(membership_store_->Migrate(membership::MembershipSchemas().All()));
  membership_ = std::make_unique<membership::MembershipService>(
      server::CallEnv{"membership", identity_}, membership_store_.get(), "membership-key");
  ASSIGN_OR_RETURN(membership_server_,
                   server::GrpcServer::Start("membership", options, {membership_.get()}));
  membership_server_->SetServing(true);
  auto channel = [](int port) {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                               grpc::InsecureChannelCredentials());
  };
  membership_stub_ =
      membership::v1::MembershipService::NewStub(channel(membership_server_->port()));

  ASSIGN_OR_RETURN(cache_, cache::CacheClient::Create(cache::CacheConfig{}));
  ASSIGN_OR_RETURN(assessment_store_, GetParam().Open(dir_, "assessment"));
  RETURN_IF_ERROR(assessment_store_->Migrate(assessment::AssessmentSchemas().All()));
  directory_ = std::make_unique<assessment::MembershipDirectory>(
      channel(membership_server_->port()), identity_,
      assessment::MembershipDirectoryOptions{absl::Seconds(2)},
      &cache_->Cache(cache::kOrganisationsCache));
  assessment_ = std::make_unique<assessment::AssessmentService>(
      server::CallEnv{"assessment", identity_}, assessment_store_.get(), directory_.get(),
      "assessment-key", absl::Now, cache_.get());
  ASSIGN_OR_RETURN(assessment_server_,
                   server::GrpcServer::Start("assessment", options, {assessment_.get()}));
  assessment_server_->SetServing(true);
  assessment_stub_ =
      assessment::v1::AssessmentService::NewStub(channel(assessment_server_->port()));

  ASSIGN_OR_RETURN(roadmaps_store_, GetParam().Open(dir_, "roadmaps"));
  RETURN_IF_ERROR(roadmaps_store_->Migrate(roadmaps::RoadmapSchemas().All()));
  roadmaps_peers_ = std::make_unique<roadmaps::GrpcPeers>(
      channel(membership_server_->port()), channel(assessment_server_->port()), identity_,
      roadmaps::PeerOptions{absl::Seconds(2)}, cache_.get());
  roadmaps_ = std::make_unique<roadmaps::RoadmapService>(server::CallEnv{"roadmaps", identity_},
                                                         roadmaps_store_.get(),
                                                         roadmaps_peers_.get(), "roadmaps-key");
  ASSIGN_OR_RETURN(roadmaps_server_,
                   server::GrpcServer::Start("roadmaps", options, {roadmaps_.get()}));
  roadmaps_server_->SetServing(true);
  roadmaps_stub_ = roadmaps::v1::RoadmapService::NewStub(channel(roadmaps_server_->port()));

  ASSIGN_OR_RETURN(hubs_store_, GetParam().Open(dir_, "hubs"));
  RETURN_IF_ERROR(hubs_store_->Migrate(HubsSchemas().All()));
  peers_ = std::make_unique<Peers>(
      channel(membership_server_->port()), channel(assessment_server_->port()),
      channel(roadmaps_server_->port()), identity_, absl::Seconds(2), cache_.get());
  service_ = std::make_unique<HubService>(server::CallEnv{"hubs", identity_}, hubs_store_.get(),
                                          peers_.get(), "hubs-key", [] { return kNow; });
  ASSIGN_OR_RETURN(hubs_server_, server::GrpcServer::Start("hubs", options, {service_.get()}));
  hubs_server_->SetServing(true);
  hubs_stub_ = v1::HubService::NewStub(channel(hubs_server_->port()));
  return absl::OkStatus();
}

std::unique_ptr<grpc::ClientContext> HubServiceTest::As(const identity::Caller& caller) {
  auto context = std::make_unique<grpc::ClientContext>();
  identity::AttachIdentity(caller, identity_, context.get());
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

absl::Status HubServiceTest::AddFramework(const std::string& id,
                                          const std::vector<std::string>& capacities) {
  assessment::v1::CreateFrameworkRequest request;
  request.set_framework_id(id);
  assessment::v1::Framework* f = request.mutable_framework();
  f->set_display_name(id);
  f->set_scale_min(1);
  f->set_scale_max(5);
  f->set_need_threshold(3);
  f->set_potential_threshold(4);
  for (const std::string& capacity : capacities) {
    assessment::v1::Capacity* c = f->add_capacities();
    c->set_id(capacity);
    c->set_display_name(capacity);
  }
  assessment::v1::Framework out;
  return FromGrpcStatus(assessment_stub_->CreateFramework(As(Admin()).get(), request, &out));
}

absl::StatusOr<v1::Session> HubServiceTest::GetSession(const std::string& name) {
  v1::GetSessionRequest request;
  request.set_name(name);
  v1::Session out;
  grpc::Status status = hubs_stub_->GetSession(As(Admin()).get(), request, &out);
  if (!status.ok()) return FromGrpcStatus(status);
  return out;
}

absl::StatusOr<v1::Session> HubServiceTest::UpdateSession(const v1::Session& session,
                                                          const std::vector<std::string>& paths) {
  v1::UpdateSessionRequest request;
  *request.mutable_session() = session;
  for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
  v1::Session out;
  grpc::Status status = hubs_stub_->UpdateSession(As(Admin()).get(), request, &out);
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
  grpc::Status status = hubs_stub_->CreateInsight(As(Admin()).get(), request, &out);
  if (!status.ok()) return FromGrpcStatus(status);
  return out;
}

absl::StatusOr<v1::Pilot> HubServiceTest::EvaluatedPilot() {
  v1::CreatePilotRequest create;
  create.set_parent("hubs/learning-hub-chengdu");
  create.mutable_pilot()->set_title("Park City community regeneration");
  create.mutable_pilot()->set_lead("organisations/chengdu");
  v1::Pilot pilot;
  grpc::Status status = hubs_stub_->CreatePilot(As(Admin()).get(), create, &pilot);
  if (!status.ok()) return FromGrpcStatus(status);
  v1::StartPilotRequest start;
  start.set_name(pilot.name());
  status = hubs_stub_->StartPilot(As(Admin()).get(), start, &pilot);
  if (!status.ok()) return FromGrpcStatus(status);
  v1::EvaluatePilotRequest evaluate;
  evaluate.set_name(pilot.name());
  evaluate.set_evaluation("works");
  status = hubs_stub_->EvaluatePilot(As(Admin()).get(), evaluate, &pilot);
  if (!status.ok()) return FromGrpcStatus(status);
  return pilot;
}

absl::StatusOr<v1::Pilot> HubServiceTest::Replicate(const std::string& name,
                                                    const std::vector<std::string>& replications) {
  v1::ReplicatePilotRequest request;
  request.set_name(name);
  for (const std::string& r : replications) request.add_replications(r);
  v1::Pilot out;
  grpc::Status status = hubs_stub_->ReplicatePilot(As(Admin()).get(), request, &out);
  if (!status.ok()) return FromGrpcStatus(status);
  return out;
}

absl::Status HubServiceTest::CreateHub(const std::string& id, const v1::Hub& hub,
                                       const identity::Caller& caller) {
  v1::CreateHubRequest request;
  request.set_hub_id(id);
  *request.mutable_hub() = hub;
  v1::Hub out;
  return FromGrpcStatus(hubs_stub_->CreateHub(As(caller).get(), request, &out));
}

absl::StatusOr<v1::Session> HubServiceTest::CreateSession(const std::string& id,
                                                          const v1::Session& session,
                                                          const identity::Caller& caller) {
  v1::CreateSessionRequest request;
  request.set_parent("hubs/learning-hub-chengdu");
  request.set_session_id(id);
  *request.mutable_session() = session;
  v1::Session out;
  grpc::Status status = hubs_stub_->CreateSession(As(caller).get(), request, &out);
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
