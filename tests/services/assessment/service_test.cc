// The assessment service over gRPC: frameworks, the assessment state machine, visibility
// for every role, List filters, and compare/suggest with private data present.
#include "absl/strings/str_replace.h"
#include "common/query/order_by.h"
#include "common/testing/status_matchers.h"
#include "services/assessment/core/access.h"
#include "services/assessment/storage/schemas.h"
#include "tests/services/assessment/service_fixture.h"

namespace metrocap::assessment::testing {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;

std::vector<std::string> Names(const v1::ListAssessmentsResponse& r) {
  std::vector<std::string> out;
  for (const auto& a : r.assessments()) out.push_back(a.name());
  return out;
}

TEST_P(AssessmentServiceTest, OnlyAnAdminWritesFrameworks) {
  EXPECT_THAT(CreateFramework("other", TestFramework(), PartnerCaller(kMilan)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(CreateFramework("other", TestFramework(), ViewerCaller()),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_P(AssessmentServiceTest, ABadFrameworkNamesEveryBadField) {
  v1::Framework f = TestFramework();
  f.set_scale_max(0);
  f.mutable_capacities(0)->mutable_indicators(0)->set_weight(-1);
  absl::StatusOr<v1::Framework> created = CreateFramework("bad", f);
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(created.status())) fields.push_back(v.field);
  EXPECT_THAT(fields,
              ElementsAre("framework.scaleMax", "framework.capacities[0].indicators[0].weight"));
}

TEST_P(AssessmentServiceTest, APublishedFrameworkIsImmutable) {
  v1::UpdateFrameworkRequest update;
  update.mutable_framework()->set_name("frameworks/test");
  update.mutable_framework()->set_display_name("Renamed");
  update.mutable_update_mask()->add_paths("display_name");
  v1::Framework out;
  grpc::Status status =
      env_.assessment().UpdateFramework(env_.As(AdminCaller()).get(), update, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  v1::DeleteFrameworkRequest del;
  del.set_name("frameworks/test");
  google::protobuf::Empty empty;
  status = env_.assessment().DeleteFramework(env_.As(AdminCaller()).get(), del, &empty);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  EXPECT_THAT(Publish("frameworks/test"), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_P(AssessmentServiceTest, ADraftFrameworkCanChangeButNotBeAssessedAgainst) {
  ASSERT_OK_AND_ASSIGN(v1::Framework draft, CreateFramework("draft", TestFramework()));
  EXPECT_EQ(draft.state(), v1::Framework::DRAFT);
  v1::UpdateFrameworkRequest update;
  update.mutable_framework()->set_name(draft.name());
  update.mutable_framework()->set_need_threshold(2.5);
  update.mutable_framework()->set_etag(draft.etag());
  update.mutable_update_mask()->add_paths("need_threshold");
  v1::Framework updated;
  ASSERT_TRUE(
      env_.assessment().UpdateFramework(env_.As(AdminCaller()).get(), update, &updated).ok());
  EXPECT_DOUBLE_EQ(updated.need_threshold(), 2.5);
  EXPECT_EQ(updated.display_name(), draft.display_name());

  // The etag it was read at is now stale.
  update.mutable_framework()->set_need_threshold(2);
  EXPECT_EQ(env_.assessment()
                .UpdateFramework(env_.As(AdminCaller()).get(), update, &updated)
                .error_code(),
            grpc::StatusCode::ABORTED);

  v1::Assessment a = Draft({{"leadership.vision", 3}});
  a.set_framework(draft.name());
  absl::StatusOr<v1::Assessment> created = Create(AdminCaller(), kMilan, "a", a);
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(created.status()), "FRAMEWORK_NOT_PUBLISHED");
}

TEST_P(AssessmentServiceTest, AnUnknownFrameworkIsABadArgument) {
  v1::Assessment a = Draft({{"leadership.vision", 3}});
  a.set_framework("frameworks/nope");
  absl::StatusOr<v1::Assessment> created = Create(AdminCaller(), kMilan, "a", a);
  EXPECT_THAT(created, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("frameworks/nope")));
}

TEST_P(AssessmentServiceTest, WalksTheStateMachine) {
  const identity::Caller milan = PartnerCaller(kMilan);
  ASSERT_OK_AND_ASSIGN(v1::Assessment a, Create(milan, kMilan, "a2024", Draft({})));
  // Empty: nothing to submit.
  EXPECT_THAT(Submit(milan, a.name()), StatusIs(absl::StatusCode::kFailedPrecondition));

  v1::UpdateAssessmentRequest update;
  *update.mutable_assessment() = Draft({{"leadership.vision", 4}, {"learning.training", 2}});
  update.mutable_assessment()->set_name(a.name());
  update.mutable_update_mask()->add_paths("responses");
  v1::Assessment updated;
  ASSERT_TRUE(env_.assessment().UpdateAssessment(env_.As(milan).get(), update, &updated).ok());
  EXPECT_EQ(updated.profile().potentials_size(), 1);
  EXPECT_EQ(updated.profile().learning_needs_size(), 1);

  EXPECT_THAT(Validate(AdminCaller(), a.name()), StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK_AND_ASSIGN(v1::Assessment submitted, Submit(milan, a.name()));
  EXPECT_EQ(submitted.state(), v1::Assessment::SUBMITTED);
  EXPECT_THAT(Submit(milan, a.name()), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(Validate(milan, a.name()), StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(v1::Assessment validated, Validate(AdminCaller(), a.name()));
  EXPECT_EQ(validated.state(), v1::Assessment::VALIDATED);
  EXPECT_EQ(validated.validated_by(), "partners/secretariat");
  EXPECT_TRUE(validated.has_validate_time());

  // Validated: immutable, undeletable, not validated twice.
  grpc::Status status =
      env_.assessment().UpdateAssessment(env_.As(AdminCaller()).get(), update, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::DeleteAssessmentRequest del;
  del.set_name(a.name());
  google::protobuf::Empty empty;
  status = env_.assessment().DeleteAssessment(env_.As(AdminCaller()).get(), del, &empty);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(Validate(AdminCaller(), a.name()), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_P(AssessmentServiceTest, OnlyGrantedPartnersWriteAnOrganisationsAssessments) {
  EXPECT_THAT(Create(PartnerCaller(kTirana), kMilan, "a", Draft({})),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(v1::Assessment a, Create(PartnerCaller(kMilan), kMilan, "a", Draft({})));
  v1::DeleteAssessmentRequest del;
  del.set_name(a.name());
  google::protobuf::Empty empty;
  EXPECT_EQ(env_.assessment()
                .DeleteAssessment(env_.As(PartnerCaller(kTirana)).get(), del, &empty)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      env_.assessment().DeleteAssessment(env_.As(ViewerCaller()).get(), del, &empty).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(
      env_.assessment().DeleteAssessment(env_.As(PartnerCaller(kMilan)).get(), del, &empty).ok());
}

TEST_P(AssessmentServiceTest, BadNamesAndIdsAreRefused) {
  EXPECT_THAT(Create(AdminCaller(), "organisations/Milan!", "a", Draft({})),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Create(AdminCaller(), kMilan, "A B", Draft({})),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::GetAssessmentRequest get;
  get.set_name("organisations/milan/frameworks/x");
  v1::Assessment out;
  EXPECT_EQ(env_.assessment().GetAssessment(env_.As(AdminCaller()).get(), get, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_P(AssessmentServiceTest, DerivesTheIdFromTheDisplayName) {
  v1::Assessment a = Draft({});
  a.set_display_name("Capacity assessment 2024");
  ASSERT_OK_AND_ASSIGN(v1::Assessment created, Create(AdminCaller(), kMilan, "", a));
  EXPECT_EQ(created.name(), "organisations/milan/assessments/capacity-assessment-2024");
}

TEST_P(AssessmentServiceTest, ARepeatedRequestIdReturnsTheFirstResult) {
  v1::CreateAssessmentRequest request;
  request.set_parent(kMilan);
  request.set_assessment_id("a");
  request.set_request_id("6f1c2a9e-8d0b-4c39-9a57-3c1f0e2b7d41");
  *request.mutable_assessment() = Draft({{"leadership.vision", 3}});
  v1::Assessment first, second;
  ASSERT_TRUE(
      env_.assessment().CreateAssessment(env_.As(AdminCaller()).get(), request, &first).ok());
  ASSERT_TRUE(
      env_.assessment().CreateAssessment(env_.As(AdminCaller()).get(), request, &second).ok());
  EXPECT_EQ(first.etag(), second.etag());
}

class VisibilityTest : public AssessmentServiceTest {
 protected:
  void SetUp() override {
    AssessmentServiceTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    ASSERT_OK(Create(AdminCaller(), kMilan, "private",
                     Draft({{"leadership.vision", 2}}, v1::Assessment::PRIVATE)));
    ASSERT_OK(Create(AdminCaller(), kMilan, "network",
                     Draft({{"leadership.vision", 2}}, v1::Assessment::NETWORK)));
    ASSERT_OK(Create(AdminCaller(), kTirana, "private",
                     Draft({{"leadership.vision", 2}}, v1::Assessment::PRIVATE)));
    ASSERT_OK(Create(AdminCaller(), kTirana, "public",
                     Draft({{"leadership.vision", 2}}, v1::Assessment::PUBLIC)));
  }
};

TEST_P(VisibilityTest, GetHidesPrivateAssessmentsAsNotFound) {
  v1::GetAssessmentRequest get;
  get.set_name("organisations/milan/assessments/private");
  v1::Assessment out;
  EXPECT_TRUE(env_.assessment().GetAssessment(env_.As(AdminCaller()).get(), get, &out).ok());
  EXPECT_TRUE(
      env_.assessment().GetAssessment(env_.As(PartnerCaller(kMilan)).get(), get, &out).ok());
  for (const identity::Caller& caller : {PartnerCaller(kTirana), ViewerCaller()}) {
    grpc::Status status = env_.assessment().GetAssessment(env_.As(caller).get(), get, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
    // The same answer as for an assessment that does not exist.
    v1::GetAssessmentRequest missing;
    missing.set_name("organisations/milan/assessments/nothing");
    grpc::Status absent = env_.assessment().GetAssessment(env_.As(caller).get(), missing, &out);
    EXPECT_EQ(status.error_message(),
              absl::StrReplaceAll(absent.error_message(), {{"nothing", "private"}}));
  }
  get.set_name("organisations/milan/assessments/network");
  EXPECT_TRUE(env_.assessment().GetAssessment(env_.As(ViewerCaller()).get(), get, &out).ok());
}

TEST_P(VisibilityTest, ListShowsEachRoleWhatMayReadAllows) {
  ASSERT_OK_AND_ASSIGN(auto all, List(AdminCaller(), "organisations/-"));
  ASSERT_EQ(all.assessments_size(), 4);
  EXPECT_EQ(all.total_size(), 4);
  for (const identity::Caller& caller :
       {AdminCaller(), PartnerCaller(kMilan), PartnerCaller(kTirana), ViewerCaller(),
        identity::Caller{"partners/v", membership::v1::Partner::VIEWER, {kMilan}}}) {
    std::vector<std::string> expected;
    for (const v1::Assessment& a : all.assessments()) {
      if (MayRead(caller, a)) expected.push_back(a.name());
    }
    ASSERT_OK_AND_ASSIGN(auto listed, List(caller, "organisations/-"));
    EXPECT_THAT(Names(listed), UnorderedElementsAreArray(expected)) << caller.principal;
    EXPECT_EQ(listed.total_size(), static_cast<int>(expected.size())) << caller.principal;
  }
}

TEST_P(VisibilityTest, ListFiltersWithinAnOrganisation) {
  ASSERT_OK_AND_ASSIGN(auto listed, List(ViewerCaller(), kMilan));
  EXPECT_THAT(Names(listed), ElementsAre("organisations/milan/assessments/network"));
  ASSERT_OK_AND_ASSIGN(listed, List(AdminCaller(), "organisations/-", "visibility = PRIVATE"));
  EXPECT_THAT(Names(listed), ElementsAre("organisations/milan/assessments/private",
                                         "organisations/tirana/assessments/private"));
  ASSERT_OK_AND_ASSIGN(listed, List(AdminCaller(), "organisations/-",
                                    "framework = \"frameworks/test\" AND state = DRAFT"));
  EXPECT_EQ(listed.assessments_size(), 4);
  EXPECT_THAT(List(AdminCaller(), "organisations/-", "responses = 3"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("responses")));
}

class AnalysisTest : public AssessmentServiceTest {
 protected:
  void SetUp() override {
    AssessmentServiceTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    // Milan needs leadership; Barcelona and GZM show a potential there; Tirana too, but
    // privately.
    ASSERT_OK(CreateValidated(kMilan, "a2024",
                              Draft({{"leadership.vision", 2}, {"learning.training", 4.5}})));
    ASSERT_OK(CreateValidated(kBarcelona, "a2024",
                              Draft({{"leadership.vision", 4}, {"learning.training", 2}})));
    ASSERT_OK(CreateValidated(kGzm, "a2024",
                              Draft({{"leadership.vision", 4.5}}, v1::Assessment::PUBLIC)));
    ASSERT_OK(CreateValidated(kTirana, "a2024",
                              Draft({{"leadership.vision", 5}}, v1::Assessment::PRIVATE)));
    // A draft never counts.
    ASSERT_OK(Create(AdminCaller(), kBarcelona, "draft", Draft({{"leadership.vision", 1}})));
  }

  v1::CompareAssessmentsResponse Compare(const identity::Caller& caller,
                                         std::vector<std::string> organisations) {
    v1::CompareAssessmentsRequest request;
    request.set_framework("frameworks/test");
    for (const std::string& o : organisations) request.add_organisations(o);
    v1::CompareAssessmentsResponse out;
    grpc::Status status =
        env_.assessment().CompareAssessments(env_.As(caller).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }
};

TEST_P(AnalysisTest, ComparesTheLatestValidatedAssessments) {
  v1::CompareAssessmentsResponse r =
      Compare(AdminCaller(), {kMilan, kBarcelona, kTirana, "organisations/chisinau"});
  ASSERT_EQ(r.organisations_size(), 3);
  EXPECT_EQ(r.organisations(1).assessment(), "organisations/barcelona/assessments/a2024");
  EXPECT_THAT(r.unassessed_organisations(), ElementsAre("organisations/chisinau"));
  ASSERT_GE(r.capacities_size(), 1);
  EXPECT_EQ(r.capacities(0).capacity(), "leadership");
  EXPECT_DOUBLE_EQ(r.capacities(0).network_mean(), (2 + 4 + 5) / 3.0);
}

// Every stored assessment and every profile row, decoded, each in name order.
struct Stored {
  std::vector<v1::Assessment> assessments;
  std::vector<v1::Assessment> profile_rows;
};
Stored ReadStored(store::Store& store) {
  Stored stored;
  auto tx = *store.Begin(store::Store::Access::kReadOnly);
  for (auto [schema, out] : {std::pair{&AssessmentSchemas().assessments, &stored.assessments},
                             std::pair{&AssessmentSchemas().profiles, &stored.profile_rows}}) {
    store::ListQuery list;
    list.order = *query::ParseOrderBy(*schema, "");
    list.limit = 100;
    absl::StatusOr<store::ListResult> result = tx->List(*schema, list);
    EXPECT_OK(result);
    if (!result.ok()) continue;
    for (const store::Record& r : result->records) {
      EXPECT_OK(store::DecodeRecord(r, &out->emplace_back()));
    }
  }
  return stored;
}

// The profile rows are exactly ProfileRowOf each stored VALIDATED assessment.
void ExpectProfileRowsAgree(store::Store& store, size_t expected_rows) {
  const Stored stored = ReadStored(store);
  std::vector<std::string> expected;
  for (const v1::Assessment& a : stored.assessments) {
    if (a.state() == v1::Assessment::VALIDATED) expected.push_back(ProfileRowOf(a).DebugString());
  }
  std::vector<std::string> rows;
  for (const v1::Assessment& row : stored.profile_rows) {
    rows.push_back(ProfileRowOf(row).DebugString());
  }
  EXPECT_EQ(rows, expected);
  EXPECT_EQ(rows.size(), expected_rows);
}

TEST_P(AnalysisTest, ProfileRowsAgreeWithTheStoredAssessmentsAfterEveryWrite) {
  store::Store& store = env_.store(Service::kAssessment);
  ExpectProfileRowsAgree(store, 4);

  // An update of a draft, a refused update and delete of a validated one: no row changes.
  v1::UpdateAssessmentRequest update;
  *update.mutable_assessment() = Draft({{"leadership.vision", 3}});
  update.mutable_assessment()->set_name("organisations/barcelona/assessments/draft");
  update.mutable_update_mask()->add_paths("responses");
  v1::Assessment updated;
  ASSERT_TRUE(
      env_.assessment().UpdateAssessment(env_.As(AdminCaller()).get(), update, &updated).ok());
  update.mutable_assessment()->set_name("organisations/milan/assessments/a2024");
  EXPECT_FALSE(
      env_.assessment().UpdateAssessment(env_.As(AdminCaller()).get(), update, &updated).ok());
  v1::DeleteAssessmentRequest del;
  del.set_name("organisations/milan/assessments/a2024");
  google::protobuf::Empty empty;
  EXPECT_FALSE(env_.assessment().DeleteAssessment(env_.As(AdminCaller()).get(), del, &empty).ok());
  ExpectProfileRowsAgree(store, 4);

  // Submitted: still no row; validated: its row.
  ASSERT_OK(Submit(AdminCaller(), "organisations/barcelona/assessments/draft"));
  ExpectProfileRowsAgree(store, 4);
  ASSERT_OK(Validate(AdminCaller(), "organisations/barcelona/assessments/draft"));
  ExpectProfileRowsAgree(store, 5);

  // A created and deleted draft leaves the rows as they were.
  ASSERT_OK(Create(AdminCaller(), kMilan, "scratch", Draft({{"leadership.vision", 1}})));
  del.set_name("organisations/milan/assessments/scratch");
  ASSERT_TRUE(env_.assessment().DeleteAssessment(env_.As(AdminCaller()).get(), del, &empty).ok());
  ExpectProfileRowsAgree(store, 5);

  // Comparison reads the rows: Barcelona's latest is now the one validated last.
  v1::CompareAssessmentsResponse r = Compare(AdminCaller(), {kBarcelona});
  ASSERT_EQ(r.organisations_size(), 1);
  EXPECT_EQ(r.organisations(0).assessment(), "organisations/barcelona/assessments/draft");
}

TEST_P(AnalysisTest, CompareWithholdsWhatTheCallerMayNotRead) {
  v1::CompareAssessmentsResponse r = Compare(ViewerCaller(), {});
  std::vector<std::string> compared;
  for (const auto& row : r.organisations()) compared.push_back(row.organisation());
  EXPECT_THAT(compared, ElementsAre(kBarcelona, kGzm, kMilan));
  EXPECT_THAT(r.withheld_organisations(), ElementsAre(kTirana));
  EXPECT_DOUBLE_EQ(r.capacities(0).network_mean(), (2 + 4 + 4.5) / 3.0);
  EXPECT_EQ(r.DebugString().find("tirana/assessments"), std::string::npos);
}

TEST_P(AnalysisTest, SuggestsPeersBestFirstWithoutRevealingPrivateOnes) {
  v1::SuggestPeersRequest request;
  request.set_name("organisations/milan/assessments/a2024");
  v1::SuggestPeersResponse r;
  ASSERT_TRUE(
      env_.assessment().SuggestPeers(env_.As(PartnerCaller(kMilan)).get(), request, &r).ok());
  ASSERT_EQ(r.suggestions_size(), 1);
  EXPECT_EQ(r.suggestions(0).capacity(), "leadership");
  std::vector<std::string> peers;
  for (const auto& p : r.suggestions(0).peers()) peers.push_back(p.organisation());
  EXPECT_THAT(peers, ElementsAre(kGzm, kBarcelona));
  EXPECT_THAT(r.withheld_organisations(), ElementsAre(kTirana));

  ASSERT_TRUE(env_.assessment().SuggestPeers(env_.As(AdminCaller()).get(), request, &r).ok());
  peers.clear();
  for (const auto& p : r.suggestions(0).peers()) peers.push_back(p.organisation());
  EXPECT_THAT(peers, ElementsAre(kTirana, kGzm, kBarcelona));
  EXPECT_THAT(r.withheld_organisations(), IsEmpty());
}

TEST_P(AnalysisTest, CompareAndSuggestRefuseBadInput) {
  v1::CompareAssessmentsRequest compare;
  compare.set_framework("frameworks/test");
  compare.add_organisations("milan");
  v1::CompareAssessmentsResponse out;
  EXPECT_EQ(env_.assessment()
                .CompareAssessments(env_.As(AdminCaller()).get(), compare, &out)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  compare.clear_organisations();
  compare.set_framework("frameworks/none");
  EXPECT_EQ(env_.assessment()
                .CompareAssessments(env_.As(AdminCaller()).get(), compare, &out)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::SuggestPeersRequest suggest;
  suggest.set_name("organisations/milan/assessments/a2024");
  suggest.set_max_peers(-1);
  v1::SuggestPeersResponse peers;
  EXPECT_EQ(
      env_.assessment().SuggestPeers(env_.As(AdminCaller()).get(), suggest, &peers).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  // A private assessment is not found for someone who may not read it.
  suggest.set_name("organisations/tirana/assessments/a2024");
  suggest.set_max_peers(0);
  EXPECT_EQ(
      env_.assessment().SuggestPeers(env_.As(ViewerCaller()).get(), suggest, &peers).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

using ::metrocap::testing::AllStoreBackends;
using ::metrocap::testing::StoreBackendName;
INSTANTIATE_TEST_SUITE_P(Backends, VisibilityTest, ::testing::ValuesIn(AllStoreBackends()),
                         StoreBackendName);
INSTANTIATE_TEST_SUITE_P(Backends, AnalysisTest, ::testing::ValuesIn(AllStoreBackends()),
                         StoreBackendName);

}  // namespace
}  // namespace metrocap::assessment::testing
