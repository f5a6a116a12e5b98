#include "common/query/filter.h"

#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/query/test_schemas.h"

namespace metrocap::query {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// "sql | p1 | p2", strings quoted, so expectations read like the SQL they check.
std::string Render(const Condition& condition) {
  std::vector<std::string> parts = {condition.sql};
  for (const store::SqlValue& value : condition.params) {
    if (const int64_t* n = absl::get_if<int64_t>(&value)) {
      parts.push_back(absl::StrCat(*n));
    } else {
      parts.push_back(absl::StrCat("\"", absl::get<std::string>(value), "\""));
    }
  }
  return absl::StrJoin(parts, " | ");
}

std::string Compile(const store::ResourceSchema& schema, absl::string_view filter) {
  absl::StatusOr<Condition> condition = CompileFilter(schema, filter);
  if (!condition.ok()) return absl::StrCat("ERROR ", condition.status().ToString());
  return Render(*condition);
}

std::string Error(const store::ResourceSchema& schema, absl::string_view filter) {
  absl::StatusOr<Condition> condition = CompileFilter(schema, filter);
  if (condition.ok()) return absl::StrCat("compiled to ", Render(*condition));
  EXPECT_EQ(condition.status().code(), absl::StatusCode::kInvalidArgument) << filter;
  return std::string(condition.status().message());
}

class FilterTest : public ::testing::Test {
 protected:
  store::ResourceSchema organisations_ = testing::OrganisationSchema();
  store::ResourceSchema partners_ = testing::PartnerSchema();
};

TEST_F(FilterTest, EmptyOrBlankFilterIsNoCondition) {
  EXPECT_EQ(Compile(organisations_, ""), "");
  EXPECT_EQ(Compile(organisations_, "   \t\n "), "");
}

TEST_F(FilterTest, StringEquality) {
  EXPECT_EQ(Compile(organisations_, "displayName = \"Milan\""), "display_name = ? | \"Milan\"");
  EXPECT_EQ(Compile(organisations_, "region=regions/europe"), "region = ? | \"regions/europe\"");
  EXPECT_EQ(Compile(organisations_, "countryCode:IT"), "country_code = ? | \"IT\"");
  EXPECT_EQ(Compile(organisations_, "name = \"organisations/milan\""),
            "name = ? | \"organisations/milan\"");
  EXPECT_EQ(Compile(organisations_, "parent = \"\""), "parent = ? | \"\"");
}

TEST_F(FilterTest, EveryComparisonOperator) {
  for (const char* op : {"=", "!=", "<", "<=", ">", ">="}) {
    EXPECT_EQ(Compile(organisations_, absl::StrCat("population ", op, " 1000")),
              absl::StrCat("population ", op, " ? | 1000"));
    EXPECT_EQ(Compile(organisations_, absl::StrCat("displayName", op, "\"M\"")),
              absl::StrCat("display_name ", op, " ? | \"M\""));
  }
}

TEST_F(FilterTest, Integers) {
  EXPECT_EQ(Compile(organisations_, "population > -5"), "population > ? | -5");
  EXPECT_EQ(Compile(organisations_, "population = \"42\""), "population = ? | 42");
  EXPECT_EQ(Compile(organisations_, "population <= 9223372036854775807"),
            "population <= ? | 9223372036854775807");
  EXPECT_EQ(Compile(organisations_, "population >= -9223372036854775808"),
            "population >= ? | -9223372036854775808");
}

TEST_F(FilterTest, QuotingAndEscapes) {
  EXPECT_EQ(Compile(organisations_, R"(displayName = "Say \"hi\"")"),
            R"(display_name = ? | "Say "hi"")");
  EXPECT_EQ(Compile(organisations_, R"(displayName = "back\\slash")"),
            R"(display_name = ? | "back\slash")");
  EXPECT_EQ(Compile(organisations_, R"(displayName = "a AND b = 1")"),
            R"(display_name = ? | "a AND b = 1")");
  EXPECT_EQ(Compile(organisations_, R"(displayName = "")"), R"(display_name = ? | "")");
  EXPECT_EQ(Compile(organisations_, "displayName = \"Zürich (ZH)\""),
            "display_name = ? | \"Zürich (ZH)\"");
  EXPECT_EQ(Compile(organisations_, "displayName = \"it's; DROP TABLE x; --\""),
            "display_name = ? | \"it's; DROP TABLE x; --\"");
}

TEST_F(FilterTest, Enums) {
  EXPECT_EQ(Compile(organisations_, "membershipState = ACTIVE"),
            "membership_state = ? | \"ACTIVE\"");
  EXPECT_EQ(Compile(organisations_, "kind != \"CITY\""), "kind != ? | \"CITY\"");
  EXPECT_EQ(Compile(partners_, "role = ADMIN"), "role = ? | \"ADMIN\"");
}

TEST_F(FilterTest, Bools) {
  store::ResourceSchema schema = testing::SchemaWithBool();
  EXPECT_EQ(Compile(schema, "verified = true"), "verified = ? | 1");
  EXPECT_EQ(Compile(schema, "verified != false"), "verified != ? | 0");
}

TEST_F(FilterTest, Dates) {
  EXPECT_EQ(Compile(organisations_, "memberSince = \"2022-02-28\""),
            "member_since = ? | \"2022-02-28\"");
  EXPECT_EQ(Compile(organisations_, "memberSince >= 2024-02-29"),
            "member_since >= ? | \"2024-02-29\"");
  EXPECT_EQ(Compile(organisations_, "memberSince > 2020-01-01"),
            "member_since > ? | \"2020-01-01\"");
  // Unset dates are stored as "" and must not count as earlier than every date.
  EXPECT_EQ(Compile(organisations_, "memberSince < 2020-01-01"),
            "(member_since < ? AND member_since != '') | \"2020-01-01\"");
  EXPECT_EQ(Compile(organisations_, "memberSince = \"\""), "member_since = ? | \"\"");
}

TEST_F(FilterTest, Timestamps) {
  EXPECT_EQ(Compile(organisations_, "createTime >= \"2022-01-01T00:00:00Z\""),
            "create_time >= ? | 1640995200000000");
  EXPECT_EQ(Compile(organisations_, "updateTime > 1970-01-01T00:00:01.5+01:00"),
            "update_time > ? | -3598500000");
  EXPECT_EQ(Compile(organisations_, "createTime < \"1970-01-01T00:00:00.000001Z\""),
            "(create_time < ? AND create_time != 0) | 1");
}

TEST_F(FilterTest, RepeatedContains) {
  EXPECT_EQ(Compile(partners_, "grants:\"organisations/milan\""),
            "name IN (SELECT name FROM partners__grants WHERE value = ?) | "
            "\"organisations/milan\"");
  EXPECT_EQ(Compile(partners_, "grants : organisations/turin"),
            "name IN (SELECT name FROM partners__grants WHERE value = ?) | "
            "\"organisations/turin\"");
}

TEST_F(FilterTest, TermsJoinWithAnd) {
  EXPECT_EQ(Compile(organisations_,
                    "  kind = CITY AND population>=100000\tAND\nregion = \"regions/eu\"  "),
            "kind = ? AND population >= ? AND region = ? | \"CITY\" | 100000 | \"regions/eu\"");
  EXPECT_EQ(
      Compile(partners_, "role = PARTNER AND grants:organisations/a AND grants:organisations/b"),
      "role = ? AND name IN (SELECT name FROM partners__grants WHERE value = ?) AND name IN "
      "(SELECT name FROM partners__grants WHERE value = ?) | \"PARTNER\" | "
      "\"organisations/a\" | \"organisations/b\"");
}

TEST_F(FilterTest, AndCombinesConditions) {
  Condition a{"x = ?", {int64_t{1}}};
  Condition b{"y = ? OR z = ?", {std::string("p"), std::string("q")}};
  EXPECT_EQ(Render(And(a, b)), "(x = ?) AND (y = ? OR z = ?) | 1 | \"p\" | \"q\"");
  EXPECT_EQ(Render(And(Condition{}, b)), Render(b));
  EXPECT_EQ(Render(And(a, Condition{})), Render(a));
}

// What the store's counted totals rely on: the columns of a filter of equalities only.
TEST_F(FilterTest, EqualitiesAreListedOnlyWhenEveryTermIsOne) {
  auto equalities = [&](absl::string_view filter) -> std::string {
    absl::StatusOr<Condition> condition = CompileFilter(organisations_, filter);
    if (!condition.ok()) return condition.status().ToString();
    if (!condition->equalities) return "none";
    return absl::StrCat("[", absl::StrJoin(*condition->equalities, ","), "]");
  };
  EXPECT_EQ(equalities(""), "[]");
  EXPECT_EQ(equalities("region = \"regions/eu\" AND kind = CITY AND countryCode:IT"),
            "[region,kind,country_code]");
  EXPECT_EQ(equalities("kind = CITY AND population >= 1"), "none");
  EXPECT_EQ(equalities("kind != CITY"), "none");
  EXPECT_EQ(equalities("memberSince < \"2020-01-01\""), "none");
  ASSERT_TRUE(CompileFilter(partners_, "role = PARTNER").value().equalities.has_value());
  EXPECT_FALSE(CompileFilter(partners_, "role = PARTNER AND grants:organisations/a")
                   .value()
                   .equalities.has_value());

  // And keeps them when both sides have them; a condition written by hand has none.
  Condition kind = CompileFilter(organisations_, "kind = CITY").value();
  Condition region = CompileFilter(organisations_, "region = \"regions/eu\"").value();
  EXPECT_EQ(*And(kind, region).equalities, (std::vector<std::string>{"kind", "region"}));
  EXPECT_EQ(*And(kind, Condition{}).equalities, (std::vector<std::string>{"kind"}));
  Condition by_hand{"region = ?", {std::string("regions/eu")}};
  EXPECT_FALSE(by_hand.equalities.has_value());
  EXPECT_FALSE(And(kind, by_hand).equalities.has_value());
}

TEST_F(FilterTest, ErrorsNameTheProblem) {
  EXPECT_EQ(Error(organisations_, "foo = 1"), "filter: field \"foo\" cannot be filtered");
  EXPECT_EQ(Error(organisations_, "website = \"x\""),
            "filter: field \"website\" cannot be filtered");
  EXPECT_EQ(Error(organisations_, "memberSince ="),
            "filter: expected a value after \"=\" at position 14");
  EXPECT_EQ(Error(organisations_, "memberSince = \"2022-13-01\""),
            "filter: \"2022-13-01\" is not a date for memberSince");
  EXPECT_EQ(Error(organisations_, "population = 1 AND"),
            "filter: expected a term after \"AND\" at position 19");
  EXPECT_EQ(Error(organisations_, "displayName = \"Milan"),
            "filter: unterminated string starting at position 15");
  EXPECT_EQ(Error(organisations_, "population : 5"),
            "filter: \":\" applies only to repeated fields, not to \"population\" at position 12");
  EXPECT_THAT(Error(organisations_, "membershipState = ACTIV"),
              StartsWith("filter: \"ACTIV\" is not a value of membershipState; expected one of "
                         "MEMBERSHIP_STATE_UNSPECIFIED, NON_MEMBER, APPLICANT, ACTIVE"));
  EXPECT_EQ(Error(organisations_, std::string(2001, ' ')), "filter: longer than 2000 characters");
}

TEST_F(FilterTest, MalformedFiltersAreInvalidArgument) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"population", "expected an operator"},
      {"population 5", "expected an operator"},
      {"population == 5", "unknown operator \"==\""},
      {"population => 5", "unknown operator \"=>\""},
      {"population =< 5", "unknown operator \"=<\""},
      {"population <> 5", "unknown operator \"<>\""},
      {"population ! 5", "expected an operator"},
      {"population ~ 5", "expected an operator"},
      {"population =", "expected a value"},
      {"population = ", "expected a value"},
      {"population = AND kind = CITY", "expected a value"},
      {"population = )", "expected a value"},
      {"population = abc", "\"abc\" is not an integer for population"},
      {"population = 1.5", "is not an integer"},
      {"population = +5", "is not an integer"},
      {"population = 99999999999999999999", "is not an integer"},
      {"population = -", "is not an integer"},
      {"population = \"\"", "is not an integer"},
      {"population = 5 kind = CITY", "expected \"AND\" at position 16, found \"kind\""},
      {"population = 5 and kind = CITY", "found \"and\""},
      {"population = 5 OR kind = CITY", "OR is not supported"},
      {"population = 5 AND", "expected a term after \"AND\""},
      {"population = 5 AND   ", "expected a term after \"AND\""},
      {"AND population = 5", "expected a field name at position 1, found \"AND\""},
      {"population = 5 AND AND kind = CITY", "found \"AND\""},
      {"NOT kind = CITY", "NOT is not supported"},
      {"-kind = CITY", "negation is not supported"},
      {"(kind = CITY)", "parentheses are not supported"},
      {"kind = CITY)", "unexpected \")\" after the value"},
      {"kind = (CITY)", "expected a value"},
      {"= 5", "expected a field name at position 1"},
      {"5 = population", "expected a field name"},
      {"\"kind\" = CITY", "expected a field name"},
      {"kind = CITY\"", "unexpected"},
      {"displayName = \"a\"b", "unexpected \"b\" after the value"},
      {"displayName = \"a\\", "unterminated string"},
      {"displayName = \"a\\n\"", "unknown escape \"\\n\""},
      {"displayName = *", "wildcards are not supported"},
      {"kind = city", "is not a value of kind"},
      {"kind = 2", "is not a value of kind"},
      {"kind < CITY", "operator \"<\" cannot be applied to \"kind\""},
      {"kind : CITY", "\":\" applies only to repeated fields"},
      {"membershipState >= ACTIVE", "cannot be applied"},
      {"memberSince = 2022-02-29", "\"2022-02-29\" is not a date for memberSince"},
      {"memberSince = 2022-1-01", "is not a date"},
      {"memberSince = 0000-01-01", "is not a date"},
      {"memberSince = \"2022-01-01T00:00:00Z\"", "is not a date"},
      {"memberSince = 20220101", "is not a date"},
      {"memberSince < \"\"", "is not a date"},
      {"memberSince : 2022-01-01", "applies only to repeated fields"},
      {"createTime > 2022-01-01", "is not an RFC 3339 timestamp for createTime"},
      {"createTime > \"2022-01-01T25:00:00Z\"", "is not an RFC 3339 timestamp"},
      {"createTime > \"2022-01-01T00:00:00\"", "is not an RFC 3339 timestamp"},
      {"createTime > \" 2022-01-01T00:00:00Z\"", "is not an RFC 3339 timestamp"},
      {"createTime > 12345", "is not an RFC 3339 timestamp"},
      {"decision.decisionDate = 2022-01-01", "field \"decision.decisionDate\" cannot be filtered"},
      {"population.x = 1", "cannot be filtered"},
  };
  for (const auto& [filter, message] : cases) {
    EXPECT_THAT(Error(organisations_, filter), HasSubstr(message)) << filter;
  }
  const std::vector<std::pair<std::string, std::string>> partner_cases = {
      {"grants = \"organisations/a\"", "field \"grants\" is repeated; use \":\""},
      {"grants != x", "is repeated"},
      {"grants:", "expected a value after \":\""},
      {"role = OWNER", "\"OWNER\" is not a value of role"},
      {"role : ADMIN", "applies only to repeated fields"},
  };
  for (const auto& [filter, message] : partner_cases) {
    EXPECT_THAT(Error(partners_, filter), HasSubstr(message)) << filter;
  }
  store::ResourceSchema with_bool = testing::SchemaWithBool();
  EXPECT_THAT(Error(with_bool, "verified = yes"), HasSubstr("\"yes\" is not true or false"));
  EXPECT_THAT(Error(with_bool, "verified = \"true\""), HasSubstr("is not true or false"));
  EXPECT_THAT(Error(with_bool, "verified > false"), HasSubstr("cannot be applied"));
}

TEST_F(FilterTest, LimitsOnSizeAndTerms) {
  std::vector<std::string> fifty(50, "population > 1");
  EXPECT_TRUE(CompileFilter(organisations_, absl::StrJoin(fifty, " AND ")).ok());
  std::vector<std::string> fifty_one(51, "kind = CITY");
  EXPECT_EQ(Error(organisations_, absl::StrJoin(fifty_one, " AND ")), "filter: more than 50 terms");
  std::string long_value = absl::StrCat("displayName = \"", std::string(1990, 'x'), "\"");
  EXPECT_EQ(Error(organisations_, long_value), "filter: longer than 2000 characters");
}

// Random and mutated inputs must only ever come back as OK or INVALID_ARGUMENT.
TEST_F(FilterTest, NeverCrashesOnArbitraryInput) {
  std::mt19937 random(20240601);
  const std::string alphabet = "abkindpopulation=!<>:\"\\() -_.0123456789ANDORT \t\xc3\xff";
  const std::vector<std::string> seeds = {
      "kind = CITY AND population >= 5", "displayName = \"a \\\" b\"",
      "memberSince < 2022-01-01 AND createTime > \"2022-01-01T00:00:00Z\""};
  for (int i = 0; i < 20000; ++i) {
    std::string filter;
    if (i % 2 == 0) {
      int length = random() % 40;
      for (int j = 0; j < length; ++j) filter += alphabet[random() % alphabet.size()];
    } else {
      filter = seeds[random() % seeds.size()];
      int edits = 1 + random() % 4;
      for (int j = 0; j < edits && !filter.empty(); ++j) {
        size_t at = random() % filter.size();
        switch (random() % 3) {
          case 0:
            filter.erase(at, 1);
            break;
          case 1:
            filter.insert(at, 1, alphabet[random() % alphabet.size()]);
            break;
          default:
            filter[at] = alphabet[random() % alphabet.size()];
            break;
        }
      }
    }
    absl::StatusOr<Condition> result = CompileFilter(organisations_, filter);
    if (!result.ok()) {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << filter;
      EXPECT_THAT(std::string(result.status().message()), StartsWith("filter: ")) << filter;
    } else {
      EXPECT_EQ(std::count(result->sql.begin(), result->sql.end(), '?'),
                static_cast<long>(result->params.size()))
          << filter;
    }
    CompileFilter(partners_, filter).IgnoreError();
  }
}

}  // namespace
}  // namespace metrocap::query
