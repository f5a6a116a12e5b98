// List and Count over every backend: filters compiled by query::CompileFilter, orders from
// query::ParseOrderBy, keyset pages through ListResult::next, parents and list columns.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/type/date.pb.h"
#include "gtest/gtest.h"
#include "tests/common/store/store_fixture.h"

namespace metrocap::store::testing {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class StoreListTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    ASSERT_OK(MigrateAll());
  }

  // 24 organisations: three kinds, four countries, populations with many ties, some with
  // a membership date and some with a parent.
  void LoadNetwork() {
    const Organisation::Kind kinds[] = {Organisation::CITY, Organisation::METROPOLITAN_AREA,
                                        Organisation::MUNICIPALITY};
    const char* countries[] = {"ES", "IT", "FR", "TR"};
    for (int i = 0; i < 24; ++i) {
      std::string id = std::string("org-") + static_cast<char>('a' + (i * 7) % 24);
      Organisation org =
          Org(id, absl::StrCat("Org ", 23 - i), kinds[i % 3], countries[i % 4], (i % 5) * 100000);
      if (i % 2 == 0) {
        org.mutable_member_since()->set_year(2000 + i);
        org.mutable_member_since()->set_month(1 + i % 12);
        org.mutable_member_since()->set_day(1 + i);
      }
      if (i % 6 == 5) org.set_parent("organisations/org-a");
      ASSERT_OK(InsertOne(organisations_, org));
      network_.push_back(org);
    }
  }

  // The names of the loaded organisations matching `keep`, sorted by `less` then name.
  template <typename Keep, typename Less>
  std::vector<std::string> Expected(Keep keep, Less less) {
    std::vector<Organisation> rows;
    for (const Organisation& org : network_) {
      if (keep(org)) rows.push_back(org);
    }
    std::sort(rows.begin(), rows.end(), [&](const Organisation& a, const Organisation& b) {
      if (less(a, b)) return true;
      if (less(b, a)) return false;
      return a.name() < b.name();
    });
    std::vector<std::string> names;
    for (const Organisation& org : rows) names.push_back(org.name());
    return names;
  }

  std::vector<Organisation> network_;
};

TEST_P(StoreListTest, FiltersSelectTheMatchingRecords) {
  LoadNetwork();
  auto all = [](const Organisation&) { return true; };
  auto by_name = [](const Organisation&, const Organisation&) { return false; };
  EXPECT_THAT(ListNames(organisations_, ""),
              IsOkAndHolds(ElementsAreArray(Expected(all, by_name))));
  EXPECT_THAT(ListNames(organisations_, "countryCode = IT"),
              IsOkAndHolds(ElementsAreArray(Expected(
                  [](const Organisation& o) { return o.country_code() == "IT"; }, by_name))));
  EXPECT_THAT(ListNames(organisations_, "kind = CITY AND population >= 200000"),
              IsOkAndHolds(ElementsAreArray(Expected(
                  [](const Organisation& o) {
                    return o.kind() == Organisation::CITY && o.population() >= 200000;
                  },
                  by_name))));
  EXPECT_THAT(
      ListNames(organisations_, "memberSince >= 2010-01-01"),
      IsOkAndHolds(ElementsAreArray(Expected(
          [](const Organisation& o) { return o.member_since().year() >= 2010; }, by_name))));
  // Unset dates are not "before" anything.
  EXPECT_THAT(ListNames(organisations_, "memberSince < 2004-01-01"),
              IsOkAndHolds(ElementsAreArray(Expected(
                  [](const Organisation& o) {
                    return o.has_member_since() && o.member_since().year() < 2004;
                  },
                  by_name))));
  EXPECT_THAT(ListNames(organisations_, "parent = \"organisations/org-a\""),
              IsOkAndHolds(ElementsAreArray(
                  Expected([](const Organisation& o) { return !o.parent().empty(); }, by_name))));
  EXPECT_THAT(ListNames(organisations_, "name = \"organisations/org-h\""),
              IsOkAndHolds(ElementsAre("organisations/org-h")));
  EXPECT_THAT(ListNames(organisations_, "displayName = \"nobody\""), IsOkAndHolds(IsEmpty()));
}

TEST_P(StoreListTest, CountAgreesWithTheFilter) {
  LoadNetwork();
  EXPECT_THAT(CountOf(organisations_, ""), IsOkAndHolds(24));
  EXPECT_THAT(CountOf(organisations_, "countryCode = TR"), IsOkAndHolds(6));
  // i = 2 and 14: both i % 3 == 2 (MUNICIPALITY) and i % 4 == 2 (FR).
  EXPECT_THAT(CountOf(organisations_, "kind = MUNICIPALITY AND countryCode = FR"), IsOkAndHolds(2));
  EXPECT_THAT(CountOf(organisations_, "kind = NETWORK AND countryCode = ES"), IsOkAndHolds(0));
  EXPECT_THAT(CountOf(organisations_, "population = 0"), IsOkAndHolds(5));
}

TEST_P(StoreListTest, KeysetPagesWalkEveryOrderWithoutGapsOrRepeats) {
  LoadNetwork();
  struct Case {
    std::string order_by;
    std::string filter;
  };
  for (const Case& c : std::vector<Case>{{"", ""},
                                         {"population desc", ""},
                                         {"population, displayName desc", ""},
                                         {"kind, population desc", "countryCode != ES"},
                                         {"memberSince desc", ""},
                                         {"createTime desc", ""},
                                         {"name desc", "population > 0"}}) {
    ASSERT_OK_AND_ASSIGN(std::vector<std::string> whole,
                         ListNames(organisations_, c.filter, c.order_by, "", 1000));
    for (int page_size : {1, 2, 5, 7, 23, 24}) {
      int pages = 0;
      ASSERT_OK_AND_ASSIGN(std::vector<std::string> paged,
                           ListNames(organisations_, c.filter, c.order_by, "", page_size, &pages));
      EXPECT_EQ(paged, whole) << "orderBy=" << c.order_by << " pageSize=" << page_size;
      int expected_pages = std::max<int>(1, (whole.size() + page_size - 1) / page_size);
      EXPECT_EQ(pages, expected_pages) << "orderBy=" << c.order_by << " pageSize=" << page_size;
      EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()).size(), paged.size());
    }
  }
}

TEST_P(StoreListTest, OrdersSortLikeTheirFields) {
  LoadNetwork();
  auto all = [](const Organisation&) { return true; };
  EXPECT_THAT(ListNames(organisations_, "", "population desc", "", 4),
              IsOkAndHolds(ElementsAreArray(Expected(all, [](const auto& a, const auto& b) {
                return a.population() > b.population();
              }))));
  EXPECT_THAT(ListNames(organisations_, "", "displayName desc", "", 4),
              IsOkAndHolds(ElementsAreArray(Expected(all, [](const auto& a, const auto& b) {
                return a.display_name() > b.display_name();
              }))));
  EXPECT_THAT(ListNames(organisations_, "", "countryCode, population desc", "", 3),
              IsOkAndHolds(ElementsAreArray(Expected(all, [](const auto& a, const auto& b) {
                return std::make_tuple(a.country_code(), -a.population()) <
                       std::make_tuple(b.country_code(), -b.population());
              }))));
}

TEST_P(StoreListTest, PageBoundaryAtExactlyTheLimitHasNoNext) {
  for (const char* id : {"a", "b", "c", "d", "e"}) {
    ASSERT_OK(InsertOne(organisations_, Org(id, id, Organisation::CITY, "ES", 1)));
  }
  ListQuery list;
  ASSERT_OK_AND_ASSIGN(list.order, query::ParseOrderBy(organisations_, ""));
  list.limit = 5;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(ListResult exact, tx->List(organisations_, list));
  EXPECT_EQ(exact.records.size(), 5u);
  EXPECT_FALSE(exact.next.has_value());
  list.limit = 4;
  ASSERT_OK_AND_ASSIGN(ListResult first, tx->List(organisations_, list));
  EXPECT_EQ(first.records.size(), 4u);
  ASSERT_TRUE(first.next.has_value());
  list.after = first.next;
  ASSERT_OK_AND_ASSIGN(ListResult last, tx->List(organisations_, list));
  ASSERT_EQ(last.records.size(), 1u);
  EXPECT_EQ(last.records[0].name, "organisations/e");
  EXPECT_FALSE(last.next.has_value());
}

TEST_P(StoreListTest, CursorIsAPositionNotAnOffset) {
  for (const char* id : {"b", "d", "f", "h"}) {
    ASSERT_OK(InsertOne(organisations_, Org(id, id, Organisation::CITY, "ES", 1)));
  }
  ListQuery list;
  ASSERT_OK_AND_ASSIGN(list.order, query::ParseOrderBy(organisations_, ""));
  list.limit = 2;
  ListResult first;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
    ASSERT_OK_AND_ASSIGN(first, tx->List(organisations_, list));
  }
  ASSERT_TRUE(first.next.has_value());
  // Between pages: one record appears before the cursor, one after; one after is deleted.
  ASSERT_OK(InsertOne(organisations_, Org("a", "a", Organisation::CITY, "ES", 1)));
  ASSERT_OK(InsertOne(organisations_, Org("e", "e", Organisation::CITY, "ES", 1)));
  ASSERT_OK(DeleteOne(organisations_, "organisations/f", 1));
  list.after = first.next;
  list.limit = 10;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(ListResult rest, tx->List(organisations_, list));
  std::vector<std::string> names;
  for (const Record& r : rest.records) names.push_back(r.name);
  EXPECT_THAT(names, ElementsAre("organisations/e", "organisations/h"));
}

TEST_P(StoreListTest, ParentScopesToDirectChildren) {
  for (const char* name : {"partners/a/apiKeys/k1", "partners/a/apiKeys/k2",
                           "partners/b/apiKeys/k1", "partners/ab/apiKeys/k3"}) {
    ApiKey key;
    key.set_name(name);
    key.set_display_name(name);
    key.set_state(ApiKey::ACTIVE);
    ASSERT_OK(InsertOne(api_keys_, key));
  }
  EXPECT_THAT(ListNames(api_keys_, "", "", "partners/a"),
              IsOkAndHolds(ElementsAre("partners/a/apiKeys/k1", "partners/a/apiKeys/k2")));
  EXPECT_THAT(ListNames(api_keys_, "", "name desc", "partners/b"),
              IsOkAndHolds(ElementsAre("partners/b/apiKeys/k1")));
  EXPECT_THAT(ListNames(api_keys_, "", "", "partners/nobody"), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(ListNames(api_keys_, "", "", "", 1), IsOkAndHolds(::testing::SizeIs(4)));
  EXPECT_THAT(CountOf(api_keys_, "", "partners/a"), IsOkAndHolds(2));
  EXPECT_THAT(CountOf(api_keys_, "state = ACTIVE", "partners/ab"), IsOkAndHolds(1));
  EXPECT_THAT(CountOf(api_keys_, "state = REVOKED", "partners/a"), IsOkAndHolds(0));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> page_by_page,
                       ListNames(api_keys_, "", "", "partners/a", 1));
  EXPECT_THAT(page_by_page, ElementsAre("partners/a/apiKeys/k1", "partners/a/apiKeys/k2"));
}

TEST_P(StoreListTest, ListColumnFilterFollowsReplacedValues) {
  ASSERT_OK(InsertOne(
      partners_, PartnerWith("lab", {"organisations/x", "organisations/y", "organisations/x"})));
  ASSERT_OK(InsertOne(partners_, PartnerWith("other", {"organisations/y"})));
  EXPECT_THAT(ListNames(partners_, "grants:\"organisations/x\""),
              IsOkAndHolds(ElementsAre("partners/lab")));
  EXPECT_THAT(ListNames(partners_, "grants:\"organisations/y\""),
              IsOkAndHolds(ElementsAre("partners/lab", "partners/other")));

  ASSERT_OK(UpdateOne(partners_, PartnerWith("lab", {"organisations/y", "organisations/z"}), 1));
  EXPECT_THAT(ListNames(partners_, "grants:\"organisations/x\""), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(ListNames(partners_, "grants:\"organisations/z\" AND role = PARTNER"),
              IsOkAndHolds(ElementsAre("partners/lab")));
  EXPECT_THAT(CountOf(partners_, "grants:\"organisations/y\""), IsOkAndHolds(2));
  EXPECT_THAT(CountOf(partners_, "grants:organisations/x"), IsOkAndHolds(0));
}

TEST_P(StoreListTest, FilterOnAnUnindexedFieldIsRefused) {
  EXPECT_THAT(query::CompileFilter(organisations_, "website = \"x\""),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("website")));
}

// Select: a grouped count with bound parameters over a table and over a side table, its
// integers as int64_t and its text as bytes, on every backend.
TEST_P(StoreListTest, SelectRunsAGroupedCountWithParameters) {
  LoadNetwork();
  std::map<std::string, int64_t> expected;
  for (const Organisation& org : network_) {
    if (org.population() >= 300000) ++expected[org.country_code()];
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(std::vector<Transaction::Row> rows,
                       tx->Select("SELECT country_code, COUNT(*) FROM organisations "
                                  "WHERE population >= ? GROUP BY country_code",
                                  {int64_t{300000}}));
  std::map<std::string, int64_t> counted;
  for (const Transaction::Row& row : rows) {
    ASSERT_EQ(row.size(), 2u);
    counted[absl::get<std::string>(row[0])] = absl::get<int64_t>(row[1]);
  }
  EXPECT_EQ(counted, expected);

  ASSERT_OK(InsertOne(partners_, PartnerWith("lab", {"organisations/x", "organisations/y"})));
  ASSERT_OK(InsertOne(partners_, PartnerWith("other", {"organisations/y"})));
  ASSERT_OK_AND_ASSIGN(tx, store_->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(rows, tx->Select("WITH p AS (SELECT name FROM partners WHERE role = ?) "
                                        "SELECT g.value, COUNT(*) FROM partners__grants g "
                                        "JOIN p ON p.name = g.name GROUP BY g.value "
                                        "ORDER BY g.value",
                                        {std::string("PARTNER")}));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(absl::get<std::string>(rows[0][0]), "organisations/x");
  EXPECT_EQ(absl::get<int64_t>(rows[0][1]), 1);
  EXPECT_EQ(absl::get<std::string>(rows[1][0]), "organisations/y");
  EXPECT_EQ(absl::get<int64_t>(rows[1][1]), 2);
}

TEST_P(StoreListTest, SelectRefusesAStatementThatWouldWrite) {
  LoadNetwork();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadWrite));
  EXPECT_THAT(tx->Select("DELETE FROM organisations", {}),
              StatusIs(absl::StatusCode::kInternal, ::testing::HasSubstr("DELETE")));
  ASSERT_OK(tx->Commit());
  EXPECT_THAT(CountOf(organisations_, ""), IsOkAndHolds(24));
}

// AddCounts: counts add up per key within and across transactions, a rolled-back
// transaction's counts vanish, and Select reads them back, on every backend.
TEST_P(StoreListTest, CountersAddUpPerKeyAndRollBackWithTheirTransaction) {
  ResourceSchema counted = OrganisationSchema();
  counted.counters.push_back(
      {"organisations_per_day", {{"country", false}, {"day", true}}, {"members", "founders"}});
  ASSERT_OK(store_->Migrate({&counted}));
  const CounterSchema& counter = counted.counters[0];
  ASSERT_OK(store_->RunInTransaction([&](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.AddCounts(counter, {std::string("ES"), int64_t{19000}}, {1, 1}));
    RETURN_IF_ERROR(tx.AddCounts(counter, {std::string("ES"), int64_t{19000}}, {2, 0}));
    return tx.AddCounts(counter, {std::string("IT"), int64_t{19001}}, {1, 0});
  }));
  ASSERT_OK(store_->RunInTransaction([&](Transaction& tx) {
    return tx.AddCounts(counter, {std::string("IT"), int64_t{19001}}, {-1, 0});
  }));
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadWrite));
    ASSERT_OK(tx->AddCounts(counter, {std::string("ES"), int64_t{19000}}, {100, 100}));
    // Not committed: rolled back.
  }
  EXPECT_THAT(store_->RunInTransaction([&](Transaction& tx) {
    return tx.AddCounts(counter, {std::string("ES")}, {1, 1});
  }),
              StatusIs(absl::StatusCode::kInternal));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(std::vector<Transaction::Row> rows,
                       tx->Select("SELECT country, day, members, founders FROM "
                                  "organisations_per_day ORDER BY country",
                                  {}));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (Transaction::Row{std::string("ES"), int64_t{19000}, int64_t{3}, int64_t{1}}));
  EXPECT_EQ(rows[1], (Transaction::Row{std::string("IT"), int64_t{19001}, int64_t{0}, int64_t{0}}));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreListTest, ::testing::ValuesIn(AllStoreBackends()),
                         BackendName);

}  // namespace
}  // namespace metrocap::store::testing
