// The hubs gRPC service in this process with the real membership, assessment and roadmaps
// services (each with its own store) for the reference checks, every store on SQLite and on
// PostgreSQL: hubs, sessions across hubs, organisations, plan and challenge codes,
// capacities and target roadmaps on create and on update, pilots' transitions and
// replications, insights and :publish's outbox, the write rule.
#include "services/hubs/service.h"

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "common/cache/lookup_cache.h"
#include "common/cache/names.h"
#include "common/identity/caller.h"
#include "common/server/server.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "metrocap/assessment/v1/assessment.grpc.pb.h"
#include "metrocap/hubs/v1/hubs.grpc.pb.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "metrocap/roadmaps/v1/roadmaps.grpc.pb.h"
#include "services/assessment/organisations.h"
#include "services/assessment/service.h"
#include "services/assessment/storage/schemas.h"
#include "services/hubs/peers.h"
#include "services/hubs/storage/schemas.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"
#include "services/roadmaps/peers.h"
#include "services/roadmaps/service.h"
#include "services/roadmaps/storage/schemas.h"
#include "tests/services/hubs/core/fixtures.h"
#include "tests/support/store_backends.h"

namespace metrocap::hubs {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::Pair;

constexpr char kCredential[] = "test-internal-credential";
const absl::Time kNow = absl::FromUnixSeconds(1651363200);  // 2022-05-01T00:00:00Z

identity::Caller Admin() { return {"partners/secretariat", membership::v1::Partner::ADMIN, {}}; }
identity::Caller ChengduPartner() {
  return {"partners/chengdu-lab", membership::v1::Partner::PARTNER, {"organisations/chengdu"}};
}
identity::Caller MadridPartner() {
  return {"partners/madrid-lab", membership::v1::Partner::PARTNER, {"organisations/madrid"}};
}

class HubServiceTest : public ::testing::TestWithParam<::metrocap::testing::StoreBackend> {
 protected:
  void SetUp() override {
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

  void TearDown() override {
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

  static ::testing::Matcher<absl::Status> IsOkStatus() {
    return ::testing::Property(&absl::Status::ok, true);
  }

  absl::Status Start() {
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

  std::unique_ptr<grpc::ClientContext> As(const identity::Caller& caller) {
    auto context = std::make_unique<grpc::ClientContext>();
    identity::AttachIdentity(caller, identity_, context.get());
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return context;
  }

  // Framework `id` in assessment with the capacities `capacities`, as ADMIN.
  absl::Status AddFramework(const std::string& id, const std::vector<std::string>& capacities) {
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

  absl::StatusOr<v1::Session> GetSession(const std::string& name) {
    v1::GetSessionRequest request;
    request.set_name(name);
    v1::Session out;
    grpc::Status status = hubs_stub_->GetSession(As(Admin()).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  absl::StatusOr<v1::Session> UpdateSession(const v1::Session& session,
                                            const std::vector<std::string>& paths) {
    v1::UpdateSessionRequest request;
    *request.mutable_session() = session;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    v1::Session out;
    grpc::Status status = hubs_stub_->UpdateSession(As(Admin()).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  absl::StatusOr<v1::Insight> CreateInsight(const std::string& id, const v1::Insight& insight) {
    v1::CreateInsightRequest request;
    request.set_parent("hubs/learning-hub-chengdu");
    request.set_insight_id(id);
    *request.mutable_insight() = insight;
    v1::Insight out;
    grpc::Status status = hubs_stub_->CreateInsight(As(Admin()).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  // A pilot led by Chengdu, started and evaluated.
  absl::StatusOr<v1::Pilot> EvaluatedPilot() {
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

  absl::StatusOr<v1::Pilot> Replicate(const std::string& name,
                                      const std::vector<std::string>& replications) {
    v1::ReplicatePilotRequest request;
    request.set_name(name);
    for (const std::string& r : replications) request.add_replications(r);
    v1::Pilot out;
    grpc::Status status = hubs_stub_->ReplicatePilot(As(Admin()).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  absl::Status CreateHub(const std::string& id, const v1::Hub& hub,
                         const identity::Caller& caller = Admin()) {
    v1::CreateHubRequest request;
    request.set_hub_id(id);
    *request.mutable_hub() = hub;
    v1::Hub out;
    return FromGrpcStatus(hubs_stub_->CreateHub(As(caller).get(), request, &out));
  }

  absl::StatusOr<v1::Session> CreateSession(const std::string& id, const v1::Session& session,
                                            const identity::Caller& caller = Admin()) {
    v1::CreateSessionRequest request;
    request.set_parent("hubs/learning-hub-chengdu");
    request.set_session_id(id);
    *request.mutable_session() = session;
    v1::Session out;
    grpc::Status status = hubs_stub_->CreateSession(As(caller).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  static v1::Session NetZero() {
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

  std::string dir_;
  identity::IdentityConfig identity_;
  std::unique_ptr<store::Store> membership_store_;
  std::unique_ptr<membership::MembershipService> membership_;
  std::unique_ptr<server::GrpcServer> membership_server_;
  std::unique_ptr<membership::v1::MembershipService::Stub> membership_stub_;
  std::unique_ptr<store::Store> hubs_store_;
  std::unique_ptr<cache::CacheClient> cache_;
  std::unique_ptr<store::Store> assessment_store_;
  std::unique_ptr<assessment::MembershipDirectory> directory_;
  std::unique_ptr<assessment::AssessmentService> assessment_;
  std::unique_ptr<server::GrpcServer> assessment_server_;
  std::unique_ptr<assessment::v1::AssessmentService::Stub> assessment_stub_;
  std::unique_ptr<store::Store> roadmaps_store_;
  std::unique_ptr<roadmaps::GrpcPeers> roadmaps_peers_;
  std::unique_ptr<roadmaps::RoadmapService> roadmaps_;
  std::unique_ptr<server::GrpcServer> roadmaps_server_;
  std::unique_ptr<roadmaps::v1::RoadmapService::Stub> roadmaps_stub_;
  std::unique_ptr<Peers> peers_;
  std::unique_ptr<HubService> service_;
  std::unique_ptr<server::GrpcServer> hubs_server_;
  std::unique_ptr<v1::HubService::Stub> hubs_stub_;
};

TEST_P(HubServiceTest, AHubNeedsAKnownHostTheCallerIsGranted) {
  v1::Hub hub;
  hub.set_display_name("MITI Atlantis");
  hub.set_kind(v1::Hub::TRAINING_INSTITUTE);
  hub.set_host("organisations/atlantis");
  absl::Status status = CreateHub("miti-atlantis", hub);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status), ElementsAre("hub.host"));

  hub.set_host("organisations/seoul");
  EXPECT_EQ(CreateHub("seoul-hrdc", hub, ChengduPartner()).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(CreateHub("seoul-hrdc", hub), IsOkStatus());
}

TEST_P(HubServiceTest, SessionsDeriveTheirScopeAndAreListedAcrossHubsByParticipant) {
  auto created = CreateSession("net-zero", NetZero(), ChengduPartner());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "hubs/learning-hub-chengdu/sessions/net-zero");
  EXPECT_EQ(created->hub(), "hubs/learning-hub-chengdu");
  EXPECT_THAT(created->outcome_scope(), ElementsAre("L2", "L2A2", "L2A2D3", "L2A2D4"));

  v1::ListSessionsRequest list;
  list.set_parent("hubs/-");
  list.set_filter(R"(participants:"organisations/madrid" AND startTime >= "2022-01-01T00:00:00Z")");
  v1::ListSessionsResponse page;
  ASSERT_TRUE(hubs_stub_->ListSessions(As(MadridPartner()).get(), list, &page).ok());
  ASSERT_EQ(page.sessions_size(), 1);
  list.set_filter(R"(participants:"organisations/seoul")");
  ASSERT_TRUE(hubs_stub_->ListSessions(As(MadridPartner()).get(), list, &page).ok());
  EXPECT_EQ(page.sessions_size(), 0);
}

TEST_P(HubServiceTest, ASessionNamingAnUnknownOrganisationWritesNothing) {
  v1::Session session = NetZero();
  session.add_participants("organisations/atlantis");
  absl::Status status = CreateSession("net-zero", session).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status), ElementsAre("session.participants[2]"));
  v1::GetSessionRequest get;
  get.set_name("hubs/learning-hub-chengdu/sessions/net-zero");
  v1::Session out;
  EXPECT_EQ(hubs_stub_->GetSession(As(Admin()).get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_P(HubServiceTest, CodesMustBeThePlansAndItsTaxonomys) {
  v1::Session session = NetZero();
  session.add_outcome_codes("L2A2");    // an action of the plan: fine
  session.add_outcome_codes("L9A9D9");  // not in the plan
  session.add_challenge_codes("2.3");
  session.add_challenge_codes("4.2");  // not in the taxonomy
  absl::Status status = CreateSession("net-zero", session).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status),
              ElementsAre("session.outcomeCodes[3]", "session.challengeCodes[1]"));

  session.set_plan("plans/elsewhere");
  EXPECT_THAT(BadFields(CreateSession("net-zero", session).status()), ElementsAre("session.plan"));
}

TEST_P(HubServiceTest, RoadmapsDownIsUnavailableAndWritesNothing) {
  roadmaps_server_->Shutdown();
  roadmaps_server_.reset();
  EXPECT_EQ(CreateSession("net-zero", NetZero()).status().code(), absl::StatusCode::kUnavailable);
  v1::GetSessionRequest get;
  get.set_name("hubs/learning-hub-chengdu/sessions/net-zero");
  v1::Session out;
  EXPECT_EQ(hubs_stub_->GetSession(As(Admin()).get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_P(HubServiceTest, MembershipDownIsUnavailableAndWritesNothing) {
  membership_server_->Shutdown();
  membership_server_.reset();
  v1::Session session = NetZero();
  session.clear_organisers();
  session.clear_participants();
  session.add_participants("organisations/seoul");
  cache_->Cache(cache::kOrganisationsCache).Invalidate("organisations/seoul");
  EXPECT_EQ(CreateSession("net-zero", session).status().code(), absl::StatusCode::kUnavailable);
}

TEST_P(HubServiceTest, OnlyThePartnerOfTheHostWritesItsContent) {
  EXPECT_EQ(CreateSession("net-zero", NetZero(), MadridPartner()).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_P(HubServiceTest, PilotsMoveThroughTheirStates) {
  v1::CreatePilotRequest create;
  create.set_parent("hubs/learning-hub-chengdu");
  create.mutable_pilot()->set_title("Park City community regeneration");
  create.mutable_pilot()->set_lead("organisations/chengdu");
  v1::Pilot pilot;
  ASSERT_TRUE(hubs_stub_->CreatePilot(As(Admin()).get(), create, &pilot).ok());
  EXPECT_EQ(pilot.state(), v1::Pilot::PROPOSED);

  v1::EvaluatePilotRequest evaluate;
  evaluate.set_name(pilot.name());
  evaluate.set_evaluation("works");
  grpc::Status refused = hubs_stub_->EvaluatePilot(As(Admin()).get(), evaluate, &pilot);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  v1::StartPilotRequest start;
  start.set_name(pilot.name());
  ASSERT_TRUE(hubs_stub_->StartPilot(As(Admin()).get(), start, &pilot).ok());
  ASSERT_TRUE(hubs_stub_->EvaluatePilot(As(Admin()).get(), evaluate, &pilot).ok());
  v1::ReplicatePilotRequest replicate;
  replicate.set_name(pilot.name());
  replicate.add_replications("organisations/seoul");
  ASSERT_TRUE(hubs_stub_->ReplicatePilot(As(Admin()).get(), replicate, &pilot).ok());
  EXPECT_EQ(pilot.state(), v1::Pilot::REPLICATED);
  EXPECT_EQ(pilot.start_time(), TimeUtil::SecondsToTimestamp(1651363200));
  EXPECT_THAT(pilot.replications(), ElementsAre("organisations/seoul"));
}

TEST_P(HubServiceTest, PublishingRecordsOnePendingDeliveryPerTargetOnce) {
  ASSERT_TRUE(CreateSession("net-zero", NetZero()).ok());
  v1::CreateInsightRequest create;
  create.set_parent("hubs/learning-hub-chengdu");
  create.set_insight_id("community-guidelines");
  v1::Insight* draft = create.mutable_insight();
  draft->set_summary("Guidelines for grass-root communities mobilise residents");
  draft->set_source("hubs/learning-hub-chengdu/sessions/net-zero");
  draft->add_target_roadmaps("organisations/madrid/roadmaps/twin");
  draft->add_target_roadmaps("organisations/seoul/roadmaps/twin");
  v1::Insight insight;
  ASSERT_TRUE(hubs_stub_->CreateInsight(As(Admin()).get(), create, &insight).ok());
  EXPECT_EQ(insight.state(), v1::Insight::DRAFT);

  v1::PublishInsightRequest publish;
  publish.set_name(insight.name());
  ASSERT_TRUE(hubs_stub_->PublishInsight(As(Admin()).get(), publish, &insight).ok());
  EXPECT_EQ(insight.state(), v1::Insight::PUBLISHED);
  EXPECT_EQ(insight.source_title(), "Creating a Net Zero Community");
  ASSERT_EQ(insight.deliveries_size(), 2);
  EXPECT_EQ(insight.deliveries(1).roadmap(), "organisations/seoul/roadmaps/twin");
  EXPECT_EQ(insight.deliveries(1).state(), v1::Delivery::PENDING);
  EXPECT_EQ(insight.next_delivery_time(), TimeUtil::SecondsToTimestamp(1651363200));

  // Publishing again changes nothing, so it stores nothing: the etag stays.
  v1::Insight again;
  ASSERT_TRUE(hubs_stub_->PublishInsight(As(Admin()).get(), publish, &again).ok());
  EXPECT_EQ(again.deliveries_size(), 2);
  EXPECT_EQ(again.etag(), insight.etag());

  v1::UpdateInsightRequest update;
  *update.mutable_insight() = again;
  update.mutable_insight()->set_summary("changed");
  v1::Insight out;
  EXPECT_EQ(hubs_stub_->UpdateInsight(As(Admin()).get(), update, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_P(HubServiceTest, CapacitiesMustBeThoseOfTheHubsFramework) {
  // The hub names no framework: MICAD's capacities.
  v1::Session session = NetZero();
  session.add_capacities("experimental");
  session.add_capacities("flying");
  absl::Status status = CreateSession("net-zero", session).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status), ElementsAre("session.capacities[1]"));

  // A hub naming a framework assessment does not have is refused; one naming "small"
  // checks its sessions against it.
  v1::Hub hub;
  hub.set_display_name("Seoul Human Resources Development Center");
  hub.set_kind(v1::Hub::TRAINING_INSTITUTE);
  hub.set_host("organisations/seoul");
  hub.set_framework("frameworks/elsewhere");
  EXPECT_THAT(BadFields(CreateHub("seoul-hrdc", hub)), ElementsAre("hub.framework"));
  hub.set_framework("frameworks/small");
  ASSERT_THAT(CreateHub("seoul-hrdc", hub), IsOkStatus());
  v1::CreateSessionRequest request;
  request.set_parent("hubs/seoul-hrdc");
  *request.mutable_session() = NetZero();
  request.mutable_session()->add_capacities("knowledge");
  request.mutable_session()->add_capacities("experimental");
  v1::Session out;
  status = FromGrpcStatus(hubs_stub_->CreateSession(As(Admin()).get(), request, &out));
  EXPECT_THAT(BadFields(status), ElementsAre("session.capacities[1]"));

  session.mutable_capacities()->RemoveLast();
  EXPECT_TRUE(CreateSession("net-zero", session).ok());
}

TEST_P(HubServiceTest, AHubsNewFrameworkIsCheckedOnUpdate) {
  v1::GetHubRequest get;
  get.set_name("hubs/learning-hub-chengdu");
  v1::Hub before;
  ASSERT_TRUE(hubs_stub_->GetHub(As(Admin()).get(), get, &before).ok());
  v1::UpdateHubRequest update;
  update.mutable_hub()->set_name(before.name());
  update.mutable_hub()->set_framework("frameworks/elsewhere");
  update.mutable_update_mask()->add_paths("framework");
  v1::Hub out;
  absl::Status status =
      FromGrpcStatus(hubs_stub_->UpdateHub(As(ChengduPartner()).get(), update, &out));
  EXPECT_THAT(BadFields(status), ElementsAre("hub.framework"));
  v1::Hub now;
  ASSERT_TRUE(hubs_stub_->GetHub(As(Admin()).get(), get, &now).ok());
  EXPECT_EQ(now.etag(), before.etag());
  update.mutable_hub()->set_framework("frameworks/small");
  ASSERT_TRUE(hubs_stub_->UpdateHub(As(ChengduPartner()).get(), update, &out).ok());
  EXPECT_EQ(out.framework(), "frameworks/small");
}

TEST_P(HubServiceTest, AssessmentDownIsUnavailableAndWritesNothing) {
  assessment_server_->Shutdown();
  assessment_server_.reset();
  v1::Session session = NetZero();
  session.add_capacities("experimental");  // frameworks/micad was never looked up: not cached
  EXPECT_EQ(CreateSession("net-zero", session).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(GetSession("hubs/learning-hub-chengdu/sessions/net-zero").status().code(),
            absl::StatusCode::kNotFound);
  // A session naming no capacity does not need assessment.
  EXPECT_TRUE(CreateSession("net-zero", NetZero()).ok());
}

TEST_P(HubServiceTest, AnUpdateIsCheckedAgainAndARefusalChangesNothing) {
  auto created = CreateSession("net-zero", NetZero());
  ASSERT_TRUE(created.ok()) << created.status();
  v1::Session patch;
  patch.set_name(created->name());
  patch.add_participants("organisations/seoul");
  patch.add_participants("organisations/atlantis");
  absl::Status status = UpdateSession(patch, {"participants"}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status), ElementsAre("session.participants[1]"));
  patch.clear_participants();
  patch.add_outcome_codes("L9A9D9");
  patch.add_capacities("flying");
  EXPECT_THAT(BadFields(UpdateSession(patch, {"outcome_codes", "capacities"}).status()),
              ElementsAre("session.capacities[0]"));
  patch.clear_capacities();
  EXPECT_THAT(BadFields(UpdateSession(patch, {"outcome_codes"}).status()),
              ElementsAre("session.outcomeCodes[0]"));
  auto unchanged = GetSession(created->name());
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->etag(), created->etag());

  // Roadmaps down: an update naming a plan cannot be checked, so it is refused.
  patch.clear_outcome_codes();
  patch.add_outcome_codes("L2A2D3");
  roadmaps_server_->Shutdown();
  roadmaps_server_.reset();
  cache_->Cache(cache::kPlansCache).Invalidate("plans/metropolis-sap-2021-2023");
  EXPECT_EQ(UpdateSession(patch, {"outcome_codes"}).status().code(),
            absl::StatusCode::kUnavailable);
  unchanged = GetSession(created->name());
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->etag(), created->etag());
}

TEST_P(HubServiceTest, ReplicationsMustBeOrganisations) {
  auto pilot = EvaluatedPilot();
  ASSERT_TRUE(pilot.ok()) << pilot.status();
  absl::Status status =
      Replicate(pilot->name(), {"organisations/seoul", "organisations/atlantis"}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status), ElementsAre("replications[1]"));

  membership_server_->Shutdown();
  membership_server_.reset();
  cache_->Cache(cache::kOrganisationsCache).Invalidate("organisations/madrid");
  EXPECT_EQ(Replicate(pilot->name(), {"organisations/madrid"}).status().code(),
            absl::StatusCode::kUnavailable);
  v1::GetPilotRequest get;
  get.set_name(pilot->name());
  v1::Pilot now;
  ASSERT_TRUE(hubs_stub_->GetPilot(As(Admin()).get(), get, &now).ok());
  EXPECT_EQ(now.state(), v1::Pilot::EVALUATED);
  EXPECT_EQ(now.etag(), pilot->etag());
  // Seoul was confirmed (and cached) before membership went down.
  auto replicated = Replicate(pilot->name(), {"organisations/seoul"});
  ASSERT_TRUE(replicated.ok()) << replicated.status();
  EXPECT_EQ(replicated->state(), v1::Pilot::REPLICATED);
}

TEST_P(HubServiceTest, AnInsightsTargetsMustBeRoadmapsAndItsCapacitiesTheHubs) {
  ASSERT_TRUE(CreateSession("net-zero", NetZero()).ok());
  v1::Insight insight;
  insight.set_summary("Guidelines for grass-root communities mobilise residents");
  insight.set_source("hubs/learning-hub-chengdu/sessions/net-zero");
  insight.add_capacities("experimental");
  insight.add_target_roadmaps("organisations/madrid/roadmaps/twin");
  insight.add_target_roadmaps("organisations/seoul/roadmaps/digital");
  absl::Status status = CreateInsight("guidelines", insight).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status), ElementsAre("insight.targetRoadmaps[1]"));
  insight.add_capacities("flying");
  EXPECT_THAT(BadFields(CreateInsight("guidelines", insight).status()),
              ElementsAre("insight.capacities[1]"));
  insight.mutable_capacities()->RemoveLast();
  insight.mutable_target_roadmaps()->RemoveLast();
  EXPECT_TRUE(CreateInsight("guidelines", insight).ok());
}

// AIP-203: what a client sends for an OUTPUT_ONLY field (hubs.proto) is ignored, on create
// and when an update mask names it, so a resource read can be sent back as it is.
TEST_P(HubServiceTest, OutputOnlyFieldsSentOnCreateOrNamedByAMaskAreIgnored) {
  v1::Session sent = NetZero();
  sent.set_hub("hubs/elsewhere");
  sent.add_outcome_scope("L9");
  *sent.mutable_create_time() = TimeUtil::SecondsToTimestamp(1);
  absl::StatusOr<v1::Session> session = CreateSession("net-zero", sent);
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ(session->hub(), "hubs/learning-hub-chengdu");
  EXPECT_THAT(session->outcome_scope(), ElementsAre("L2", "L2A2", "L2A2D3", "L2A2D4"));
  EXPECT_NE(session->create_time(), TimeUtil::SecondsToTimestamp(1));

  v1::Insight insight;
  insight.set_summary("Guidelines for grass-root communities mobilise residents");
  insight.set_source(session->name());
  insight.add_target_roadmaps("organisations/madrid/roadmaps/twin");
  insight.set_state(v1::Insight::PUBLISHED);
  insight.set_source_title("Not the source's title");
  v1::Delivery* delivery = insight.add_deliveries();
  delivery->set_roadmap("organisations/madrid/roadmaps/twin");
  delivery->set_state(v1::Delivery::DELIVERED);
  *insight.mutable_publish_time() = TimeUtil::SecondsToTimestamp(1);
  absl::StatusOr<v1::Insight> created = CreateInsight("guidelines", insight);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->state(), v1::Insight::DRAFT);
  EXPECT_EQ(created->deliveries_size(), 0);
  EXPECT_EQ(created->source_title(), "");
  EXPECT_FALSE(created->has_publish_time());

  // A mask naming output-only fields beside a writable one writes the writable one only.
  v1::UpdateInsightRequest update;
  *update.mutable_insight() = *created;
  update.mutable_insight()->set_summary("Residents mobilise for net zero");
  update.mutable_insight()->set_state(v1::Insight::PUBLISHED);
  update.mutable_insight()->set_hub("hubs/elsewhere");
  for (const char* path : {"summary", "state", "deliveries", "hub", "update_time"}) {
    update.mutable_update_mask()->add_paths(path);
  }
  v1::Insight updated;
  grpc::Status status = hubs_stub_->UpdateInsight(As(Admin()).get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.summary(), "Residents mobilise for net zero");
  EXPECT_EQ(updated.state(), v1::Insight::DRAFT);
  EXPECT_EQ(updated.hub(), "hubs/learning-hub-chengdu");
  EXPECT_EQ(updated.deliveries_size(), 0);

  // A field that is neither writable nor output only is still refused, naming updateMask.
  update.mutable_insight()->set_etag(updated.etag());
  update.mutable_update_mask()->add_paths("name");
  EXPECT_THAT(
      BadFields(FromGrpcStatus(hubs_stub_->UpdateInsight(As(Admin()).get(), update, &updated))),
      ElementsAre("updateMask"));
}

// The progress report end to end: sessions written through the service, counted by the
// store's statement, codes and titles from roadmaps, display names from membership.
class ProgressReportServiceTest : public HubServiceTest {
 protected:
  void SetUp() override {
    HubServiceTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    v1::Hub hub;
    hub.set_display_name("Seoul Human Resources Development Center");
    hub.set_kind(v1::Hub::TRAINING_INSTITUTE);
    hub.set_host("organisations/seoul");
    ASSERT_THAT(CreateHub("seoul-hrdc", hub), IsOkStatus());

    v1::Session net_zero = NetZero();  // 2022-03-01, L2A2D3 and L2A2D4
    net_zero.add_challenge_codes("2.3");
    net_zero.add_alliances("UCLG");
    Add("hubs/learning-hub-chengdu", "net-zero", net_zero);
    // On the first instant of the period.
    Add("hubs/learning-hub-chengdu", "first-day",
        Dated("Kick-off", v1::Session::MEETING, "2022-01-01T00:00:00Z", {"L2A2D3"},
              {"organisations/seoul"}, {"organisations/madrid"}));
    // On the last instant of the period.
    Add("hubs/learning-hub-chengdu", "last-day",
        Dated("Newsletter", v1::Session::PUBLICATION, "2022-04-30T23:59:59.999999Z", {}, {}, {}));
    // Just after the period, and a session of no plan: neither counts.
    Add("hubs/learning-hub-chengdu", "after",
        Dated("Too late", v1::Session::WEBINAR, "2022-05-01T00:00:00Z", {"L2A2D4"},
              {"organisations/madrid"}, {}));
    v1::Session no_plan = Dated("Unplanned", v1::Session::WEBINAR, "2022-02-01T00:00:00Z", {},
                                {"organisations/madrid"}, {});
    no_plan.clear_plan();
    Add("hubs/learning-hub-chengdu", "no-plan", no_plan);
    // In the other hub.
    v1::Session training = Dated("Training", v1::Session::TRAINING, "2022-02-15T09:00:00Z",
                                 {"L2A2D4"}, {}, {"organisations/seoul"});
    training.add_alliances("UCLG");
    training.add_alliances("UNDP");
    Add("hubs/seoul-hrdc", "training", training);
  }

  static v1::Session Dated(const std::string& title, v1::Session::Format format,
                           const std::string& start, const std::vector<std::string>& codes,
                           const std::vector<std::string>& participants,
                           const std::vector<std::string>& organisers) {
    v1::Session session;
    session.set_title(title);
    session.set_format(format);
    google::protobuf::Timestamp time;
    EXPECT_TRUE(TimeUtil::FromString(start, &time)) << start;
    *session.mutable_start_time() = time;
    session.set_plan("plans/metropolis-sap-2021-2023");
    for (const std::string& code : codes) session.add_outcome_codes(code);
    for (const std::string& p : participants) session.add_participants(p);
    for (const std::string& o : organisers) session.add_organisers(o);
    return session;
  }

  void Add(const std::string& hub, const std::string& id, const v1::Session& session) {
    v1::CreateSessionRequest request;
    request.set_parent(hub);
    request.set_session_id(id);
    *request.mutable_session() = session;
    v1::Session out;
    grpc::Status status = hubs_stub_->CreateSession(As(Admin()).get(), request, &out);
    ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
  }

  static v1::GenerateProgressReportRequest JanuaryToApril() {
    return JanuaryToApril2022("plans/metropolis-sap-2021-2023");
  }

  absl::StatusOr<v1::GenerateProgressReportResponse> Report(
      const v1::GenerateProgressReportRequest& request,
      const identity::Caller& caller = MadridPartner()) {
    v1::GenerateProgressReportResponse out;
    grpc::Status status = hubs_stub_->GenerateProgressReport(As(caller).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }
};

TEST_P(ProgressReportServiceTest, CountsThePlansSessionsOfThePeriodByTheRules) {
  auto report = Report(JanuaryToApril());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->plan(), "plans/metropolis-sap-2021-2023");
  EXPECT_EQ(report->activity_count(), 4);
  EXPECT_THAT(report->sessions(), ElementsAre("hubs/learning-hub-chengdu/sessions/first-day",
                                              "hubs/learning-hub-chengdu/sessions/last-day",
                                              "hubs/learning-hub-chengdu/sessions/net-zero",
                                              "hubs/seoul-hrdc/sessions/training"));
  // net-zero carries both deliverables of L2A2 and counts once for the action and the line.
  EXPECT_THAT(Rows(report->action_lines()), ElementsAre(Pair("L2", 3)));
  EXPECT_THAT(Rows(report->actions()), ElementsAre(Pair("L2A2", 3)));
  EXPECT_THAT(Rows(report->deliverables()), ElementsAre(Pair("L2A2D3", 2), Pair("L2A2D4", 2)));
  EXPECT_EQ(report->actions(0).title(), "Support");
  // Untouched challenges are listed with 0, with their titles from the taxonomy.
  EXPECT_THAT(Rows(report->challenges()), ElementsAre(Pair("1.1", 0), Pair("2.3", 1)));
  EXPECT_EQ(report->challenges(0).title(), "Challenge 1.1");

  // madrid: participant of net-zero, organiser of first-day; seoul: participant of
  // first-day, organiser of training; chengdu: organiser and participant of net-zero, once.
  ASSERT_EQ(report->organisations_size(), 3);
  EXPECT_EQ(report->organisations(0).organisation(), "organisations/madrid");
  EXPECT_EQ(report->organisations(0).display_name(), "madrid");
  EXPECT_EQ(report->organisations(0).activity_count(), 2);
  EXPECT_EQ(report->organisations(0).organised_count(), 1);
  EXPECT_EQ(report->organisations(1).organisation(), "organisations/seoul");
  EXPECT_EQ(report->organisations(1).activity_count(), 2);
  EXPECT_EQ(report->organisations(1).organised_count(), 1);
  EXPECT_EQ(report->organisations(2).organisation(), "organisations/chengdu");
  EXPECT_EQ(report->organisations(2).activity_count(), 1);
  EXPECT_EQ(report->organisations(2).organised_count(), 1);

  ASSERT_EQ(report->alliances_size(), 2);
  EXPECT_EQ(report->alliances(0).name(), "UCLG");
  EXPECT_EQ(report->alliances(0).activity_count(), 2);
  EXPECT_EQ(report->alliances(1).name(), "UNDP");
  ASSERT_EQ(report->formats_size(), 4);
  EXPECT_EQ(report->formats(0).format(), v1::Session::MEETING);
  EXPECT_EQ(report->formats(3).format(), v1::Session::WEBINAR);
}

TEST_P(ProgressReportServiceTest, TheHubsFilterAndTheDayBoundsSelectTheSessions) {
  v1::GenerateProgressReportRequest request = JanuaryToApril();
  request.add_hubs("hubs/learning-hub-chengdu");
  auto report = Report(request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->activity_count(), 3);
  EXPECT_THAT(report->hubs(), ElementsAre("hubs/learning-hub-chengdu"));
  EXPECT_THAT(Rows(report->deliverables()), ElementsAre(Pair("L2A2D3", 2), Pair("L2A2D4", 1)));

  // One day, both ends that day: only the session of its last instant.
  request = JanuaryToApril();
  request.mutable_start_date()->set_month(4);
  request.mutable_start_date()->set_day(30);
  report = Report(request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->sessions(), ElementsAre("hubs/learning-hub-chengdu/sessions/last-day"));
  // Nothing counted: every code still listed, with 0.
  EXPECT_THAT(Rows(report->deliverables()), ElementsAre(Pair("L2A2D3", 0), Pair("L2A2D4", 0)));
  EXPECT_EQ(report->organisations_size(), 0);
}

// The per-day counts change in each session write's transaction: a deleted session and
// one moved out of the period are gone from the next report.
TEST_P(ProgressReportServiceTest, UpdatesAndDeletesOfSessionsShowInTheNextReport) {
  v1::DeleteSessionRequest remove;
  remove.set_name("hubs/learning-hub-chengdu/sessions/net-zero");
  google::protobuf::Empty empty;
  grpc::Status status = hubs_stub_->DeleteSession(As(Admin()).get(), remove, &empty);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::UpdateSessionRequest update;
  update.mutable_session()->set_name("hubs/seoul-hrdc/sessions/training");
  *update.mutable_session()->mutable_start_time() =
      TimeUtil::SecondsToTimestamp(1651363200);  // 2022-05-01
  update.mutable_update_mask()->add_paths("start_time");
  v1::Session updated;
  status = hubs_stub_->UpdateSession(As(Admin()).get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();

  auto report = Report(JanuaryToApril());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->sessions(), ElementsAre("hubs/learning-hub-chengdu/sessions/first-day",
                                              "hubs/learning-hub-chengdu/sessions/last-day"));
  EXPECT_THAT(Rows(report->deliverables()), ElementsAre(Pair("L2A2D3", 1), Pair("L2A2D4", 0)));
  EXPECT_THAT(Rows(report->challenges()), ElementsAre(Pair("1.1", 0), Pair("2.3", 0)));
  ASSERT_EQ(report->organisations_size(), 2);
  EXPECT_EQ(report->organisations(0).organisation(), "organisations/madrid");
  EXPECT_EQ(report->organisations(0).activity_count(), 1);
  EXPECT_EQ(report->organisations(0).organised_count(), 1);
  EXPECT_EQ(report->organisations(1).organisation(), "organisations/seoul");
  EXPECT_EQ(report->organisations(1).organised_count(), 0);
  EXPECT_EQ(report->alliances_size(), 0);
}

TEST_P(ProgressReportServiceTest, ABadRequestNamesTheFieldAndAnUnknownPlanIsNotFound) {
  v1::GenerateProgressReportRequest request = JanuaryToApril();
  request.clear_start_date();
  request.add_hubs("hubs/learning-hub-chengdu");
  request.add_hubs("elsewhere/x");
  absl::Status status = Report(request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status), ElementsAre("startDate", "hubs[1]"));

  request = JanuaryToApril();
  request.mutable_end_date()->set_year(2021);
  status = Report(request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status), ElementsAre("endDate"));

  request = JanuaryToApril();
  request.set_plan("plans/elsewhere");
  EXPECT_EQ(Report(request).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(ProgressReportServiceTest, RoadmapsDownIsUnavailable) {
  roadmaps_server_->Shutdown();
  roadmaps_server_.reset();
  // The session writes cached the plan: drop it so the report has to ask roadmaps.
  cache_->Cache(cache::kPlansCache).Invalidate("plans/metropolis-sap-2021-2023");
  EXPECT_EQ(Report(JanuaryToApril()).status().code(), absl::StatusCode::kUnavailable);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProgressReportServiceTest,
                         ::testing::ValuesIn(::metrocap::testing::AllStoreBackends()),
                         ::metrocap::testing::StoreBackendName);

INSTANTIATE_TEST_SUITE_P(Backends, HubServiceTest,
                         ::testing::ValuesIn(::metrocap::testing::AllStoreBackends()),
                         ::metrocap::testing::StoreBackendName);

}  // namespace
}  // namespace metrocap::hubs
