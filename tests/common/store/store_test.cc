// The resource store's contract, run against every backend: CRUD with versions, etags,
// transactions that roll back, request ids, and the pure helpers.
#include "common/store/store.h"

#include <memory>
#include <string>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/store/store_fixture.h"

namespace metrocap::store::testing {
namespace {

using ::metrocap::testing::IsOk;
using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class StoreTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    ASSERT_OK(MigrateAll());
  }
};

TEST_P(StoreTest, InsertThenGetReturnsTheStoredRecord) {
  Organisation milan = Org("milan", "Milano", Organisation::METROPOLITAN_AREA, "IT", 3250000);
  // Bytes that are not text: a NUL, a byte over 0x7f in a varint and UTF-8 beyond ASCII.
  milan.set_description(std::string("Città\0metropolitana", 19));
  milan.set_population(0x80 | (0x7f << 8));
  absl::Time before = absl::Now();
  ASSERT_OK_AND_ASSIGN(Record inserted, InsertOne(organisations_, milan));
  EXPECT_EQ(inserted.name, "organisations/milan");
  EXPECT_EQ(inserted.version, 1);
  EXPECT_EQ(inserted.create_time, inserted.update_time);
  EXPECT_GE(inserted.create_time, before - absl::Milliseconds(1));

  ASSERT_OK_AND_ASSIGN(Record got, GetOne(organisations_, "organisations/milan"));
  EXPECT_EQ(got.name, inserted.name);
  EXPECT_EQ(got.data, milan.SerializeAsString());
  EXPECT_EQ(got.version, 1);
  EXPECT_EQ(got.create_time, inserted.create_time);
  EXPECT_EQ(got.update_time, inserted.update_time);

  ASSERT_OK_AND_ASSIGN(Organisation decoded,
                       Decoded<Organisation>(organisations_, "organisations/milan"));
  EXPECT_EQ(decoded.description(), milan.description());
  EXPECT_EQ(decoded.population(), milan.population());
  EXPECT_EQ(decoded.etag(), EtagOf(1));
  EXPECT_EQ(decoded.create_time().seconds(), absl::ToUnixSeconds(inserted.create_time));
}

TEST_P(StoreTest, InsertingATakenNameIsAlreadyExists) {
  Organisation milan = Org("milan", "Milano", Organisation::CITY, "IT", 1);
  ASSERT_OK(InsertOne(organisations_, milan));
  milan.set_display_name("Another Milan");
  EXPECT_THAT(InsertOne(organisations_, milan),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("organisations/milan")));
  ASSERT_OK_AND_ASSIGN(Organisation stored,
                       Decoded<Organisation>(organisations_, "organisations/milan"));
  EXPECT_EQ(stored.display_name(), "Milano");
}

TEST_P(StoreTest, MissingRecordIsNotFound) {
  EXPECT_THAT(GetOne(organisations_, "organisations/atlantis"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("organisations/atlantis")));
  EXPECT_THAT(UpdateOne(organisations_, Org("atlantis", "A", Organisation::CITY, "GR", 1), 1),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(DeleteOne(organisations_, "organisations/atlantis", 1),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(StoreTest, UpdateBumpsVersionAndUpdateTimeAndReindexes) {
  Organisation org = Org("porto", "Porto", Organisation::CITY, "PT", 230000);
  ASSERT_OK_AND_ASSIGN(Record first, InsertOne(organisations_, org));
  org.set_kind(Organisation::METROPOLITAN_AREA);
  org.set_population(1700000);
  ASSERT_OK_AND_ASSIGN(Record second, UpdateOne(organisations_, org, 1));
  EXPECT_EQ(second.name, "organisations/porto");
  EXPECT_EQ(second.data, org.SerializeAsString());
  EXPECT_EQ(second.version, 2);
  EXPECT_EQ(second.create_time, first.create_time);
  EXPECT_GT(second.update_time, first.update_time);

  ASSERT_OK_AND_ASSIGN(Record got, GetOne(organisations_, "organisations/porto"));
  EXPECT_EQ(got.version, 2);
  EXPECT_EQ(got.data, org.SerializeAsString());
  EXPECT_EQ(got.update_time, second.update_time);
  EXPECT_THAT(ListNames(organisations_, "kind = METROPOLITAN_AREA AND population > 1000000"),
              IsOkAndHolds(ElementsAre("organisations/porto")));
  EXPECT_THAT(ListNames(organisations_, "kind = CITY"), IsOkAndHolds(IsEmpty()));
  // Only the columns whose value changes are written; the others keep theirs.
  EXPECT_THAT(ListNames(organisations_, "countryCode = PT AND displayName = \"Porto\""),
              IsOkAndHolds(ElementsAre("organisations/porto")));
  ASSERT_OK_AND_ASSIGN(Record third, UpdateOne(organisations_, org, 2));
  EXPECT_EQ(third.version, 3);
  EXPECT_EQ(third.create_time, first.create_time);
  EXPECT_THAT(ListNames(organisations_, "kind = METROPOLITAN_AREA AND countryCode = PT"),
              IsOkAndHolds(ElementsAre("organisations/porto")));
}

TEST_P(StoreTest, StaleVersionIsAbortedAndChangesNothing) {
  Organisation org = Org("lyon", "Lyon", Organisation::CITY, "FR", 500000);
  ASSERT_OK(InsertOne(organisations_, org));
  org.set_population(510000);
  ASSERT_OK(UpdateOne(organisations_, org, 1));
  org.set_population(1);
  EXPECT_THAT(UpdateOne(organisations_, org, 1), StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(UpdateOne(organisations_, org, 3), StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(DeleteOne(organisations_, "organisations/lyon", 1),
              StatusIs(absl::StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(Organisation stored,
                       Decoded<Organisation>(organisations_, "organisations/lyon"));
  EXPECT_EQ(stored.population(), 510000);
  EXPECT_EQ(stored.etag(), EtagOf(2));
}

TEST_P(StoreTest, DeleteRemovesRecordAndItsListValues) {
  ASSERT_OK(InsertOne(partners_, PartnerWith("lab", {"organisations/x", "organisations/y"})));
  ASSERT_OK(DeleteOne(partners_, "partners/lab", 1));
  EXPECT_THAT(GetOne(partners_, "partners/lab"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ListNames(partners_, "grants:\"organisations/x\""), IsOkAndHolds(IsEmpty()));
  // The name is free again, with a fresh version.
  ASSERT_OK_AND_ASSIGN(Record again, InsertOne(partners_, PartnerWith("lab", {})));
  EXPECT_EQ(again.version, 1);
  EXPECT_THAT(ListNames(partners_, "grants:\"organisations/y\""), IsOkAndHolds(IsEmpty()));
}

TEST_P(StoreTest, TransactionReadsItsOwnWrites) {
  ASSERT_OK(store_->RunInTransaction([&](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(
        tx.Insert(organisations_, "organisations/a", Org("a", "A", Organisation::CITY, "ES", 1))
            .status());
    ASSIGN_OR_RETURN(Record a, tx.Get(organisations_, "organisations/a"));
    EXPECT_EQ(a.version, 1);
    ListQuery all;
    ASSIGN_OR_RETURN(all.order, query::ParseOrderBy(organisations_, ""));
    ASSIGN_OR_RETURN(ListResult listed, tx.List(organisations_, all));
    EXPECT_EQ(listed.records.size(), 1u);
    ASSIGN_OR_RETURN(int64_t count, tx.Count(organisations_, "", {}));
    EXPECT_EQ(count, 1);
    return absl::OkStatus();
  }));
}

TEST_P(StoreTest, UncommittedTransactionIsRolledBackOnDestruction) {
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadWrite));
    ASSERT_OK(tx->Insert(organisations_, "organisations/ghost",
                         Org("ghost", "Ghost", Organisation::CITY, "IE", 1)));
    ASSERT_OK(tx->RecordRequest("partners/p", "req-1", "fp", "response"));
    // Not visible to a concurrent reader before commit.
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> reader,
                         store_->Begin(Store::Access::kReadOnly));
    EXPECT_THAT(reader->Get(organisations_, "organisations/ghost"),
                StatusIs(absl::StatusCode::kNotFound));
  }
  EXPECT_THAT(GetOne(organisations_, "organisations/ghost"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(CountOf(organisations_, ""), IsOkAndHolds(0));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
  EXPECT_THAT(tx->FindRequest("partners/p", "req-1"), IsOkAndEmpty());
}

TEST_P(StoreTest, ReaderKeepsItsSnapshotWhileAWriterCommits) {
  ASSERT_OK(InsertOne(organisations_, Org("a", "A", Organisation::CITY, "ES", 1)));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> reader,
                       store_->Begin(Store::Access::kReadOnly));
  EXPECT_THAT(reader->Count(organisations_, "", {}), IsOkAndHolds(1));
  ASSERT_OK(InsertOne(organisations_, Org("b", "B", Organisation::CITY, "ES", 1)));
  EXPECT_THAT(reader->Count(organisations_, "", {}), IsOkAndHolds(1));
  EXPECT_THAT(reader->Get(organisations_, "organisations/b"),
              StatusIs(absl::StatusCode::kNotFound));
  reader.reset();
  EXPECT_THAT(CountOf(organisations_, ""), IsOkAndHolds(2));
}

TEST_P(StoreTest, FailingWorkLeavesNothingAndIsNotRetried) {
  int runs = 0;
  absl::Status status = store_->RunInTransaction([&](Transaction& tx) -> absl::Status {
    ++runs;
    RETURN_IF_ERROR(
        tx.Insert(organisations_, "organisations/a", Org("a", "A", Organisation::CITY, "ES", 1))
            .status());
    RETURN_IF_ERROR(
        tx.Insert(partners_, "partners/p", PartnerWith("p", {"organisations/a"})).status());
    return absl::FailedPreconditionError("the quorum is not met");
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, "the quorum is not met"));
  EXPECT_EQ(runs, 1);
  EXPECT_THAT(GetOne(organisations_, "organisations/a"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(GetOne(partners_, "partners/p"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ListNames(partners_, "grants:\"organisations/a\""), IsOkAndHolds(IsEmpty()));

  // An ABORTED returned by the work itself (a stale etag) is the caller's answer, not a
  // reason to retry.
  runs = 0;
  EXPECT_THAT(store_->RunInTransaction([&](Transaction&) {
    ++runs;
    return absl::AbortedError("stale etag");
  }),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(runs, 1);
}

TEST_P(StoreTest, FailedStatementInsideWorkRollsBackEarlierWrites) {
  ASSERT_OK(InsertOne(organisations_, Org("taken", "Taken", Organisation::CITY, "ES", 1)));
  absl::Status status = store_->RunInTransaction([&](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(
        tx.Insert(organisations_, "organisations/new", Org("new", "N", Organisation::CITY, "ES", 1))
            .status());
    return tx
        .Insert(organisations_, "organisations/taken",
                Org("taken", "T", Organisation::CITY, "ES", 1))
        .status();
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(GetOne(organisations_, "organisations/new"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(StoreTest, RecordedRequestsArePerCallerAndReplaced) {
  std::string binary("\x00\xff\x10 response", 11);
  ASSERT_OK(store_->RunInTransaction([&](Transaction& tx) {
    return tx.RecordRequest("partners/a", "req-1", "CreateOrganisation:abc", binary);
  }));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(auto found, tx->FindRequest("partners/a", "req-1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->request_fingerprint, "CreateOrganisation:abc");
  EXPECT_EQ(found->response, binary);
  EXPECT_THAT(tx->FindRequest("partners/b", "req-1"), IsOkAndEmpty());
  EXPECT_THAT(tx->FindRequest("partners/a", "req-2"), IsOkAndEmpty());
  tx.reset();

  ASSERT_OK(store_->RunInTransaction([&](Transaction& tx) {
    return tx.RecordRequest("partners/a", "req-1", "UpdateOrganisation:def", "second");
  }));
  ASSERT_OK_AND_ASSIGN(tx, store_->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(found, tx->FindRequest("partners/a", "req-1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->request_fingerprint, "UpdateOrganisation:def");
  EXPECT_EQ(found->response, "second");
}

TEST_P(StoreTest, DurableAcrossReopen) {
  Organisation org = Org("kocaeli", "Kocaeli", Organisation::METROPOLITAN_AREA, "TR", 2000000);
  ASSERT_OK(InsertOne(organisations_, org));
  org.set_population(2100000);
  ASSERT_OK(UpdateOne(organisations_, org, 1));
  ASSERT_OK(InsertOne(partners_, PartnerWith("p", {"organisations/kocaeli"})));

  ASSERT_OK(Reopen());
  ASSERT_OK_AND_ASSIGN(Record got, GetOne(organisations_, "organisations/kocaeli"));
  EXPECT_EQ(got.version, 2);
  EXPECT_EQ(got.data, org.SerializeAsString());
  // Starting again migrates again: nothing changes.
  ASSERT_OK(MigrateAll());
  EXPECT_THAT(ListNames(organisations_, "population >= 2100000"),
              IsOkAndHolds(ElementsAre("organisations/kocaeli")));
  EXPECT_THAT(ListNames(partners_, "grants:\"organisations/kocaeli\""),
              IsOkAndHolds(ElementsAre("partners/p")));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(AllStoreBackends()), BackendName);

TEST(EtagTest, RoundTripsAndRejectsForgeries) {
  EXPECT_EQ(EtagOf(7), "\"7\"");
  EXPECT_THAT(ParseEtag("\"7\""), IsOkAndHolds(7));
  EXPECT_THAT(ParseEtag("12"), IsOkAndHolds(12));
  for (const char* bad : {"", "\"\"", "\"0\"", "\"-1\"", "\"abc\"", "W/\"3\"", "\"3"}) {
    absl::StatusOr<int64_t> parsed = ParseEtag(bad);
    EXPECT_THAT(parsed, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("etag"))) << bad;
  }
}

TEST(ParentOfTest, CollectionParentOfNames) {
  EXPECT_EQ(ParentOf("organisations/milan"), "");
  EXPECT_EQ(ParentOf("partners/a/apiKeys/k1"), "partners/a");
  EXPECT_EQ(ParentOf("organisations/m/assessments/2024/items/i"),
            "organisations/m/assessments/2024");
  EXPECT_EQ(ParentOf("plain"), "");
  EXPECT_EQ(ParentOf(""), "");
}

}  // namespace
}  // namespace metrocap::store::testing
