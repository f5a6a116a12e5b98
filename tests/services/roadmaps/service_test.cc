// RoadmapService over gRPC with the real membership and assessment services, on SQLite and
// PostgreSQL: plans and codes, roadmaps checked against plan, taxonomy and framework,
// progress as of the injected day, revisions, proposals, access, and peers that are down.
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "common/testing/status_matchers.h"
#include "services/roadmaps/storage/schemas.h"
#include "tests/services/roadmaps/service_fixture.h"

namespace metrocap::roadmaps::testing {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using Stub = v1::RoadmapService::Stub;

// --- plans and taxonomies ---------------------------------------------------------------

TEST_P(RoadmapServiceTest, ResolvesAPlanCodeToItsTitleAndPath) {
  v1::ResolvePlanCodeRequest request;
  request.set_plan(kPlan);
  request.set_code("L2A2D3");
  ASSERT_OK_AND_ASSIGN(v1::PlanCode code, Call(&Stub::ResolvePlanCode, ViewerCaller(), request));
  EXPECT_EQ(code.title(), "Learning and capacity-building activities");
  EXPECT_EQ(code.level(), v1::PlanCode::DELIVERABLE);
  ASSERT_THAT(code.path(), SizeIs(3));
  EXPECT_EQ(code.path(0).code(), "L2");
  request.set_code("L2A9");
  EXPECT_THAT(Call(&Stub::ResolvePlanCode, ViewerCaller(), request),
              StatusIs(absl::StatusCode::kNotFound));

  v1::ResolveTaxonomyCodeRequest challenge;
  challenge.set_taxonomy(kTaxonomy);
  challenge.set_code("2.3");
  ASSERT_OK_AND_ASSIGN(v1::TaxonomyCode resolved,
                       Call(&Stub::ResolveTaxonomyCode, ViewerCaller(), challenge));
  EXPECT_EQ(resolved.title(), "Climate resilience");
  EXPECT_EQ(resolved.path(0).title(), "Resilience");
}

TEST_P(RoadmapServiceTest, BadPlanCodesAreRefusedWithTheFieldAndNothingStored) {
  v1::CreatePlanRequest request;
  request.set_plan_id("bad");
  *request.mutable_plan() = Parse<v1::Plan>(R"pb(
    display_name: "Bad"
    owner: "organisations/metropolis"
    action_lines {
      code: "L1"
      title: "x"
      actions { code: "L2A1" title: "y" }
    }
  )pb");
  absl::StatusOr<v1::Plan> created = Call(&Stub::CreatePlan, AdminCaller(), request);
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldsOf(created.status()), ElementsAre("plan.actionLines[0].actions[0].code"));
  v1::GetPlanRequest get;
  get.set_name("plans/bad");
  EXPECT_THAT(Call(&Stub::GetPlan, AdminCaller(), get), StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(RoadmapServiceTest, PlansAndTaxonomiesAreAdminWrites) {
  v1::CreateTaxonomyRequest request;
  request.set_taxonomy_id("mine");
  request.mutable_taxonomy()->set_display_name("Mine");
  EXPECT_THAT(Call(&Stub::CreateTaxonomy, PartnerCaller(kMilan), request),
              StatusIs(absl::StatusCode::kPermissionDenied));
  v1::DeletePlanRequest remove;
  remove.set_name(kPlan);
  EXPECT_THAT(Call(&Stub::DeletePlan, ViewerCaller(), remove),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_P(RoadmapServiceTest, APlanOrTaxonomyInUseCannotBeDeleted) {
  ASSERT_OK(CreateRoadmap(AdminCaller(), kMilan, "twin", SampleRoadmap()));
  v1::DeletePlanRequest plan;
  plan.set_name(kPlan);
  absl::StatusOr<google::protobuf::Empty> deleted = Call(&Stub::DeletePlan, AdminCaller(), plan);
  EXPECT_THAT(deleted, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(deleted.status()), "PLAN_IN_USE");
  v1::DeleteTaxonomyRequest taxonomy;
  taxonomy.set_name(kTaxonomy);
  EXPECT_EQ(ReasonOf(Call(&Stub::DeleteTaxonomy, AdminCaller(), taxonomy).status()),
            "TAXONOMY_IN_USE");
}

// --- roadmaps ------------------------------------------------------------------------------

TEST_P(RoadmapServiceTest, CreateComputesProgressAndTimelinessAsOfToday) {
  ASSERT_OK_AND_ASSIGN(v1::Roadmap roadmap,
                       CreateRoadmap(PartnerCaller(kMilan), kMilan, "twin", SampleRoadmap()));
  EXPECT_EQ(roadmap.name(), "organisations/milan/roadmaps/twin");
  EXPECT_EQ(roadmap.organisation(), kMilan);
  EXPECT_EQ(roadmap.state(), v1::Roadmap::DRAFT);
  EXPECT_EQ(roadmap.revision(), 1);
  EXPECT_DOUBLE_EQ(roadmap.progress_percent(), 70);  // (40 + 100) / 2
  EXPECT_THAT(roadmap.objectives(0).progress_basis().counted(), ElementsAre("a1", "a2"));
  EXPECT_TRUE(roadmap.objectives(0).actions(0).late());
  EXPECT_EQ(roadmap.late_action_count(), 1);
  EXPECT_EQ(roadmap.as_of().year(), 2026);
  EXPECT_EQ(roadmap.as_of().month(), 3);
  EXPECT_EQ(roadmap.as_of().day(), 15);
  EXPECT_DOUBLE_EQ(roadmap.indicators(0).progress_percent(), 25);
  EXPECT_TRUE(roadmap.indicators(0).off_track());
  ASSERT_OK_AND_ASSIGN(v1::Roadmap read, GetRoadmap(roadmap.name()));
  EXPECT_EQ(read.SerializeAsString(), roadmap.SerializeAsString());
}

TEST_P(RoadmapServiceTest, UnresolvedCodesAndCapacitiesNameTheFieldAndStoreNothing) {
  v1::Roadmap roadmap = SampleRoadmap();
  v1::RoadmapAction* action = roadmap.mutable_objectives(0)->mutable_actions(0);
  action->add_outcome_codes("L9A1");
  action->set_challenge_codes(0, "2.9");
  action->add_capacities("magic");
  absl::StatusOr<v1::Roadmap> created = CreateRoadmap(AdminCaller(), kMilan, "twin", roadmap);
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldsOf(created.status()),
              ElementsAre("roadmap.objectives[0].actions[0].capacities[1]",
                          "roadmap.objectives[0].actions[0].challengeCodes[0]",
                          "roadmap.objectives[0].actions[0].outcomeCodes[1]"));
  EXPECT_THAT(GetRoadmap("organisations/milan/roadmaps/twin"),
              StatusIs(absl::StatusCode::kNotFound));

  roadmap = SampleRoadmap();
  roadmap.clear_plan();
  roadmap.set_framework("frameworks/nothing");
  created = CreateRoadmap(AdminCaller(), kMilan, "twin", roadmap);
  EXPECT_THAT(FieldsOf(created.status()), ElementsAre("roadmap.framework"));
}

TEST_P(RoadmapServiceTest, DatesOutOfOrderAndProgressOutOfRangeAreRefused) {
  v1::Roadmap roadmap = SampleRoadmap();
  roadmap.mutable_end_date()->set_year(2024);
  roadmap.mutable_objectives(0)->mutable_actions(0)->set_progress_percent(120);
  absl::StatusOr<v1::Roadmap> created = CreateRoadmap(AdminCaller(), kMilan, "twin", roadmap);
  EXPECT_THAT(FieldsOf(created.status()),
              ElementsAre("roadmap.endDate", "roadmap.objectives[0].actions[0].progressPercent"));
}

TEST_P(RoadmapServiceTest, AnUnknownOrganisationIsNotFound) {
  absl::StatusOr<v1::Roadmap> created =
      CreateRoadmap(AdminCaller(), "organisations/atlantis", "twin", SampleRoadmap());
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(ReasonOf(created.status()), "ORGANISATION_NOT_FOUND");
}

TEST_P(RoadmapServiceTest, AccessForEveryRole) {
  EXPECT_THAT(CreateRoadmap(PartnerCaller(kTirana), kMilan, "twin", SampleRoadmap()),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(CreateRoadmap(ViewerCaller(), kMilan, "twin", SampleRoadmap()),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(v1::Roadmap roadmap,
                       CreateRoadmap(AdminCaller(), kMilan, "twin", SampleRoadmap()));
  roadmap.set_display_name("Renamed");
  EXPECT_THAT(UpdateRoadmap(PartnerCaller(kTirana), roadmap, {"display_name"}),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(UpdateRoadmap(ViewerCaller(), roadmap, {"display_name"}),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_OK(UpdateRoadmap(PartnerCaller(kMilan), roadmap, {"display_name"}));
  EXPECT_OK(GetRoadmap(roadmap.name()));  // as a VIEWER
  EXPECT_THAT(Propose(PartnerCaller(kTirana), roadmap.name(), "p1"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK(Propose(AdminCaller(), roadmap.name(), "p1"));
  v1::DeclineRevisionProposalRequest decline;
  decline.set_name(roadmap.name() + "/proposals/p1");
  decline.set_note("no");
  EXPECT_THAT(Call(&Stub::DeclineRevisionProposal, PartnerCaller(kTirana), decline),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_OK(Call(&Stub::DeclineRevisionProposal, PartnerCaller(kMilan), decline));
  v1::DeleteRoadmapRequest remove;
  remove.set_name(roadmap.name());
  EXPECT_THAT(Call(&Stub::DeleteRoadmap, PartnerCaller(kTirana), remove),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_OK(Call(&Stub::DeleteRoadmap, PartnerCaller(kMilan), remove));
}

TEST_P(RoadmapServiceTest, ListsAcrossOrganisationsWithFilters) {
  ASSERT_OK(CreateRoadmap(AdminCaller(), kMilan, "twin", SampleRoadmap()));
  v1::Roadmap climate = SampleRoadmap();
  climate.set_kind(v1::Roadmap::CLIMATE);
  climate.set_state(v1::Roadmap::ACTIVE);
  ASSERT_OK(CreateRoadmap(AdminCaller(), kTirana, "climate", climate));
  v1::ListRoadmapsRequest request;
  request.set_parent("organisations/-");
  ASSERT_OK_AND_ASSIGN(v1::ListRoadmapsResponse all,
                       Call(&Stub::ListRoadmaps, ViewerCaller(), request));
  EXPECT_THAT(all.roadmaps(), SizeIs(2));
  request.set_filter("kind = \"CLIMATE\" AND plan = \"plans/sap\"");
  ASSERT_OK_AND_ASSIGN(v1::ListRoadmapsResponse climates,
                       Call(&Stub::ListRoadmaps, ViewerCaller(), request));
  ASSERT_THAT(climates.roadmaps(), SizeIs(1));
  EXPECT_EQ(climates.roadmaps(0).name(), "organisations/tirana/roadmaps/climate");
  EXPECT_TRUE(climates.roadmaps(0).has_progress_percent());
  request.set_filter("framework = \"frameworks/micad\" AND state = \"ACTIVE\"");
  ASSERT_OK_AND_ASSIGN(climates, Call(&Stub::ListRoadmaps, ViewerCaller(), request));
  EXPECT_THAT(climates.roadmaps(), SizeIs(1));
  request.set_parent(kMilan);
  request.clear_filter();
  ASSERT_OK_AND_ASSIGN(v1::ListRoadmapsResponse milan,
                       Call(&Stub::ListRoadmaps, ViewerCaller(), request));
  EXPECT_THAT(milan.roadmaps(), SizeIs(1));
  request.set_filter("owner = \"x\"");
  EXPECT_THAT(Call(&Stub::ListRoadmaps, ViewerCaller(), request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("owner")));
}

// --- revisions -----------------------------------------------------------------------------

TEST_P(RoadmapServiceTest, EveryChangeIsARevisionWithAuthorAndChangedFields) {
  ASSERT_OK_AND_ASSIGN(v1::Roadmap roadmap,
                       CreateRoadmap(AdminCaller(), kMilan, "twin", SampleRoadmap()));
  for (int progress : {50, 60, 70}) {
    roadmap.mutable_objectives(0)->mutable_actions(0)->set_progress_percent(progress);
    ASSERT_OK_AND_ASSIGN(roadmap, UpdateRoadmap(PartnerCaller(kMilan), roadmap, {"objectives"}));
  }
  EXPECT_EQ(roadmap.revision(), 4);
  // An update that changes nothing is no revision.
  ASSERT_OK_AND_ASSIGN(roadmap, UpdateRoadmap(PartnerCaller(kMilan), roadmap, {"objectives"}));
  EXPECT_EQ(roadmap.revision(), 4);

  v1::ListRoadmapRevisionsRequest list;
  list.set_name(roadmap.name());
  list.set_page_size(3);
  ASSERT_OK_AND_ASSIGN(v1::ListRoadmapRevisionsResponse page,
                       Call(&Stub::ListRoadmapRevisions, ViewerCaller(), list));
  ASSERT_THAT(page.revisions(), SizeIs(3));
  EXPECT_EQ(page.revisions(0).revision(), 4);
  EXPECT_EQ(page.revisions(2).revision(), 2);
  EXPECT_EQ(page.revisions(0).author(), "partners/milan-lab");
  EXPECT_THAT(page.revisions(0).changed_fields(),
              ElementsAre("objectives[0].actions[0].progressPercent"));
  EXPECT_DOUBLE_EQ(page.revisions(0).roadmap().progress_percent(), 85);
  EXPECT_EQ(page.total_size(), 4);
  list.set_page_token(page.next_page_token());
  ASSERT_OK_AND_ASSIGN(page, Call(&Stub::ListRoadmapRevisions, ViewerCaller(), list));
  ASSERT_THAT(page.revisions(), SizeIs(1));
  EXPECT_EQ(page.revisions(0).revision(), 1);
  EXPECT_EQ(page.revisions(0).author(), "partners/secretariat");
  EXPECT_THAT(page.revisions(0).changed_fields(), IsEmpty());
  EXPECT_TRUE(page.next_page_token().empty());

  v1::GetRoadmapRevisionRequest get;
  get.set_name(roadmap.name());
  get.set_revision(2);
  ASSERT_OK_AND_ASSIGN(v1::RoadmapRevision second,
                       Call(&Stub::GetRoadmapRevision, ViewerCaller(), get));
  EXPECT_DOUBLE_EQ(second.roadmap().objectives(0).actions(0).progress_percent(), 50);
  get.set_revision(9);
  EXPECT_THAT(Call(&Stub::GetRoadmapRevision, ViewerCaller(), get),
              StatusIs(absl::StatusCode::kNotFound));
  get.set_revision(0);
  EXPECT_THAT(FieldsOf(Call(&Stub::GetRoadmapRevision, ViewerCaller(), get).status()),
              ElementsAre("revision"));

  roadmap.set_display_name("Renamed");
  ASSERT_OK(UpdateRoadmap(AdminCaller(), roadmap, {"display_name"}));
  v1::CompareRoadmapRevisionsRequest compare;
  compare.set_name(roadmap.name());
  compare.set_from_revision(1);
  compare.set_to_revision(5);
  ASSERT_OK_AND_ASSIGN(v1::CompareRoadmapRevisionsResponse diff,
                       Call(&Stub::CompareRoadmapRevisions, ViewerCaller(), compare));
  EXPECT_THAT(diff.changed_fields(),
              ElementsAre("displayName", "objectives[0].actions[0].progressPercent"));
}

// Roadmaps and snapshots are stored compressed (ResourceSchema::compress); rows written
// before that, raw, read back the same through every read, and the next write of a row
// stores it compressed.
TEST_P(RoadmapServiceTest, RoadmapsAndSnapshotsStoredUncompressedReadTheSame) {
  ASSERT_OK_AND_ASSIGN(v1::Roadmap roadmap,
                       CreateRoadmap(AdminCaller(), kMilan, "twin", SampleRoadmap()));
  roadmap.mutable_objectives(0)->mutable_actions(0)->set_progress_percent(50);
  ASSERT_OK_AND_ASSIGN(roadmap, UpdateRoadmap(PartnerCaller(kMilan), roadmap, {"objectives"}));
  v1::GetRoadmapRevisionRequest get;
  get.set_name(roadmap.name());
  get.set_revision(2);
  ASSERT_OK_AND_ASSIGN(v1::RoadmapRevision revision,
                       Call(&Stub::GetRoadmapRevision, ViewerCaller(), get));
  v1::CompareRoadmapRevisionsRequest compare;
  compare.set_name(roadmap.name());
  compare.set_from_revision(1);
  compare.set_to_revision(2);
  ASSERT_OK_AND_ASSIGN(v1::CompareRoadmapRevisionsResponse diff,
                       Call(&Stub::CompareRoadmapRevisions, ViewerCaller(), compare));

  // The stored data of the roadmap and of snapshot 2, as a store without compression
  // writes them.
  store::Store& store = env_.store(Service::kRoadmaps);
  store::ResourceSchema plain_roadmaps = RoadmapSchemas().roadmaps;
  store::ResourceSchema plain_snapshots = RoadmapSchemas().snapshots;
  plain_roadmaps.compress = plain_snapshots.compress = false;
  auto stored_data = [&](const std::string& table, const std::string& name) -> std::string {
    std::unique_ptr<store::Transaction> tx = store.Begin(store::Store::Access::kReadOnly).value();
    auto rows = tx->Select(absl::StrCat("SELECT data FROM ", table, " WHERE name = ?"), {name});
    return rows.ok() && rows->size() == 1 ? absl::get<std::string>((*rows)[0][0]) : "";
  };
  // Writes record `name` of `schema` back as `message`, parsed from its stored bytes.
  auto rewrite = [](store::Transaction& tx, const store::ResourceSchema& schema,
                    const std::string& name, google::protobuf::Message& message) -> absl::Status {
    ASSIGN_OR_RETURN(store::Record record, tx.Get(schema, name));
    if (!message.ParseFromString(record.data)) return absl::InternalError(name);
    return tx.Update(schema, name, message, record.version).status();
  };
  ASSERT_OK(store.RunInTransaction([&](store::Transaction& tx) -> absl::Status {
    v1::Roadmap stored_roadmap;
    v1::RoadmapRevision snapshot;
    RETURN_IF_ERROR(rewrite(tx, plain_roadmaps, roadmap.name(), stored_roadmap));
    return rewrite(tx, plain_snapshots, SnapshotName(roadmap.name(), 2), snapshot);
  }));
  ASSERT_NE(stored_data("roadmaps", roadmap.name())[0], '\0');
  ASSERT_NE(stored_data("roadmap_snapshots", SnapshotName(roadmap.name(), 2))[0], '\0');

  // Rewriting the row bumped its etag and update time; nothing else differs.
  ASSERT_OK_AND_ASSIGN(v1::Roadmap read, GetRoadmap(roadmap.name()));
  v1::Roadmap expected = roadmap;
  for (v1::Roadmap* r : {&read, &expected}) {
    r->clear_etag();
    r->clear_update_time();
  }
  EXPECT_EQ(read.SerializeAsString(), expected.SerializeAsString());
  ASSERT_OK_AND_ASSIGN(v1::RoadmapRevision read_revision,
                       Call(&Stub::GetRoadmapRevision, ViewerCaller(), get));
  EXPECT_EQ(read_revision.SerializeAsString(), revision.SerializeAsString());
  ASSERT_OK_AND_ASSIGN(v1::CompareRoadmapRevisionsResponse read_diff,
                       Call(&Stub::CompareRoadmapRevisions, ViewerCaller(), compare));
  EXPECT_EQ(read_diff.SerializeAsString(), diff.SerializeAsString());

  ASSERT_OK_AND_ASSIGN(roadmap, GetRoadmap(roadmap.name()));
  roadmap.mutable_objectives(0)->mutable_actions(0)->set_progress_percent(60);
  ASSERT_OK_AND_ASSIGN(roadmap, UpdateRoadmap(PartnerCaller(kMilan), roadmap, {"objectives"}));
  EXPECT_EQ(stored_data("roadmaps", roadmap.name())[0], '\0');
  EXPECT_EQ(stored_data("roadmap_snapshots", SnapshotName(roadmap.name(), 3))[0], '\0');
  ASSERT_OK_AND_ASSIGN(read_revision, Call(&Stub::GetRoadmapRevision, ViewerCaller(), get));
  EXPECT_EQ(read_revision.SerializeAsString(), revision.SerializeAsString());
}

TEST_P(RoadmapServiceTest, AStaleEtagIsAbortedAndChangesNothing) {
  ASSERT_OK_AND_ASSIGN(v1::Roadmap roadmap,
                       CreateRoadmap(AdminCaller(), kMilan, "twin", SampleRoadmap()));
  v1::Roadmap stale = roadmap;
  roadmap.set_display_name("First");
  ASSERT_OK(UpdateRoadmap(AdminCaller(), roadmap, {"display_name"}));
  stale.set_display_name("Second");
  EXPECT_THAT(UpdateRoadmap(AdminCaller(), stale, {"display_name"}),
              StatusIs(absl::StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(v1::Roadmap read, GetRoadmap(roadmap.name()));
  EXPECT_EQ(read.display_name(), "First");
  EXPECT_EQ(read.revision(), 2);
}

// AIP-203: what a client sends for an OUTPUT_ONLY field (roadmaps.proto) is ignored, on
// create and when an update mask names it, so a roadmap read can be sent back as it is.
TEST_P(RoadmapServiceTest, OutputOnlyFieldsSentOnCreateOrNamedByAMaskAreIgnored) {
  v1::Roadmap sent = SampleRoadmap();
  sent.set_organisation(kTirana);
  sent.set_revision(41);
  sent.set_progress_percent(99);
  sent.set_late_action_count(7);
  sent.mutable_objectives(0)->set_progress_percent(1);
  sent.mutable_objectives(0)->mutable_actions(1)->set_late(true);
  sent.mutable_indicators(0)->set_off_track(false);
  *sent.mutable_create_time() = Parse<google::protobuf::Timestamp>("seconds: 1");
  ASSERT_OK_AND_ASSIGN(v1::Roadmap created, CreateRoadmap(AdminCaller(), kMilan, "twin", sent));
  ASSERT_OK_AND_ASSIGN(v1::Roadmap expected,
                       CreateRoadmap(AdminCaller(), kMilan, "plain", SampleRoadmap()));
  EXPECT_EQ(created.organisation(), kMilan);
  EXPECT_EQ(created.revision(), 1);
  EXPECT_DOUBLE_EQ(created.progress_percent(), expected.progress_percent());
  EXPECT_EQ(created.late_action_count(), expected.late_action_count());
  EXPECT_DOUBLE_EQ(created.objectives(0).progress_percent(),
                   expected.objectives(0).progress_percent());
  EXPECT_FALSE(created.objectives(0).actions(1).late());
  EXPECT_TRUE(created.indicators(0).off_track());
  EXPECT_NE(created.create_time().seconds(), 1);

  // Output-only fields beside a writable one in the mask: the writable one is written, the
  // others are ignored (the revision is bumped, not taken from the request).
  v1::Roadmap patch = created;
  patch.set_display_name("Renamed");
  patch.set_revision(41);
  patch.set_organisation(kTirana);
  ASSERT_OK_AND_ASSIGN(
      v1::Roadmap updated,
      UpdateRoadmap(AdminCaller(), patch, {"display_name", "revision", "organisation", "as_of"}));
  EXPECT_EQ(updated.display_name(), "Renamed");
  EXPECT_EQ(updated.revision(), 2);
  EXPECT_EQ(updated.organisation(), kMilan);
  ASSERT_OK_AND_ASSIGN(v1::Roadmap read, GetRoadmap(created.name()));
  EXPECT_EQ(read.revision(), 2);

  // A mask naming only output-only fields writes nothing: no new revision.
  patch = read;
  patch.set_revision(41);
  ASSERT_OK_AND_ASSIGN(updated, UpdateRoadmap(AdminCaller(), patch, {"revision"}));
  EXPECT_EQ(updated.revision(), 2);

  // A field neither writable nor output only is still refused, naming updateMask.
  EXPECT_THAT(FieldsOf(UpdateRoadmap(AdminCaller(), read, {"name"}).status()),
              ElementsAre("updateMask"));

  v1::CreateRevisionProposalRequest propose;
  propose.set_parent(created.name());
  propose.set_proposal_id("heat");
  *propose.mutable_proposal() = Parse<v1::RevisionProposal>(R"pb(
    summary: "Add a Living Lab on heat islands"
    state: ACCEPTED
    accepted_revision: 9
    decided_by: "partners/someone"
    proposed_by: "partners/someone"
  )pb");
  ASSERT_OK_AND_ASSIGN(v1::RevisionProposal proposal,
                       Call(&Stub::CreateRevisionProposal, AdminCaller(), propose));
  EXPECT_EQ(proposal.state(), v1::RevisionProposal::OPEN);
  EXPECT_EQ(proposal.accepted_revision(), 0);
  EXPECT_EQ(proposal.decided_by(), "");
  EXPECT_EQ(proposal.proposed_by(), "partners/secretariat");
}

// --- proposals -----------------------------------------------------------------------------

TEST_P(RoadmapServiceTest, AProposalCreatedTwiceWithOneRequestIdIsCreatedOnce) {
  ASSERT_OK_AND_ASSIGN(v1::Roadmap roadmap,
                       CreateRoadmap(AdminCaller(), kMilan, "twin", SampleRoadmap()));
  ASSERT_OK_AND_ASSIGN(v1::RevisionProposal first,
                       Propose(AdminCaller(), roadmap.name(), "heat", "req-1"));
  EXPECT_EQ(first.state(), v1::RevisionProposal::OPEN);
  EXPECT_EQ(first.roadmap(), roadmap.name());
  ASSERT_OK_AND_ASSIGN(v1::RevisionProposal again,
                       Propose(AdminCaller(), roadmap.name(), "heat", "req-1"));
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_THAT(Propose(AdminCaller(), "organisations/milan/roadmaps/none", "heat"),
              StatusIs(absl::StatusCode::kNotFound));

  v1::ListRevisionProposalsRequest list;
  list.set_parent("organisations/-/roadmaps/-");
  list.set_filter("state = \"OPEN\" AND source = \"hubs/milan-hub/insights/heat\"");
  ASSERT_OK_AND_ASSIGN(v1::ListRevisionProposalsResponse open,
                       Call(&Stub::ListRevisionProposals, ViewerCaller(), list));
  EXPECT_THAT(open.proposals(), SizeIs(1));
}

TEST_P(RoadmapServiceTest, AcceptingRevisesTheRoadmapAndTraceTellsTheStory) {
  ASSERT_OK_AND_ASSIGN(v1::Roadmap roadmap,
                       CreateRoadmap(AdminCaller(), kMilan, "twin", SampleRoadmap()));
  ASSERT_OK_AND_ASSIGN(v1::RevisionProposal proposal,
                       Propose(AdminCaller(), roadmap.name(), "heat"));
  v1::AcceptRevisionProposalRequest accept;
  accept.set_name(proposal.name());
  accept.set_etag("999");
  EXPECT_THAT(Call(&Stub::AcceptRevisionProposal, PartnerCaller(kMilan), accept),
              StatusIs(absl::StatusCode::kAborted));

  accept.set_etag(roadmap.etag());
  accept.set_note("adopted");
  *accept.mutable_roadmap()->mutable_objectives() = roadmap.objectives();
  v1::RoadmapAction* added = accept.mutable_roadmap()->mutable_objectives(0)->add_actions();
  added->set_id("living-lab");
  added->set_title("Living Lab on heat islands");
  added->set_status(v1::RoadmapAction::NOT_STARTED);
  added->add_challenge_codes("2.3");
  accept.mutable_update_mask()->add_paths("objectives");
  ASSERT_OK_AND_ASSIGN(v1::RevisionProposal accepted,
                       Call(&Stub::AcceptRevisionProposal, PartnerCaller(kMilan), accept));
  EXPECT_EQ(accepted.state(), v1::RevisionProposal::ACCEPTED);
  EXPECT_EQ(accepted.accepted_revision(), 2);
  EXPECT_EQ(accepted.decided_by(), "partners/milan-lab");

  ASSERT_OK_AND_ASSIGN(v1::Roadmap revised, GetRoadmap(roadmap.name()));
  EXPECT_EQ(revised.revision(), 2);
  EXPECT_THAT(revised.objectives(0).actions(), SizeIs(3));

  v1::TraceRoadmapRequest trace;
  trace.set_name(roadmap.name());
  ASSERT_OK_AND_ASSIGN(v1::TraceRoadmapResponse story,
                       Call(&Stub::TraceRoadmap, ViewerCaller(), trace));
  ASSERT_THAT(story.entries(), SizeIs(1));
  EXPECT_EQ(story.entries(0).revision(), 2);
  EXPECT_EQ(story.entries(0).proposal(), proposal.name());
  EXPECT_EQ(story.entries(0).insight(), "hubs/milan-hub/insights/heat");
  EXPECT_EQ(story.entries(0).origin().name(), "hubs/milan-hub/sessions/living-lab-1");
  EXPECT_EQ(story.entries(0).origin().title(), "Living Lab on heat islands");
  EXPECT_THAT(story.entries(0).changed_fields(), ElementsAre("objectives[0].actions[2]"));

  // Decided: immutable.
  absl::StatusOr<v1::RevisionProposal> again =
      Call(&Stub::AcceptRevisionProposal, AdminCaller(), accept);
  EXPECT_THAT(again, StatusIs(absl::StatusCode::kAborted));
  v1::DeclineRevisionProposalRequest decline;
  decline.set_name(proposal.name());
  decline.set_note("late");
  EXPECT_EQ(ReasonOf(Call(&Stub::DeclineRevisionProposal, AdminCaller(), decline).status()),
            "PROPOSAL_DECIDED");
}

TEST_P(RoadmapServiceTest, TwoRacingAcceptsOneWinsOneIsAborted) {
  ASSERT_OK_AND_ASSIGN(v1::Roadmap roadmap,
                       CreateRoadmap(AdminCaller(), kMilan, "twin", SampleRoadmap()));
  ASSERT_OK_AND_ASSIGN(v1::RevisionProposal proposal,
                       Propose(AdminCaller(), roadmap.name(), "heat"));
  absl::Status results[2];
  std::thread racers[2];
  for (int i = 0; i < 2; ++i) {
    racers[i] = std::thread([&, i] {
      v1::AcceptRevisionProposalRequest accept;
      accept.set_name(proposal.name());
      accept.set_etag(roadmap.etag());
      results[i] = Call(&Stub::AcceptRevisionProposal, AdminCaller(), accept).status();
    });
  }
  for (std::thread& racer : racers) racer.join();
  EXPECT_EQ(results[0].ok() + results[1].ok(), 1) << results[0] << " / " << results[1];
  for (const absl::Status& result : results) {
    if (!result.ok()) {
      EXPECT_THAT(result, StatusIs(absl::StatusCode::kAborted));
    }
  }
  ASSERT_OK_AND_ASSIGN(v1::Roadmap revised, GetRoadmap(roadmap.name()));
  EXPECT_EQ(revised.revision(), 2);
}

// --- peers ---------------------------------------------------------------------------------

TEST_P(RoadmapServiceTest, MembershipDownIsUnavailableAndWritesNothing) {
  env_.Stop(Service::kMembership, {kMilan});
  absl::StatusOr<v1::Roadmap> created =
      CreateRoadmap(AdminCaller(), kMilan, "twin", SampleRoadmap());
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(ReasonOf(created.status()), "MEMBERSHIP_UNAVAILABLE");
  EXPECT_THAT(GetRoadmap("organisations/milan/roadmaps/twin"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(RoadmapServiceTest, AssessmentDownIsUnavailableAndWritesNothing) {
  ASSERT_OK_AND_ASSIGN(v1::Roadmap roadmap,
                       CreateRoadmap(AdminCaller(), kMilan, "twin", SampleRoadmap()));
  env_.Stop(Service::kAssessment, {kFramework});
  EXPECT_THAT(CreateRoadmap(AdminCaller(), kTirana, "twin", SampleRoadmap()),
              StatusIs(absl::StatusCode::kUnavailable));
  roadmap.set_display_name("Renamed");
  absl::StatusOr<v1::Roadmap> updated = UpdateRoadmap(AdminCaller(), roadmap, {"display_name"});
  EXPECT_THAT(updated, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(ReasonOf(updated.status()), "ASSESSMENT_UNAVAILABLE");
  ASSERT_OK_AND_ASSIGN(v1::Roadmap read, GetRoadmap(roadmap.name()));
  EXPECT_EQ(read.revision(), 1);
  EXPECT_EQ(read.display_name(), "Twin transition roadmap");
}

TEST_P(RoadmapServiceTest, AFrameworkChangeInAssessmentReachesRoadmapsThroughTheCache) {
  ASSERT_OK_AND_ASSIGN(assessment::v1::Framework framework,
                       env_.AddFramework("draft", DraftFramework(), /*publish=*/false));
  v1::Roadmap roadmap = SampleRoadmap();
  roadmap.clear_plan();
  roadmap.set_framework("frameworks/draft");
  roadmap.mutable_objectives(0)->mutable_actions(0)->clear_challenge_codes();
  roadmap.mutable_objectives(0)->mutable_actions(0)->clear_outcome_codes();
  EXPECT_THAT(FieldsOf(CreateRoadmap(AdminCaller(), kMilan, "twin", roadmap).status()),
              ElementsAre("roadmap.objectives[0].capacities[0]",
                          "roadmap.objectives[0].actions[0].capacities[0]"));
  // Assessment adds the capacity; its write invalidates the cached framework.
  ASSERT_OK(env_.AddCapacity(framework, "learning"));
  EXPECT_OK(CreateRoadmap(AdminCaller(), kMilan, "twin", roadmap));
}

}  // namespace
}  // namespace metrocap::roadmaps::testing
