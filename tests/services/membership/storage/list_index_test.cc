// The index behind ListOrganisations filtered on region and kind, ordered by display name:
// an existing database gains it when it migrates (once, its records intact), and it is the
// index SQLite answers the page from, cursor included, with no sort.
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/query/filter.h"
#include "common/query/order_by.h"
#include "common/store/sql.h"
#include "common/store/sqlite_store.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/membership/storage/schemas.h"
#include "tests/services/membership/core/fixtures.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

namespace metrocap::membership {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kIndex[] = "organisations__region__kind__display_name__name";

class ListIndexTest : public ::testing::TestWithParam<::metrocap::testing::StoreBackend> {
 protected:
  void SetUp() override {
    METROCAP_REQUIRE_STORE_BACKEND(GetParam());
    ASSERT_TRUE(dir_.status().ok()) << dir_.status();
  }

  ::metrocap::testing::TempDir dir_{"metrocap-membership-list-index"};
};

TEST_P(ListIndexTest, AnExistingDatabaseGainsTheIndexOnceAndKeepsItsRecords) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Store> store,
                       GetParam().Open(dir_.path(), "membership"));
  // The organisations table as a release before the index kept it, with a record in it.
  store::ResourceSchema before = MembershipSchemas().organisations;
  before.indexes.clear();
  ASSERT_OK(store->Migrate({&before}));
  v1::Organisation milan = testing::GoodOrganisation();
  milan.set_name("organisations/milan");
  ASSERT_OK(store->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
    return tx.Insert(before, milan.name(), milan).status();
  }));

  ASSERT_OK(store->Migrate(MembershipSchemas().All()));
  ASSERT_OK(store->Migrate(MembershipSchemas().All()));

  const std::string catalog =
      GetParam().name == "PostgreSQL"
          ? "SELECT indexname FROM pg_indexes WHERE indexname = ?"
          : "SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Transaction> tx,
                       store->Begin(store::Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(auto indexes, tx->Select(catalog, {std::string(kIndex)}));
  EXPECT_THAT(indexes, SizeIs(1));
  ASSERT_OK_AND_ASSIGN(auto steps, tx->Select("SELECT id FROM metrocap_migrations WHERE id = ?",
                                              {absl::StrCat("index:", kIndex)}));
  EXPECT_THAT(steps, SizeIs(1));
  ASSERT_OK_AND_ASSIGN(auto found,
                       tx->Select("SELECT name FROM organisations WHERE region = ? AND kind = ?",
                                  {milan.region(), v1::Organisation::Kind_Name(milan.kind())}));
  EXPECT_THAT(found, ElementsAre(store::Transaction::Row{milan.name()}));
}

INSTANTIATE_TEST_SUITE_P(Backends, ListIndexTest,
                         ::testing::ValuesIn(::metrocap::testing::AllStoreBackends()),
                         ::metrocap::testing::StoreBackendName);

// SQLite's plan for the statement ListOrganisations runs, one detail line per step.
std::vector<std::string> SqlitePlan(const std::string& path, const std::string& statement) {
  std::vector<std::string> plan;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* explain = nullptr;
  const std::string text = "EXPLAIN QUERY PLAN " + statement;
  EXPECT_EQ(sqlite3_prepare_v2(db, text.c_str(), -1, &explain, nullptr), SQLITE_OK)
      << text << ": " << sqlite3_errmsg(db);
  while (explain != nullptr && sqlite3_step(explain) == SQLITE_ROW) {
    plan.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(explain, 3)));
  }
  sqlite3_finalize(explain);
  sqlite3_close(db);
  return plan;
}

TEST(ListIndexPlanTest, SqliteReadsAFilteredOrderedPageFromTheIndexWithoutSorting) {
  ::metrocap::testing::TempDir dir("metrocap-membership-list-plan");
  ASSERT_TRUE(dir.status().ok()) << dir.status();
  const std::string path = dir.path() + "/membership.db";
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Store> store, store::OpenSqliteStore(path));
    ASSERT_OK(store->Migrate(MembershipSchemas().All()));
  }
  const store::ResourceSchema& organisations = MembershipSchemas().organisations;
  store::ListQuery list;
  ASSERT_OK_AND_ASSIGN(list.filter, query::CompileFilter(organisations,
                                                         "region = \"regions/europe\" AND "
                                                         "kind = METROPOLITAN_AREA"));
  ASSERT_OK_AND_ASSIGN(list.order, query::ParseOrderBy(organisations, "displayName"));

  std::vector<std::string> first =
      SqlitePlan(path, store::sql::ListStatement(organisations, list).text);
  EXPECT_THAT(first, Contains(HasSubstr(kIndex)));
  EXPECT_THAT(first, Not(Contains(HasSubstr("TEMP B-TREE"))));

  list.after = query::Cursor{{std::string("Milano"), std::string("organisations/milan")}};
  std::vector<std::string> later =
      SqlitePlan(path, store::sql::ListStatement(organisations, list).text);
  EXPECT_THAT(later, Contains(HasSubstr(kIndex)));
  EXPECT_THAT(later, Not(Contains(HasSubstr("TEMP B-TREE"))));
}

}  // namespace
}  // namespace metrocap::membership
