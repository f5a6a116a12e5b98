// Versioned migrations on every backend: re-running is a no-op that keeps the data, and a
// newly declared indexed field is added and backfilled from the stored messages.
#include <string>
#include <thread>
#include <vector>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/store/store_fixture.h"

namespace metrocap::store::testing {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class StoreMigrationTest : public StoreFixture {};

TEST_P(StoreMigrationTest, MigratingTwiceIsANoOpAndKeepsData) {
  ASSERT_OK(MigrateAll());
  ASSERT_OK(InsertOne(organisations_, Org("milan", "Milano", Organisation::CITY, "IT", 3)));
  ASSERT_OK(InsertOne(partners_, PartnerWith("p", {"organisations/milan"})));
  ASSERT_OK(MigrateAll());
  ASSERT_OK(MigrateAll());
  ASSERT_OK_AND_ASSIGN(Record milan, GetOne(organisations_, "organisations/milan"));
  EXPECT_EQ(milan.version, 1);
  EXPECT_THAT(ListNames(organisations_, "countryCode = IT"),
              IsOkAndHolds(ElementsAre("organisations/milan")));
  EXPECT_THAT(ListNames(partners_, "grants:\"organisations/milan\""),
              IsOkAndHolds(ElementsAre("partners/p")));
  // And from a store opened afresh on the same database.
  ASSERT_OK(Reopen());
  ASSERT_OK(MigrateAll());
  EXPECT_THAT(CountOf(organisations_, ""), IsOkAndHolds(1));
  EXPECT_THAT(CountOf(partners_, "grants:\"organisations/milan\""), IsOkAndHolds(1));
}

TEST_P(StoreMigrationTest, SchemasCanBeMigratedOneAtATime) {
  ASSERT_OK(store_->Migrate({&organisations_}));
  ASSERT_OK(InsertOne(organisations_, Org("a", "A", Organisation::CITY, "IT", 3)));
  ASSERT_OK(store_->Migrate({&partners_}));
  ASSERT_OK(store_->Migrate({&organisations_, &partners_}));
  ASSERT_OK(InsertOne(partners_, PartnerWith("p", {"organisations/a"})));
  EXPECT_THAT(CountOf(organisations_, ""), IsOkAndHolds(1));
  EXPECT_THAT(CountOf(partners_, ""), IsOkAndHolds(1));
}

TEST_P(StoreMigrationTest, NewIndexedFieldIsBackfilledFromStoredRecords) {
  ResourceSchema before = MakeSchema(
      "organisations", Organisation::descriptor(),
      {"displayName", "kind", "countryCode", "region", "parent", "membershipState", "memberSince"});
  ASSERT_OK(store_->Migrate({&before}));
  ASSERT_OK(InsertOne(before, Org("small", "Small", Organisation::CITY, "ES", 1000)));
  ASSERT_OK(InsertOne(before, Org("large", "Large", Organisation::CITY, "ES", 5000000)));
  ASSERT_OK(InsertOne(before, Org("none", "None", Organisation::CITY, "ES", 0)));
  EXPECT_THAT(query::CompileFilter(before, "population > 0"),
              StatusIs(absl::StatusCode::kInvalidArgument));

  // The next release declares `population` as well.
  ASSERT_OK(store_->Migrate({&organisations_}));
  EXPECT_THAT(ListNames(organisations_, "population > 100000"),
              IsOkAndHolds(ElementsAre("organisations/large")));
  EXPECT_THAT(ListNames(organisations_, "", "population desc"),
              IsOkAndHolds(
                  ElementsAre("organisations/large", "organisations/small", "organisations/none")));
  // Records written afterwards are indexed too, and migrating again changes nothing.
  ASSERT_OK(InsertOne(organisations_, Org("mid", "Mid", Organisation::CITY, "ES", 200000)));
  ASSERT_OK(store_->Migrate({&organisations_}));
  EXPECT_THAT(ListNames(organisations_, "population > 100000"),
              IsOkAndHolds(ElementsAre("organisations/large", "organisations/mid")));
  ASSERT_OK_AND_ASSIGN(Record small, GetOne(organisations_, "organisations/small"));
  EXPECT_EQ(small.version, 1);
}

TEST_P(StoreMigrationTest, NewListFieldIsBackfilledIntoItsSideTable) {
  ResourceSchema before = MakeSchema("partners", Partner::descriptor(), {"role"});
  ASSERT_OK(store_->Migrate({&before}));
  ASSERT_OK(InsertOne(before, PartnerWith("lab", {"organisations/x", "organisations/y"})));
  ASSERT_OK(InsertOne(before, PartnerWith("other", {"organisations/y"})));
  ASSERT_OK(InsertOne(before, PartnerWith("none", {})));

  ASSERT_OK(store_->Migrate({&partners_}));
  EXPECT_THAT(ListNames(partners_, "grants:\"organisations/x\""),
              IsOkAndHolds(ElementsAre("partners/lab")));
  EXPECT_THAT(ListNames(partners_, "grants:\"organisations/y\""),
              IsOkAndHolds(ElementsAre("partners/lab", "partners/other")));
  EXPECT_THAT(ListNames(partners_, "grants:\"organisations/z\""), IsOkAndHolds(IsEmpty()));
}

TEST_P(StoreMigrationTest, TwoStoresMigratingTheSameDatabaseAtOnce) {
  // Two processes starting together: both migrate, both succeed, each step applies once.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> other, GetParam().Open(dir_));
  absl::Status first, second;
  std::thread a([&] { first = MigrateAll(); });
  std::thread b([&] { second = other->Migrate({&organisations_, &partners_, &api_keys_}); });
  a.join();
  b.join();
  EXPECT_OK(first);
  EXPECT_OK(second);
  ASSERT_OK(InsertOne(organisations_, Org("a", "A", Organisation::CITY, "IT", 3)));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, other->Begin(Store::Access::kReadOnly));
  EXPECT_OK(tx->Get(organisations_, "organisations/a"));
}

// A declared index over several columns is created on a table that already holds records,
// once, and the records stay readable through it.
TEST_P(StoreMigrationTest, NewCompositeIndexIsCreatedOnceOnAnExistingTable) {
  ASSERT_OK(store_->Migrate({&organisations_}));
  ASSERT_OK(InsertOne(organisations_, Org("milan", "Milano", Organisation::CITY, "IT", 3)));
  ResourceSchema indexed = organisations_;
  indexed.indexes.push_back({"country_code", "member_since", "name"});
  ASSERT_OK(store_->Migrate({&indexed}));
  ASSERT_OK(store_->Migrate({&indexed}));

  const std::string catalog =
      GetParam().name == "PostgreSQL"
          ? "SELECT indexname FROM pg_indexes WHERE indexname = ?"
          : "SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
  EXPECT_THAT(tx->Select(catalog, {std::string("organisations__country_code__member_since__name")}),
              IsOkAndHolds(::testing::SizeIs(1)));
  EXPECT_THAT(
      tx->Select("SELECT name FROM organisations WHERE country_code = ?", {std::string("IT")}),
      IsOkAndHolds(ElementsAre(Transaction::Row{std::string("organisations/milan")})));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreMigrationTest, ::testing::ValuesIn(AllStoreBackends()),
                         BackendName);

}  // namespace
}  // namespace metrocap::store::testing
