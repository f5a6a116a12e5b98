// The assessment schemas on a real store (SQLite and PostgreSQL): reads for comparison, the SQL
// visibility condition against core MayRead, and the List filters API.md promises.
#include "services/assessment/storage/schemas.h"

#include <memory>
#include <string>
#include <vector>

#include "common/query/filter.h"
#include "common/query/order_by.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/assessment/core/access.h"
#include "tests/services/assessment/core/fixtures.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

namespace metrocap::assessment {
namespace {

using testing::Admin;
using testing::Anonymous;
using ::testing::ElementsAre;
using testing::PartnerFor;
using testing::ScoredAssessment;
using testing::TestFramework;
using ::testing::UnorderedElementsAreArray;
using testing::Viewer;

class SchemasTest : public ::testing::TestWithParam<::metrocap::testing::StoreBackend> {
 protected:
  void SetUp() override {
    METROCAP_REQUIRE_STORE_BACKEND(GetParam());
    ASSERT_OK_AND_ASSIGN(dir_, ::metrocap::testing::MakeTempDir("metrocap-assessment-schemas"));
    ASSERT_OK_AND_ASSIGN(store_, GetParam().Open(dir_, "assessment"));
    ASSERT_OK(store_->Migrate(AssessmentSchemas().All()));

    v1::Framework f = TestFramework();
    auto add = [&](const std::string& org, const std::string& id, v1::Assessment::State state,
                   v1::Assessment::Visibility visibility, int end_year) {
      v1::Assessment a =
          ScoredAssessment(f, org, id, {{"knowledge", 4}, {"learning", 2}}, visibility);
      a.set_state(state);
      a.set_display_name(id);
      a.mutable_period_end()->set_year(end_year);
      a.mutable_period_end()->set_month(12);
      a.mutable_period_end()->set_day(31);
      a.mutable_validate_time()->set_seconds(1700000000 + end_year);
      *a.add_responses() = testing::MakeResponse("leadership.vision", 3, v1::Assessment::SURVEY,
                                                 "climate-transition");
      all_.push_back(a);
    };
    add("organisations/milan", "a2023", v1::Assessment::VALIDATED, v1::Assessment::PRIVATE, 2023);
    add("organisations/milan", "a2024", v1::Assessment::VALIDATED, v1::Assessment::NETWORK, 2024);
    add("organisations/milan", "draft", v1::Assessment::DRAFT, v1::Assessment::PUBLIC, 2025);
    add("organisations/tirana", "a2024", v1::Assessment::VALIDATED, v1::Assessment::PUBLIC, 2024);
    add("organisations/gzm", "a2024", v1::Assessment::SUBMITTED, v1::Assessment::PRIVATE, 2024);
    v1::Assessment other = all_[0];
    other.set_name("organisations/gzm/assessments/other-framework");
    other.set_organisation("organisations/gzm");
    other.set_framework("frameworks/other");
    all_.push_back(other);
    ASSERT_OK(store_->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
      for (const v1::Assessment& a : all_) {
        absl::StatusOr<store::Record> inserted =
            tx.Insert(AssessmentSchemas().assessments, a.name(), a);
        if (!inserted.ok()) return inserted.status();
      }
      return absl::OkStatus();
    }));
    // Inserted below the service, as a database from before the profile rows holds them.
    ASSERT_OK(FillProfileRows(*store_));
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) ::metrocap::testing::RemoveTree(dir_);
  }

  // Names of the assessments matching `condition`, in name order.
  std::vector<std::string> Matching(const query::Condition& condition) {
    auto tx = *store_->Begin(store::Store::Access::kReadOnly);
    store::ListQuery list;
    list.filter = condition;
    list.order = *query::ParseOrderBy(AssessmentSchemas().assessments, "");
    list.limit = 100;
    absl::StatusOr<store::ListResult> result = tx->List(AssessmentSchemas().assessments, list);
    EXPECT_OK(result);
    std::vector<std::string> names;
    if (!result.ok()) return names;
    for (const store::Record& r : result->records) names.push_back(r.name);
    return names;
  }

  std::vector<std::string> Filtered(const std::string& filter) {
    absl::StatusOr<query::Condition> condition =
        query::CompileFilter(AssessmentSchemas().assessments, filter);
    EXPECT_OK(condition);
    return condition.ok() ? Matching(*condition) : std::vector<std::string>{};
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::vector<v1::Assessment> all_;
};

TEST_P(SchemasTest, ListValidatedReadsTheProfileRows) {
  auto tx = *store_->Begin(store::Store::Access::kReadOnly);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Assessment> read,
                       ListValidated(*tx, "frameworks/test", "organisations/milan"));
  ASSERT_EQ(read.size(), 2u);
  v1::Assessment expected = all_[0];
  expected.clear_responses();
  expected.clear_methods();
  expected.mutable_profile()->clear_dimension_profiles();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(read[0], expected))
      << read[0].ShortDebugString() << "\nvs\n"
      << expected.ShortDebugString();
  EXPECT_EQ(read[1].name(), "organisations/milan/assessments/a2024");
  EXPECT_EQ(read[1].profile().capacity_scores_size(), 2);
}

TEST_P(SchemasTest, ListValidatedAcrossOrganisationsKeepsToTheFramework) {
  auto tx = *store_->Begin(store::Store::Access::kReadOnly);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Assessment> read, ListValidated(*tx, "frameworks/test", ""));
  std::vector<std::string> names;
  for (const v1::Assessment& a : read) names.push_back(a.name());
  EXPECT_THAT(names, ElementsAre("organisations/milan/assessments/a2023",
                                 "organisations/milan/assessments/a2024",
                                 "organisations/tirana/assessments/a2024"));
}

// The profile rows, each decoded, in name order.
std::vector<v1::Assessment> ProfileRows(store::Store& store) {
  auto tx = *store.Begin(store::Store::Access::kReadOnly);
  store::ListQuery list;
  list.order = *query::ParseOrderBy(AssessmentSchemas().profiles, "");
  list.limit = 100;
  absl::StatusOr<store::ListResult> result = tx->List(AssessmentSchemas().profiles, list);
  EXPECT_OK(result);
  std::vector<v1::Assessment> rows;
  if (!result.ok()) return rows;
  for (const store::Record& r : result->records) {
    EXPECT_TRUE(rows.emplace_back().ParseFromString(r.data)) << r.name;
  }
  return rows;
}

MATCHER_P(IsProfileRowOf, assessment, "") {
  return google::protobuf::util::MessageDifferencer::Equals(arg, ProfileRowOf(assessment));
}

TEST_P(SchemasTest, FillProfileRowsGivesAnOlderDatabaseOneRowPerValidatedAssessment) {
  // all_ in name order: milan a2023, a2024, draft; tirana a2024; gzm a2024, other-framework.
  const std::vector<v1::Assessment> rows = ProfileRows(*store_);
  EXPECT_THAT(rows, ElementsAre(IsProfileRowOf(all_[5]), IsProfileRowOf(all_[0]),
                                IsProfileRowOf(all_[1]), IsProfileRowOf(all_[3])));
  EXPECT_TRUE(rows[1].etag().empty());
  EXPECT_EQ(rows[1].responses_size(), 0);
  // Again: nothing missing, nothing changes.
  ASSERT_OK(FillProfileRows(*store_));
  EXPECT_EQ(ProfileRows(*store_).size(), 4u);
  // One row lost: only it is written back.
  ASSERT_OK(store_->RunInTransaction(
      [&](store::Transaction& tx) { return SyncProfileRow(tx, &all_[3], nullptr); }));
  EXPECT_EQ(ProfileRows(*store_).size(), 3u);
  ASSERT_OK(FillProfileRows(*store_));
  EXPECT_EQ(ProfileRows(*store_).size(), 4u);
}

TEST_P(SchemasTest, SyncProfileRowKeepsARowExactlyWhileValidated) {
  v1::Assessment submitted = all_[4];  // gzm a2024
  v1::Assessment validated = submitted;
  validated.set_state(v1::Assessment::VALIDATED);
  ASSERT_OK(store_->RunInTransaction(
      [&](store::Transaction& tx) { return SyncProfileRow(tx, &submitted, &validated); }));
  EXPECT_EQ(ProfileRows(*store_).size(), 5u);
  v1::Assessment changed = validated;
  changed.set_visibility(v1::Assessment::PUBLIC);
  ASSERT_OK(store_->RunInTransaction(
      [&](store::Transaction& tx) { return SyncProfileRow(tx, &validated, &changed); }));
  EXPECT_THAT(ProfileRows(*store_), ::testing::Contains(IsProfileRowOf(changed)));
  ASSERT_OK(store_->RunInTransaction(
      [&](store::Transaction& tx) { return SyncProfileRow(tx, &changed, nullptr); }));
  EXPECT_EQ(ProfileRows(*store_).size(), 4u);
  // A draft written or deleted has no row to keep.
  ASSERT_OK(store_->RunInTransaction(
      [&](store::Transaction& tx) { return SyncProfileRow(tx, &all_[2], &all_[2]); }));
  EXPECT_EQ(ProfileRows(*store_).size(), 4u);
}

TEST_P(SchemasTest, ReadableByAgreesWithMayReadForEveryRole) {
  for (const identity::Caller& caller :
       {Admin(), PartnerFor("organisations/milan"), PartnerFor("organisations/gzm"), Viewer(),
        Anonymous(),
        identity::Caller{"partners/v", membership::v1::Partner::VIEWER, {"organisations/milan"}},
        identity::Caller{"partners/two",
                         membership::v1::Partner::PARTNER,
                         {"organisations/gzm", "organisations/milan"}}}) {
    std::vector<std::string> expected;
    for (const v1::Assessment& a : all_) {
      if (MayRead(caller, a)) expected.push_back(a.name());
    }
    EXPECT_THAT(Matching(ReadableBy(caller)), UnorderedElementsAreArray(expected))
        << caller.principal << " " << caller.role;
  }
}

TEST_P(SchemasTest, ListFiltersOnTheFieldsApiMdNames) {
  EXPECT_THAT(Filtered("state = VALIDATED AND organisation = \"organisations/tirana\""),
              ElementsAre("organisations/tirana/assessments/a2024"));
  EXPECT_THAT(Filtered("framework = \"frameworks/other\""),
              ElementsAre("organisations/gzm/assessments/other-framework"));
  EXPECT_THAT(Filtered("visibility = PUBLIC"),
              ElementsAre("organisations/milan/assessments/draft",
                          "organisations/tirana/assessments/a2024"));
  EXPECT_THAT(Filtered("periodEnd >= \"2025-01-01\""),
              ElementsAre("organisations/milan/assessments/draft"));
  EXPECT_EQ(Filtered("periodStart = \"\"").size(), all_.size());
  EXPECT_THAT(Filtered("validateTime < \"2023-11-14T22:47:04Z\""),
              ElementsAre("organisations/gzm/assessments/other-framework",
                          "organisations/milan/assessments/a2023"));
  EXPECT_THAT(Filtered("displayName = \"draft\""),
              ElementsAre("organisations/milan/assessments/draft"));
}

INSTANTIATE_TEST_SUITE_P(Backends, SchemasTest,
                         ::testing::ValuesIn(::metrocap::testing::AllStoreBackends()),
                         ::metrocap::testing::StoreBackendName);

}  // namespace
}  // namespace metrocap::assessment
