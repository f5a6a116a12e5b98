// Counted totals (ResourceSchema::count_by, common/store/totals.h) on every backend: after
// every kind of write the total Count adds up equals the rows a COUNT finds, a migration
// fills them from the records already stored, a filter they cannot answer is counted row
// by row, and concurrent writers to one region neither fail nor lose a count.
#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/store/totals.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/store/store_fixture.h"

namespace metrocap::store::testing {
namespace {

using ::metrocap::testing::StatusIs;

// Filters the totals answer: none, and equalities on region and kind (one repeated).
const std::vector<std::string> kCountedFilters = {
    "",
    "region = \"regions/europe\"",
    "kind = CITY",
    "region = \"regions/europe\" AND kind = CITY",
    "kind = MUNICIPALITY AND region = \"regions/asia\"",
    "region = \"regions/europe\" AND region = \"regions/asia\"",
};
// Filters they cannot: another column, another operator, a mix.
const std::vector<std::string> kUncountedFilters = {
    "countryCode = \"IT\"",
    "region != \"regions/europe\"",
    "population > 10",
    "region = \"regions/europe\" AND countryCode = \"IT\"",
    "name = \"organisations/milan\"",
};
const std::vector<std::string> kParents = {"", "federations/alps"};

Organisation OrgIn(const std::string& name, const std::string& region, Organisation::Kind kind) {
  Organisation org = Org("x", "X", kind, "IT", 100);
  org.set_name(name);
  org.set_region(region);
  return org;
}

class StoreTotalsTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    ASSERT_EQ(organisations_.count_by, (std::vector<std::string>{"region", "kind"}));
    uncounted_.count_by.clear();
    ASSERT_OK(MigrateAll());
  }

  // Every counted filter under every parent: the totals' answer equals the rows' COUNT
  // (the same table through a schema that counts nothing). And Count did add up the
  // totals: their table's sum alone gives the same number.
  void ExpectTotalsMatchRows(const std::string& after) {
    SCOPED_TRACE(after);
    for (const std::string& parent : kParents) {
      for (const std::string& filter : kCountedFilters) {
        SCOPED_TRACE(absl::StrCat("parent \"", parent, "\", filter ", filter));
        ASSERT_OK_AND_ASSIGN(int64_t rows, CountOf(uncounted_, filter, parent));
        EXPECT_THAT(CountOf(organisations_, filter, parent), IsOkAndHolds(rows));
        EXPECT_THAT(SumOfTotals(filter, parent), IsOkAndHolds(absl::optional<int64_t>(rows)));
      }
    }
  }

  // What CountFromTotals answers, in a read-only transaction of its own.
  absl::StatusOr<absl::optional<int64_t>> SumOfTotals(const std::string& filter,
                                                      const std::string& parent = "") {
    ASSIGN_OR_RETURN(query::Condition condition, query::CompileFilter(organisations_, filter));
    ASSIGN_OR_RETURN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
    return CountFromTotals(*tx, organisations_, parent, condition);
  }

  absl::Status Write(const std::function<absl::Status(Transaction&)>& work) {
    return store_->RunInTransaction(work);
  }

  ResourceSchema uncounted_ = OrganisationSchema();
};

TEST_P(StoreTotalsTest, TotalsEqualCountAfterEveryKindOfWrite) {
  ExpectTotalsMatchRows("nothing stored");
  for (const auto& [name, region, kind] :
       std::vector<std::tuple<std::string, std::string, Organisation::Kind>>{
           {"organisations/milan", "regions/europe", Organisation::CITY},
           {"organisations/turin", "regions/europe", Organisation::CITY},
           {"organisations/lyon", "regions/europe", Organisation::METROPOLITAN_AREA},
           {"organisations/osaka", "regions/asia", Organisation::MUNICIPALITY},
           {"federations/alps/organisations/como", "regions/europe", Organisation::CITY},
           {"federations/alps/organisations/nice", "regions/asia", Organisation::CITY}}) {
    ASSERT_OK(InsertOne(organisations_, OrgIn(name, region, kind)));
  }
  ExpectTotalsMatchRows("inserts");

  // Moving a record between regions, between kinds, and changing neither.
  ASSERT_OK(UpdateOne(organisations_,
                      OrgIn("organisations/turin", "regions/asia", Organisation::CITY), 1));
  ExpectTotalsMatchRows("update moving region");
  ASSERT_OK(UpdateOne(
      organisations_,
      OrgIn("federations/alps/organisations/como", "regions/europe", Organisation::MUNICIPALITY),
      1));
  ExpectTotalsMatchRows("update moving kind");
  Organisation bigger = OrgIn("organisations/milan", "regions/europe", Organisation::CITY);
  bigger.set_population(5000000);
  ASSERT_OK(UpdateOne(organisations_, bigger, 1));
  ExpectTotalsMatchRows("update of an uncounted column");

  ASSERT_OK(DeleteOne(organisations_, "organisations/lyon", 1));
  ExpectTotalsMatchRows("delete");

  // Refused writes change nothing: a taken name, a stale version on update and delete, and
  // a transaction that wrote and then failed.
  EXPECT_THAT(
      InsertOne(organisations_, OrgIn("organisations/milan", "regions/asia", Organisation::CITY)),
      StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(UpdateOne(organisations_,
                        OrgIn("organisations/osaka", "regions/europe", Organisation::CITY), 7),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(DeleteOne(organisations_, "organisations/osaka", 7),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(Write([](Transaction& tx) -> absl::Status {
                RETURN_IF_ERROR(
                    tx.Insert(OrganisationSchema(), "organisations/ghost",
                              OrgIn("organisations/ghost", "regions/europe", Organisation::CITY))
                        .status());
                RETURN_IF_ERROR(tx.Delete(OrganisationSchema(), "organisations/osaka", 1));
                return absl::FailedPreconditionError("the work changed its mind");
              }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ExpectTotalsMatchRows("refused writes");

  // Several writes in one transaction, then everything deleted.
  ASSERT_OK(Write([](Transaction& tx) -> absl::Status {
    ResourceSchema schema = OrganisationSchema();
    RETURN_IF_ERROR(tx.Insert(schema, "organisations/kyoto",
                              OrgIn("organisations/kyoto", "regions/asia", Organisation::CITY))
                        .status());
    RETURN_IF_ERROR(tx.Update(schema, "organisations/kyoto",
                              OrgIn("organisations/kyoto", "regions/europe", Organisation::CITY), 1)
                        .status());
    return tx.Delete(schema, "organisations/osaka", 1);
  }));
  ExpectTotalsMatchRows("one transaction of several writes");
  for (const char* name :
       {"organisations/milan", "organisations/turin", "organisations/kyoto",
        "federations/alps/organisations/como", "federations/alps/organisations/nice"}) {
    ASSERT_OK_AND_ASSIGN(Record record, GetOne(organisations_, name));
    ASSERT_OK(DeleteOne(organisations_, name, record.version));
  }
  ExpectTotalsMatchRows("everything deleted");
  EXPECT_THAT(CountOf(organisations_, ""), IsOkAndHolds(0));
}

TEST_P(StoreTotalsTest, FiltersTheTotalsCannotAnswerAreCountedRowByRow) {
  ASSERT_OK(InsertOne(organisations_,
                      OrgIn("organisations/milan", "regions/europe", Organisation::CITY)));
  Organisation paris = OrgIn("organisations/paris", "regions/europe", Organisation::CITY);
  paris.set_country_code("FR");
  paris.set_population(2);
  ASSERT_OK(InsertOne(organisations_, paris));
  ASSERT_OK(
      InsertOne(organisations_, OrgIn("organisations/osaka", "regions/asia", Organisation::CITY)));
  for (const std::string& filter : kUncountedFilters) {
    SCOPED_TRACE(filter);
    EXPECT_THAT(SumOfTotals(filter), IsOkAndHolds(absl::optional<int64_t>()));
    ASSERT_OK_AND_ASSIGN(int64_t rows, CountOf(uncounted_, filter));
    EXPECT_THAT(CountOf(organisations_, filter), IsOkAndHolds(rows));
  }
  EXPECT_THAT(CountOf(organisations_, "region = \"regions/europe\" AND countryCode = \"IT\""),
              IsOkAndHolds(1));
  EXPECT_THAT(CountOf(organisations_, "population > 10"), IsOkAndHolds(2));
  // A condition written by hand (a service's own, as readable_by) is never taken for one.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
  EXPECT_THAT(CountFromTotals(*tx, organisations_, "",
                              query::Condition("region = ?", {std::string("regions/asia")})),
              IsOkAndHolds(absl::optional<int64_t>()));
}

TEST_P(StoreTotalsTest, MigrationFillsTheTotalsFromStoredRecords) {
  // A database written before the schema counted anything: the deployed membership store.
  ResourceSchema before = OrganisationSchema();
  before.table = "organisations_v1";
  before.count_by.clear();
  ASSERT_OK(store_->Migrate({&before}));
  for (int i = 0; i < 30; ++i) {
    ASSERT_OK(InsertOne(
        before,
        OrgIn(absl::StrCat("organisations/o", i), i % 3 == 0 ? "regions/asia" : "regions/europe",
              i % 2 == 0 ? Organisation::CITY : Organisation::MUNICIPALITY)));
  }
  ResourceSchema by_region = before;
  by_region.count_by = {"region"};
  ASSERT_OK(store_->Migrate({&by_region}));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(query::Condition asia,
                       query::CompileFilter(by_region, "region = \"regions/asia\""));
  EXPECT_THAT(CountFromTotals(*tx, by_region, "", asia), IsOkAndHolds(absl::optional<int64_t>(10)));
  ASSERT_OK_AND_ASSIGN(query::Condition cities, query::CompileFilter(by_region, "kind = CITY"));
  EXPECT_THAT(CountFromTotals(*tx, by_region, "", cities), IsOkAndHolds(absl::optional<int64_t>()));
  tx.reset();

  // A later release counts by kind too: its totals are rebuilt, once.
  ASSERT_OK(InsertOne(by_region, OrgIn("organisations/late", "regions/asia", Organisation::CITY)));
  ResourceSchema by_both = before;
  by_both.count_by = {"region", "kind"};
  ASSERT_OK(store_->Migrate({&by_both}));
  ASSERT_OK(store_->Migrate({&by_both}));
  ASSERT_OK_AND_ASSIGN(tx, store_->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(query::Condition asian_cities,
                       query::CompileFilter(by_both, "region = \"regions/asia\" AND kind = CITY"));
  // o0, o6, o12, o18, o24 and late.
  EXPECT_THAT(CountFromTotals(*tx, by_both, "", asian_cities),
              IsOkAndHolds(absl::optional<int64_t>(6)));
  EXPECT_THAT(CountFromTotals(*tx, by_both, "", query::Condition()),
              IsOkAndHolds(absl::optional<int64_t>(31)));
}

constexpr int kWriters = 8;
constexpr int kCreatesEach = 15;

TEST_P(StoreTotalsTest, ConcurrentWritersInOneRegionAllSucceed) {
  // Every writer creates in the same region and kind (one totals row for all of them)...
  std::atomic<int> failures{0};
  std::vector<std::string> errors(kWriters);
  auto run_writers = [&](const std::function<absl::Status(int writer, int i)>& write) {
    std::vector<std::thread> writers;
    for (int t = 0; t < kWriters; ++t) {
      writers.emplace_back([&, t] {
        for (int i = 0; i < kCreatesEach; ++i) {
          absl::Status status = write(t, i);
          if (!status.ok()) {
            ++failures;
            errors[t] = status.ToString();
          }
        }
      });
    }
    for (std::thread& writer : writers) writer.join();
  };
  run_writers([&](int t, int i) {
    std::string name = absl::StrCat("organisations/w", t, "-", i);
    return InsertOne(organisations_, OrgIn(name, "regions/europe", Organisation::CITY)).status();
  });
  EXPECT_EQ(failures.load(), 0) << ::testing::PrintToString(errors);
  ExpectTotalsMatchRows("concurrent creates");

  // ...then moves its own record and its neighbour's to the other region, two a
  // transaction, half of the writers from Europe to Asia and half the other way: writers
  // meet on both regions' rows in both orders.
  run_writers([&](int t, int i) {
    const std::string from = t % 2 == 0 ? "regions/europe" : "regions/asia";
    const std::string to = t % 2 == 0 ? "regions/asia" : "regions/europe";
    return store_->RunInTransaction([&](Transaction& tx) -> absl::Status {
      for (const std::string& name :
           {absl::StrCat("organisations/w", t, "-", i),
            absl::StrCat("organisations/w", (t + 1) % kWriters, "-", i)}) {
        ASSIGN_OR_RETURN(Record record, tx.Get(organisations_, name));
        Organisation org;
        if (!org.ParseFromString(record.data)) return absl::InternalError("corrupt");
        org.set_region(org.region() == from ? to : from);
        RETURN_IF_ERROR(tx.Update(organisations_, name, org, record.version).status());
      }
      return absl::OkStatus();
    });
  });
  EXPECT_EQ(failures.load(), 0) << ::testing::PrintToString(errors);
  EXPECT_THAT(CountOf(organisations_, ""), IsOkAndHolds(kWriters * kCreatesEach));
  ExpectTotalsMatchRows("concurrent moves");

  // ...and last, half of the writers delete what the other half keeps moving: a delete or a
  // move that finds its version gone is refused (ABORTED, tried again; NOT_FOUND once
  // deleted), and whichever wins, the record is counted where it last was, or not at all.
  run_writers([&](int t, int i) -> absl::Status {
    std::string name = absl::StrCat("organisations/w", t / 2 * 2, "-", i);
    absl::Status status;
    for (int attempt = 0; attempt < 100; ++attempt) {
      status = store_->RunInTransaction([&](Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(Record record, tx.Get(organisations_, name));
        if (t % 2 == 0) return tx.Delete(organisations_, name, record.version);
        Organisation org;
        if (!org.ParseFromString(record.data)) return absl::InternalError("corrupt");
        org.set_kind(Organisation::MUNICIPALITY);
        return tx.Update(organisations_, name, org, record.version).status();
      });
      if (!absl::IsAborted(status)) break;
    }
    return absl::IsNotFound(status) ? absl::OkStatus() : status;
  });
  EXPECT_EQ(failures.load(), 0) << ::testing::PrintToString(errors);
  EXPECT_THAT(CountOf(organisations_, ""), IsOkAndHolds(kWriters / 2 * kCreatesEach));
  ExpectTotalsMatchRows("concurrent deletes and moves");
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTotalsTest, ::testing::ValuesIn(AllStoreBackends()),
                         BackendName);

}  // namespace
}  // namespace metrocap::store::testing
