// The hubs service, hubs and sessions: what they name is checked against the other services
// (organisations in membership, plan and challenge codes in roadmaps, capacities in
// assessment's framework) on create and on update; a peer that is down is UNAVAILABLE and
// nothing is written; only the host's partner writes a hub's content.
#include "tests/services/hubs/service_fixture.h"

namespace metrocap::hubs::testing {
namespace {

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
  ASSERT_TRUE(env_.hubs().ListSessions(env_.As(MadridPartner()).get(), list, &page).ok());
  ASSERT_EQ(page.sessions_size(), 1);
  list.set_filter(R"(participants:"organisations/seoul")");
  ASSERT_TRUE(env_.hubs().ListSessions(env_.As(MadridPartner()).get(), list, &page).ok());
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
  EXPECT_EQ(env_.hubs().GetSession(env_.As(AdminCaller()).get(), get, &out).error_code(),
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
  status = FromGrpcStatus(env_.hubs().CreateSession(env_.As(AdminCaller()).get(), request, &out));
  EXPECT_THAT(BadFields(status), ElementsAre("session.capacities[1]"));

  session.mutable_capacities()->RemoveLast();
  EXPECT_TRUE(CreateSession("net-zero", session).ok());
}

TEST_P(HubServiceTest, AHubsNewFrameworkIsCheckedOnUpdate) {
  v1::GetHubRequest get;
  get.set_name("hubs/learning-hub-chengdu");
  v1::Hub before;
  ASSERT_TRUE(env_.hubs().GetHub(env_.As(AdminCaller()).get(), get, &before).ok());
  v1::UpdateHubRequest update;
  update.mutable_hub()->set_name(before.name());
  update.mutable_hub()->set_framework("frameworks/elsewhere");
  update.mutable_update_mask()->add_paths("framework");
  v1::Hub out;
  absl::Status status =
      FromGrpcStatus(env_.hubs().UpdateHub(env_.As(ChengduPartner()).get(), update, &out));
  EXPECT_THAT(BadFields(status), ElementsAre("hub.framework"));
  v1::Hub now;
  ASSERT_TRUE(env_.hubs().GetHub(env_.As(AdminCaller()).get(), get, &now).ok());
  EXPECT_EQ(now.etag(), before.etag());
  update.mutable_hub()->set_framework("frameworks/small");
  ASSERT_TRUE(env_.hubs().UpdateHub(env_.As(ChengduPartner()).get(), update, &out).ok());
  EXPECT_EQ(out.framework(), "frameworks/small");
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
  env_.Stop(Service::kRoadmaps, {"plans/metropolis-sap-2021-2023"});
  EXPECT_EQ(UpdateSession(patch, {"outcome_codes"}).status().code(),
            absl::StatusCode::kUnavailable);
  unchanged = GetSession(created->name());
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->etag(), created->etag());
}

TEST_P(HubServiceTest, RoadmapsDownIsUnavailableAndWritesNothing) {
  env_.Stop(Service::kRoadmaps);
  EXPECT_EQ(CreateSession("net-zero", NetZero()).status().code(), absl::StatusCode::kUnavailable);
  v1::GetSessionRequest get;
  get.set_name("hubs/learning-hub-chengdu/sessions/net-zero");
  v1::Session out;
  EXPECT_EQ(env_.hubs().GetSession(env_.As(AdminCaller()).get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_P(HubServiceTest, MembershipDownIsUnavailableAndWritesNothing) {
  env_.Stop(Service::kMembership, {"organisations/seoul"});
  v1::Session session = NetZero();
  session.clear_organisers();
  session.clear_participants();
  session.add_participants("organisations/seoul");
  EXPECT_EQ(CreateSession("net-zero", session).status().code(), absl::StatusCode::kUnavailable);
}

TEST_P(HubServiceTest, AssessmentDownIsUnavailableAndWritesNothing) {
  env_.Stop(Service::kAssessment);
  v1::Session session = NetZero();
  session.add_capacities("experimental");  // frameworks/micad was never looked up: not cached
  EXPECT_EQ(CreateSession("net-zero", session).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(GetSession("hubs/learning-hub-chengdu/sessions/net-zero").status().code(),
            absl::StatusCode::kNotFound);
  // A session naming no capacity does not need assessment.
  EXPECT_TRUE(CreateSession("net-zero", NetZero()).ok());
}

TEST_P(HubServiceTest, OnlyThePartnerOfTheHostWritesItsContent) {
  EXPECT_EQ(CreateSession("net-zero", NetZero(), MadridPartner()).status().code(),
            absl::StatusCode::kPermissionDenied);
}

// Every TEST_P of HubServiceTest in this executable (service_*_test.cc), on each backend.
// Here rather than in the fixture, which other executables link for fixtures of their own.
INSTANTIATE_TEST_SUITE_P(Backends, HubServiceTest,
                         ::testing::ValuesIn(::metrocap::testing::AllStoreBackends()),
                         ::metrocap::testing::StoreBackendName);

}  // namespace
}  // namespace metrocap::hubs::testing
