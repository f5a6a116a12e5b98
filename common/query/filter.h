#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "common/store/schema.h"

namespace metrocap::query {

// A SQL boolean expression with '?' placeholders, bound in order to `params`. The text is
// dialect-neutral (SQLite and PostgreSQL both accept it once the PostgreSQL backend
// renumbers the placeholders to $n). An empty `sql` means "no condition".
struct Condition {
  Condition() = default;
  Condition(std::string sql, std::vector<store::SqlValue> params)
      : sql(std::move(sql)), params(std::move(params)) {}

  std::string sql;
  std::vector<store::SqlValue> params;
  // The SQL columns of `sql` when it is nothing but `column = ?` terms joined by AND (a
  // filter of equalities from CompileFilter, or And of two such): then any table holding
  // those columns can evaluate it too, as the store's counted totals do. Absent for any
  // other condition, and for one written by hand; so whoever changes `sql` by hand must
  // reset it (And keeps it right).
  absl::optional<std::vector<std::string>> equalities;
};

// Both conditions at once. Each non-empty side is parenthesised so any expression can be
// combined safely; an empty side is dropped. The result has equalities when both sides
// have them (or are empty).
Condition And(const Condition& a, const Condition& b);

// The longest filter accepted, and the most terms in one.
inline constexpr size_t kMaxFilterLength = 2000;
inline constexpr int kMaxFilterTerms = 50;

// Parses a List `filter` (the AIP-160 subset of API.md) and compiles it to SQL over the
// schema's indexed columns (plus name, createTime, updateTime).
//
// Grammar: term ("AND" term)*, term := field op value, op := = != < <= > >= :.
// Values are "double quoted" strings (escapes \" and \\), or bare words up to the next
// blank: integers (may be negative), true/false, enum names. Per column kind:
//   kString     any string; ':' means equality.
//   kInteger    an int64.
//   kBool       true or false; only = and !=.
//   kEnum       a value name of the field's enum (checked); only = and !=.
//   kDate       "YYYY-MM-DD", a real calendar date ("" = unset, with = and != only).
//   kTimestamp  an RFC 3339 timestamp, compared as microseconds since the epoch.
//   kStringList only ':', "the list contains the value".
// Unset dates and timestamps never satisfy < or <=: they are stored as "" and 0, which
// would otherwise sort before every real value.
//
// An empty or blank filter yields an empty Condition. A filter whose every term is `=` (or
// `:` on a string) on a scalar column has those columns in `equalities` (an empty filter,
// an empty list). Any problem is INVALID_ARGUMENT with a message starting "filter: " that
// names the field or the 1-based position of the offending character. Never crashes,
// whatever the input.
absl::StatusOr<Condition> CompileFilter(const store::ResourceSchema& schema,
                                        absl::string_view filter);

}  // namespace metrocap::query
