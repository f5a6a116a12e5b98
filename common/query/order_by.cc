#include "common/query/order_by.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace metrocap::query {
namespace {

using store::ColumnKind;

absl::Status Invalid(absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("orderBy: ", message));
}

bool HoldsInteger(ColumnKind kind) {
  return kind == ColumnKind::kInteger || kind == ColumnKind::kBool ||
         kind == ColumnKind::kTimestamp;
}

}  // namespace

absl::StatusOr<std::vector<OrderTerm>> ParseOrderBy(const store::ResourceSchema& schema,
                                                    absl::string_view order_by) {
  if (order_by.size() > 2000) return Invalid("longer than 2000 characters");
  std::vector<OrderTerm> terms;
  bool has_name = false;
  if (!absl::StripAsciiWhitespace(order_by).empty()) {
    for (absl::string_view item : absl::StrSplit(order_by, ',')) {
      std::vector<absl::string_view> words =
          absl::StrSplit(item, absl::ByAnyChar(" \t\n\r"), absl::SkipEmpty());
      if (words.empty()) return Invalid("empty field name between commas");
      if (static_cast<int>(terms.size()) == kMaxOrderTerms) {
        return Invalid(absl::StrCat("more than ", kMaxOrderTerms, " fields"));
      }
      const store::Column* column = schema.Find(words[0]);
      if (column == nullptr) {
        return Invalid(absl::StrCat("cannot order by unknown field \"", words[0], "\""));
      }
      if (column->kind == ColumnKind::kStringList) {
        return Invalid(absl::StrCat("cannot order by repeated field \"", words[0], "\""));
      }
      bool descending = false;
      if (words.size() >= 2) {
        std::string direction = absl::AsciiStrToLower(words[1]);
        if (direction == "desc") {
          descending = true;
        } else if (direction != "asc") {
          return Invalid(absl::StrCat("unexpected \"", words[1], "\" after field \"", words[0],
                                      "\"; only \"desc\" may follow a field"));
        }
      }
      if (words.size() > 2) {
        return Invalid(absl::StrCat("unexpected \"", words[2], "\" after \"", words[0], " ",
                                    words[1], "\"; separate fields with commas"));
      }
      for (const OrderTerm& earlier : terms) {
        if (earlier.column == column) {
          return Invalid(absl::StrCat("field \"", words[0], "\" is named twice"));
        }
      }
      has_name = has_name || column->field == "name";
      terms.push_back(OrderTerm{column, descending});
    }
  }
  if (!has_name) terms.push_back(OrderTerm{schema.Find("name"), false});
  return terms;
}

std::string OrderByClause(const std::vector<OrderTerm>& terms) {
  std::string clause;
  for (const OrderTerm& term : terms) {
    if (!clause.empty()) clause += ", ";
    absl::StrAppend(&clause, term.column->sql_name, term.descending ? " DESC" : " ASC");
  }
  return clause;
}

Cursor CursorAfter(const std::vector<OrderTerm>& terms, const google::protobuf::Message& last_row) {
  Cursor cursor;
  for (const OrderTerm& term : terms) {
    store::ColumnValue value = store::ExtractColumn(last_row, *term.column);
    if (const int64_t* n = absl::get_if<int64_t>(&value)) {
      cursor.values.emplace_back(*n);
    } else if (const std::string* s = absl::get_if<std::string>(&value)) {
      cursor.values.emplace_back(*s);
    } else {
      // ParseOrderBy never yields a repeated column; keep the cursor's shape anyway.
      cursor.values.emplace_back(std::string());
    }
  }
  return cursor;
}

absl::Status CheckCursor(const std::vector<OrderTerm>& terms, const Cursor& cursor) {
  bool fits = terms.size() == cursor.values.size();
  for (size_t i = 0; fits && i < terms.size(); ++i) {
    bool integer = absl::holds_alternative<int64_t>(cursor.values[i]);
    fits = integer == HoldsInteger(terms[i].column->kind);
  }
  if (fits) return absl::OkStatus();
  return absl::InvalidArgumentError("pageToken is invalid or belongs to another query");
}

Condition AfterCursor(const std::vector<OrderTerm>& terms, const Cursor& cursor) {
  if (terms.empty() || !CheckCursor(terms, cursor).ok()) return Condition{"1 = 0", {}};
  Condition after;
  bool one_direction = terms.size() > 1;
  for (const OrderTerm& term : terms) one_direction &= term.descending == terms[0].descending;
  if (one_direction) {
    // One row-value comparison: PostgreSQL and SQLite seek an index on these columns to it,
    // where the OR form below is only a filter on PostgreSQL (every earlier row is read).
    std::vector<std::string> columns, marks;
    for (size_t i = 0; i < terms.size(); ++i) {
      columns.push_back(terms[i].column->sql_name);
      marks.push_back("?");
      after.params.push_back(cursor.values[i]);
    }
    after.sql =
        absl::StrCat("((", absl::StrJoin(columns, ", "), ")", terms[0].descending ? " < " : " > ",
                     "(", absl::StrJoin(marks, ", "), "))");
    return after;
  }
  std::vector<std::string> alternatives;
  for (size_t i = 0; i < terms.size(); ++i) {
    std::string alternative = "(";
    for (size_t j = 0; j < i; ++j) {
      absl::StrAppend(&alternative, terms[j].column->sql_name, " = ? AND ");
      after.params.push_back(cursor.values[j]);
    }
    absl::StrAppend(&alternative, terms[i].column->sql_name, terms[i].descending ? " < ?" : " > ?",
                    ")");
    after.params.push_back(cursor.values[i]);
    alternatives.push_back(std::move(alternative));
  }
  after.sql = absl::StrCat("(", absl::StrJoin(alternatives, " OR "), ")");
  return after;
}

}  // namespace metrocap::query
