#include "common/query/order_by.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/query/test_schemas.h"

namespace metrocap::query {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class OrderByTest : public ::testing::Test {
 protected:
  std::string Clause(absl::string_view order_by) {
    absl::StatusOr<std::vector<OrderTerm>> terms = ParseOrderBy(organisations_, order_by);
    if (!terms.ok()) return absl::StrCat("ERROR ", terms.status().ToString());
    return OrderByClause(*terms);
  }

  std::string Error(absl::string_view order_by, const store::ResourceSchema* schema = nullptr) {
    absl::StatusOr<std::vector<OrderTerm>> terms =
        ParseOrderBy(schema ? *schema : organisations_, order_by);
    if (terms.ok()) return absl::StrCat("parsed to ", OrderByClause(*terms));
    EXPECT_EQ(terms.status().code(), absl::StatusCode::kInvalidArgument) << order_by;
    return std::string(terms.status().message());
  }

  store::ResourceSchema organisations_ = testing::OrganisationSchema();
  store::ResourceSchema partners_ = testing::PartnerSchema();
};

TEST_F(OrderByTest, EmptySortsByName) {
  EXPECT_EQ(Clause(""), "name ASC");
  EXPECT_EQ(Clause("  "), "name ASC");
}

TEST_F(OrderByTest, FieldsWithDirectionsAndNameTiebreak) {
  EXPECT_EQ(Clause("memberSince desc"), "member_since DESC, name ASC");
  EXPECT_EQ(Clause("population"), "population ASC, name ASC");
  EXPECT_EQ(Clause("kind, population desc"), "kind ASC, population DESC, name ASC");
  EXPECT_EQ(Clause("  kind   DESC ,population  asc,displayName "),
            "kind DESC, population ASC, display_name ASC, name ASC");
  EXPECT_EQ(Clause("createTime desc"), "create_time DESC, name ASC");
  EXPECT_EQ(Clause("updateTime"), "update_time ASC, name ASC");
}

TEST_F(OrderByTest, NamedNameIsNotRepeated) {
  EXPECT_EQ(Clause("name desc"), "name DESC");
  EXPECT_EQ(Clause("name"), "name ASC");
  EXPECT_EQ(Clause("population desc, name desc"), "population DESC, name DESC");
}

TEST_F(OrderByTest, TermsPointAtSchemaColumns) {
  absl::StatusOr<std::vector<OrderTerm>> terms = ParseOrderBy(organisations_, "population desc");
  ASSERT_TRUE(terms.ok());
  ASSERT_EQ(terms->size(), 2u);
  EXPECT_EQ((*terms)[0].column, organisations_.Find("population"));
  EXPECT_TRUE((*terms)[0].descending);
  EXPECT_EQ((*terms)[1].column->field, "name");
  EXPECT_FALSE((*terms)[1].descending);
}

TEST_F(OrderByTest, Errors) {
  EXPECT_EQ(Error("foo"), "orderBy: cannot order by unknown field \"foo\"");
  EXPECT_EQ(Error("population desc, website"),
            "orderBy: cannot order by unknown field \"website\"");
  EXPECT_EQ(Error("grants", &partners_), "orderBy: cannot order by repeated field \"grants\"");
  EXPECT_EQ(Error("kind, kind desc"), "orderBy: field \"kind\" is named twice");
  EXPECT_EQ(Error("kind,,population"), "orderBy: empty field name between commas");
  EXPECT_EQ(Error("kind,"), "orderBy: empty field name between commas");
  EXPECT_EQ(Error(",kind"), "orderBy: empty field name between commas");
  EXPECT_THAT(Error("kind descending"), HasSubstr("unexpected \"descending\" after field"));
  EXPECT_THAT(Error("kind desc population"), HasSubstr("separate fields with commas"));
  EXPECT_THAT(Error("kind population"), HasSubstr("unexpected \"population\""));
  EXPECT_THAT(Error("-population"), HasSubstr("unknown field \"-population\""));
  EXPECT_THAT(Error("population DESC NULLS FIRST"), HasSubstr("separate fields with commas"));
  EXPECT_EQ(Error(std::string(2001, ' ')), "orderBy: longer than 2000 characters");
  EXPECT_EQ(Error("kind, population, displayName, countryCode, region, parent, membershipState, "
                  "memberSince, createTime"),
            "orderBy: more than 8 fields");
}

std::string Render(const Condition& condition) {
  std::string out = condition.sql;
  for (const store::SqlValue& value : condition.params) {
    if (const int64_t* n = absl::get_if<int64_t>(&value)) {
      absl::StrAppend(&out, " | ", *n);
    } else {
      absl::StrAppend(&out, " | \"", absl::get<std::string>(value), "\"");
    }
  }
  return out;
}

TEST_F(OrderByTest, AfterCursorOnNameOnly) {
  std::vector<OrderTerm> terms = *ParseOrderBy(organisations_, "");
  EXPECT_EQ(Render(AfterCursor(terms, Cursor{{std::string("organisations/b")}})),
            "((name > ?)) | \"organisations/b\"");
  terms = *ParseOrderBy(organisations_, "name desc");
  EXPECT_EQ(Render(AfterCursor(terms, Cursor{{std::string("organisations/b")}})),
            "((name < ?)) | \"organisations/b\"");
}

TEST_F(OrderByTest, AfterCursorIsOneRowValueInOneDirectionAndHonoursEachOtherwise) {
  std::vector<OrderTerm> terms = *ParseOrderBy(organisations_, "memberSince desc");
  EXPECT_EQ(Render(AfterCursor(terms, Cursor{{std::string("2020-05-01"), std::string("o/x")}})),
            "((member_since < ?) OR (member_since = ? AND name > ?)) | \"2020-05-01\" | "
            "\"2020-05-01\" | \"o/x\"");
  terms = *ParseOrderBy(organisations_, "kind, population");
  EXPECT_EQ(
      Render(AfterCursor(terms, Cursor{{std::string("CITY"), int64_t{7}, std::string("o/y")}})),
      "((kind, population, name) > (?, ?, ?)) | \"CITY\" | 7 | \"o/y\"");
  terms = *ParseOrderBy(organisations_, "kind, population desc");
  EXPECT_EQ(
      Render(AfterCursor(terms, Cursor{{std::string("CITY"), int64_t{7}, std::string("o/y")}})),
      "((kind > ?) OR (kind = ? AND population < ?) OR (kind = ? AND population = ? AND "
      "name > ?)) | \"CITY\" | \"CITY\" | 7 | \"CITY\" | 7 | \"o/y\"");
}

TEST_F(OrderByTest, CursorThatDoesNotFitMatchesNothing) {
  std::vector<OrderTerm> terms = *ParseOrderBy(organisations_, "population");
  Cursor too_short{{std::string("o/x")}};
  Cursor wrong_type{{std::string("7"), std::string("o/x")}};
  Cursor fits{{int64_t{7}, std::string("o/x")}};
  EXPECT_EQ(CheckCursor(terms, too_short).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckCursor(terms, wrong_type).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckCursor(terms, fits).ok());
  EXPECT_EQ(Render(AfterCursor(terms, too_short)), "1 = 0");
  EXPECT_EQ(Render(AfterCursor(terms, wrong_type)), "1 = 0");
}

TEST_F(OrderByTest, CursorAfterReadsTheLastRow) {
  membership::v1::Organisation milan;
  milan.set_name("organisations/milan");
  milan.set_population(3200000);
  milan.set_kind(membership::v1::Organisation::METROPOLITAN_AREA);
  milan.mutable_member_since()->set_year(2019);
  milan.mutable_member_since()->set_month(3);
  milan.mutable_member_since()->set_day(7);
  milan.mutable_create_time()->set_seconds(10);
  milan.mutable_create_time()->set_nanos(5000);
  std::vector<OrderTerm> terms =
      *ParseOrderBy(organisations_, "kind, population desc, memberSince, createTime");
  Cursor cursor = CursorAfter(terms, milan);
  EXPECT_THAT(cursor.values, ElementsAre(store::SqlValue(std::string("METROPOLITAN_AREA")),
                                         store::SqlValue(int64_t{3200000}),
                                         store::SqlValue(std::string("2019-03-07")),
                                         store::SqlValue(int64_t{10000005}),
                                         store::SqlValue(std::string("organisations/milan"))));
  EXPECT_TRUE(CheckCursor(terms, cursor).ok());
}

}  // namespace
}  // namespace metrocap::query
