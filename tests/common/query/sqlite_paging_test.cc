// Runs compiled conditions against a real SQLite database, so the SQL is proven to mean
// what the unit tests say it looks like.
#include <sqlite3.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/query/filter.h"
#include "common/query/order_by.h"
#include "common/query/page.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/query/test_schemas.h"

namespace metrocap::query {
namespace {

using membership::v1::Organisation;
using membership::v1::Partner;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

class Database {
 public:
  Database() { EXPECT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK); }
  ~Database() { sqlite3_close(db_); }

  void Exec(const std::string& sql) {
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << sql << ": " << (error ? error : "");
  }

  // The first column of every row `sql` returns, with `params` bound to its '?'s.
  std::vector<std::string> Names(const std::string& sql,
                                 const std::vector<store::SqlValue>& params) {
    std::vector<std::string> names;
    sqlite3_stmt* statement = nullptr;
    int prepared = sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr);
    EXPECT_EQ(prepared, SQLITE_OK) << sql << ": " << sqlite3_errmsg(db_);
    if (prepared != SQLITE_OK) return names;
    EXPECT_EQ(sqlite3_bind_parameter_count(statement), static_cast<int>(params.size())) << sql;
    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i) + 1;
      if (const int64_t* n = absl::get_if<int64_t>(&params[i])) {
        sqlite3_bind_int64(statement, index, *n);
      } else {
        const std::string& s = absl::get<std::string>(params[i]);
        sqlite3_bind_text(statement, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
    }
    int step;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
      names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
    }
    EXPECT_EQ(step, SQLITE_DONE) << sql << ": " << sqlite3_errmsg(db_);
    sqlite3_finalize(statement);
    return names;
  }

  // Creates the schema's table (and side tables) and stores `rows` the way the store
  // does: one column per schema column, from store::ExtractColumn.
  void Load(const store::ResourceSchema& schema,
            const std::vector<const google::protobuf::Message*>& rows) {
    std::vector<const store::Column*> columns = {schema.Find("name"), schema.Find("createTime"),
                                                 schema.Find("updateTime")};
    for (const store::Column& column : schema.columns) columns.push_back(&column);
    std::vector<std::string> scalar_names;
    for (const store::Column* column : columns) {
      if (column->kind == store::ColumnKind::kStringList) {
        Exec(absl::StrCat("CREATE TABLE ", schema.table, "__", column->sql_name,
                          " (name TEXT, value TEXT)"));
      } else {
        scalar_names.push_back(column->sql_name);
      }
    }
    Exec(absl::StrCat("CREATE TABLE ", schema.table, " (", absl::StrJoin(scalar_names, ", "), ")"));
    for (const google::protobuf::Message* row : rows) {
      std::vector<store::SqlValue> values;
      std::string name = absl::get<std::string>(store::ExtractColumn(*row, *columns[0]));
      for (const store::Column* column : columns) {
        store::ColumnValue value = store::ExtractColumn(*row, *column);
        if (auto* list = absl::get_if<std::vector<std::string>>(&value)) {
          for (const std::string& item : *list) {
            Names(absl::StrCat("INSERT INTO ", schema.table, "__", column->sql_name,
                               " VALUES (?, ?)"),
                  {name, item});
          }
        } else if (auto* n = absl::get_if<int64_t>(&value)) {
          values.emplace_back(*n);
        } else {
          values.emplace_back(absl::get<std::string>(value));
        }
      }
      std::vector<std::string> marks(values.size(), "?");
      Names(
          absl::StrCat("INSERT INTO ", schema.table, " VALUES (", absl::StrJoin(marks, ", "), ")"),
          values);
    }
  }

 private:
  sqlite3* db_ = nullptr;
};

Organisation MakeOrganisation(const std::string& id, const std::string& display_name,
                              Organisation::Kind kind, const std::string& country,
                              const std::string& region, int64_t population,
                              const std::string& parent, Organisation::MembershipState state,
                              int year, int month, int day, int64_t created) {
  Organisation o;
  o.set_name("organisations/" + id);
  o.set_display_name(display_name);
  o.set_kind(kind);
  o.set_country_code(country);
  o.set_region(region);
  o.set_population(population);
  o.set_parent(parent);
  o.set_membership_state(state);
  if (year != 0) {
    o.mutable_member_since()->set_year(year);
    o.mutable_member_since()->set_month(month);
    o.mutable_member_since()->set_day(day);
  }
  o.mutable_create_time()->set_seconds(created);
  o.mutable_update_time()->set_seconds(created + 1);
  return o;
}

class SqliteQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string eu = "regions/europe";
    const std::string bcn = "organisations/barcelona";
    organisations_ = {
        MakeOrganisation("milan", "Milan", Organisation::METROPOLITAN_AREA, "IT", eu, 3200000, "",
                         Organisation::ACTIVE, 2019, 3, 7, 100),
        MakeOrganisation("turin", "Turin", Organisation::METROPOLITAN_AREA, "IT", eu, 2200000, "",
                         Organisation::ACTIVE, 2021, 6, 1, 200),
        MakeOrganisation("barcelona", "Barcelona", Organisation::METROPOLITAN_AREA, "ES", eu,
                         3200000, "", Organisation::ACTIVE, 2019, 3, 7, 300),
        MakeOrganisation("montreal", "Montréal", Organisation::CITY, "CA", "regions/north-america",
                         1700000, "", Organisation::SUSPENDED, 2020, 1, 15, 400),
        MakeOrganisation("sant-cugat", "Sant Cugat", Organisation::MUNICIPALITY, "ES", eu, 90000,
                         bcn, Organisation::APPLICANT, 0, 0, 0, 500),
        MakeOrganisation("badalona", "Badalona", Organisation::MUNICIPALITY, "ES", eu, 220000, bcn,
                         Organisation::NON_MEMBER, 0, 0, 0, 600),
        MakeOrganisation("abidjan", "Abidjan", Organisation::CITY, "CI", "regions/africa", 4700000,
                         "", Organisation::ACTIVE, 2022, 11, 30, 700),
        MakeOrganisation("quote", "The \"Quoted\" City", Organisation::OTHER, "GB", eu, 0, "",
                         Organisation::LAPSED, 2018, 1, 1, 800),
        MakeOrganisation("lyon", "Lyon", Organisation::METROPOLITAN_AREA, "FR", eu, 1400000, "",
                         Organisation::ACTIVE, 2021, 6, 1, 900),
    };
    std::vector<const google::protobuf::Message*> rows;
    for (const Organisation& o : organisations_) {
      rows.push_back(&o);
      by_name_[o.name()] = &o;
    }
    db_.Load(organisation_schema_, rows);

    partners_.resize(3);
    partners_[0].set_name("partners/p1");
    partners_[0].set_role(membership::v1::Partner::PARTNER);
    partners_[0].add_grants("organisations/milan");
    partners_[0].add_grants("organisations/turin");
    partners_[1].set_name("partners/p2");
    partners_[1].set_role(membership::v1::Partner::ADMIN);
    partners_[1].add_grants("organisations/milan");
    partners_[2].set_name("partners/p3");
    partners_[2].set_role(membership::v1::Partner::VIEWER);
    db_.Load(partner_schema_, {&partners_[0], &partners_[1], &partners_[2]});
  }

  // Short ids ("milan") of the rows `filter` selects, by name.
  std::vector<std::string> Select(const store::ResourceSchema& schema, absl::string_view filter) {
    absl::StatusOr<Condition> condition = CompileFilter(schema, filter);
    EXPECT_TRUE(condition.ok()) << filter << ": " << condition.status();
    if (!condition.ok()) return {};
    std::string sql = absl::StrCat("SELECT name FROM ", schema.table);
    if (!condition->sql.empty()) absl::StrAppend(&sql, " WHERE ", condition->sql);
    absl::StrAppend(&sql, " ORDER BY name");
    return Ids(db_.Names(sql, condition->params));
  }

  static std::vector<std::string> Ids(const std::vector<std::string>& names) {
    std::vector<std::string> ids;
    for (const std::string& name : names) ids.push_back(name.substr(name.find('/') + 1));
    return ids;
  }

  // Every row of `filter` in `order_by`, fetched in pages of `page_size` through page tokens
  // and keyset conditions, as a List handler would.
  std::vector<std::string> PageThrough(absl::string_view filter, absl::string_view order_by,
                                       int page_size, int* pages) {
    const store::ResourceSchema& schema = organisation_schema_;
    Condition where = *CompileFilter(schema, filter);
    std::vector<OrderTerm> terms = *ParseOrderBy(schema, order_by);
    std::string fingerprint = absl::StrCat(schema.table, "|", filter, "|", order_by);
    std::vector<std::string> all;
    std::string token;
    *pages = 0;
    do {
      Condition condition = where;
      if (!token.empty()) {
        absl::StatusOr<Cursor> cursor = DecodePageToken("key", fingerprint, token);
        EXPECT_TRUE(cursor.ok()) << cursor.status();
        EXPECT_TRUE(CheckCursor(terms, *cursor).ok());
        condition = And(where, AfterCursor(terms, *cursor));
      }
      std::string sql = absl::StrCat("SELECT name FROM ", schema.table);
      if (!condition.sql.empty()) absl::StrAppend(&sql, " WHERE ", condition.sql);
      absl::StrAppend(&sql, " ORDER BY ", OrderByClause(terms), " LIMIT ?");
      condition.params.emplace_back(int64_t{page_size});
      std::vector<std::string> page = db_.Names(sql, condition.params);
      EXPECT_LE(page.size(), static_cast<size_t>(page_size));
      all.insert(all.end(), page.begin(), page.end());
      ++*pages;
      token = page.size() < static_cast<size_t>(page_size)
                  ? ""
                  : EncodePageToken("key", fingerprint, CursorAfter(terms, *by_name_[page.back()]));
      if (*pages > 20) break;
    } while (!token.empty());
    return Ids(all);
  }

  std::vector<std::string> AllInOrder(absl::string_view filter, absl::string_view order_by) {
    Condition where = *CompileFilter(organisation_schema_, filter);
    std::string sql = "SELECT name FROM organisations";
    if (!where.sql.empty()) absl::StrAppend(&sql, " WHERE ", where.sql);
    absl::StrAppend(&sql, " ORDER BY ",
                    OrderByClause(*ParseOrderBy(organisation_schema_, order_by)));
    return Ids(db_.Names(sql, where.params));
  }

  store::ResourceSchema organisation_schema_ = testing::OrganisationSchema();
  store::ResourceSchema partner_schema_ = testing::PartnerSchema();
  std::vector<Organisation> organisations_;
  std::vector<Partner> partners_;
  std::map<std::string, const Organisation*> by_name_;
  Database db_;
};

TEST_F(SqliteQueryTest, FiltersSelectTheRightRows) {
  const store::ResourceSchema& s = organisation_schema_;
  EXPECT_THAT(Select(s, ""), ElementsAre("abidjan", "badalona", "barcelona", "lyon", "milan",
                                         "montreal", "quote", "sant-cugat", "turin"));
  EXPECT_THAT(Select(s, "kind = METROPOLITAN_AREA"),
              ElementsAre("barcelona", "lyon", "milan", "turin"));
  EXPECT_THAT(Select(s, "population >= 2200000"),
              ElementsAre("abidjan", "barcelona", "milan", "turin"));
  EXPECT_THAT(Select(s, "population > 3200000"), ElementsAre("abidjan"));
  EXPECT_THAT(Select(s, "population <= 0"), ElementsAre("quote"));
  EXPECT_THAT(Select(s, "countryCode = \"ES\" AND population < 1000000"),
              ElementsAre("badalona", "sant-cugat"));
  EXPECT_THAT(Select(s, "parent = \"organisations/barcelona\""),
              ElementsAre("badalona", "sant-cugat"));
  EXPECT_THAT(Select(s, "membershipState != ACTIVE"),
              ElementsAre("badalona", "montreal", "quote", "sant-cugat"));
  EXPECT_THAT(Select(s, "memberSince < 2020-01-01"), ElementsAre("barcelona", "milan", "quote"));
  EXPECT_THAT(Select(s, "memberSince <= \"2019-03-07\""),
              ElementsAre("barcelona", "milan", "quote"));
  EXPECT_THAT(Select(s, "memberSince = \"\""), ElementsAre("badalona", "sant-cugat"));
  EXPECT_THAT(Select(s, "memberSince >= 2021-06-01"), ElementsAre("abidjan", "lyon", "turin"));
  EXPECT_THAT(Select(s, R"(displayName = "The \"Quoted\" City")"), ElementsAre("quote"));
  EXPECT_THAT(Select(s, "displayName:\"Montréal\""), ElementsAre("montreal"));
  EXPECT_THAT(Select(s, "createTime > \"1970-01-01T00:05:00Z\""),
              ElementsAre("abidjan", "badalona", "lyon", "montreal", "quote", "sant-cugat"));
  EXPECT_THAT(Select(s, "createTime <= \"1970-01-01T01:03:20+01:00\""),
              ElementsAre("milan", "turin"));
  EXPECT_THAT(Select(s, "name > \"organisations/m\" AND region = regions/europe"),
              ElementsAre("milan", "quote", "sant-cugat", "turin"));
  EXPECT_THAT(Select(s, "kind = CITY AND membershipState = ACTIVE AND population > 1"),
              ElementsAre("abidjan"));
  EXPECT_THAT(Select(s, "displayName = \"Nowhere\""), ElementsAre());
}

TEST_F(SqliteQueryTest, RepeatedContainsUsesTheSideTable) {
  const store::ResourceSchema& s = partner_schema_;
  EXPECT_THAT(Select(s, "grants:organisations/milan"), ElementsAre("p1", "p2"));
  EXPECT_THAT(Select(s, "grants:organisations/turin AND grants:\"organisations/milan\""),
              ElementsAre("p1"));
  EXPECT_THAT(Select(s, "grants:organisations/milan AND role = ADMIN"), ElementsAre("p2"));
  EXPECT_THAT(Select(s, "role != VIEWER"), ElementsAre("p1", "p2"));
  EXPECT_THAT(Select(s, "grants:organisations/lyon"), ElementsAre());
}

TEST_F(SqliteQueryTest, OrdersAreWhatTheyClaim) {
  EXPECT_THAT(AllInOrder("", "population desc, displayName"),
              ElementsAre("abidjan", "barcelona", "milan", "turin", "montreal", "lyon", "badalona",
                          "sant-cugat", "quote"));
  EXPECT_THAT(AllInOrder("", "kind, memberSince desc"),
              ElementsAre("abidjan", "montreal", "lyon", "turin", "barcelona", "milan", "badalona",
                          "sant-cugat", "quote"));
}

TEST_F(SqliteQueryTest, KeysetPagingInPagesOfTwoVisitsEveryRowOnce) {
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"", ""},
      {"", "name desc"},
      {"", "population desc, displayName"},
      {"", "kind, memberSince desc"},
      {"", "memberSince desc, name desc"},
      {"", "countryCode desc, population"},
      {"", "region, kind desc, memberSince, createTime desc"},
      {"", "membershipState desc, updateTime"},
      {"region = regions/europe", "kind desc, population desc"},
      {"population > 100000 AND memberSince != \"\"", "memberSince, countryCode desc"},
      {"kind = CITY", "population"},
      {"kind = NETWORK", "population"},
  };
  for (const auto& [filter, order_by] : queries) {
    SCOPED_TRACE(absl::StrCat("filter=", filter, " orderBy=", order_by));
    std::vector<std::string> expected = AllInOrder(filter, order_by);
    int pages = 0;
    EXPECT_THAT(PageThrough(filter, order_by, 2, &pages), ElementsAreArray(expected));
    EXPECT_EQ(pages, static_cast<int>(expected.size()) / 2 + 1);
    EXPECT_THAT(PageThrough(filter, order_by, 1000, &pages), ElementsAreArray(expected));
    EXPECT_EQ(pages, 1);
  }
  int pages = 0;
  EXPECT_THAT(PageThrough("", "kind, memberSince desc", 2, &pages),
              ElementsAre("abidjan", "montreal", "lyon", "turin", "barcelona", "milan", "badalona",
                          "sant-cugat", "quote"));
  EXPECT_EQ(pages, 5);
}

TEST_F(SqliteQueryTest, TokenFromAnotherQueryIsRefused) {
  std::vector<OrderTerm> terms = *ParseOrderBy(organisation_schema_, "population desc");
  std::string token = EncodePageToken("key", "organisations||population desc",
                                      CursorAfter(terms, *by_name_["organisations/milan"]));
  EXPECT_TRUE(DecodePageToken("key", "organisations||population desc", token).ok());
  EXPECT_FALSE(DecodePageToken("key", "organisations|kind = CITY|population desc", token).ok());
}

}  // namespace
}  // namespace metrocap::query
