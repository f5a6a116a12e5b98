#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/query/filter.h"
#include "common/store/schema.h"
#include "google/protobuf/message.h"

namespace metrocap::query {

// One key of a List's sort order. `column` points into the schema (or at the schema's
// implicit name/createTime/updateTime columns) and lives as long as it.
struct OrderTerm {
  const store::Column* column;
  bool descending;
};

// The most fields one orderBy may name (the keyset condition grows quadratically).
inline constexpr int kMaxOrderTerms = 8;

// Parses an AIP-132 `orderBy`: "field [desc], field2 [desc] ..." (blanks are free,
// "asc"/"desc" in any case). The result always ends with `name` ascending as a tiebreak
// unless `name` is already named, so every order is total and keyset pagination works.
// An empty orderBy sorts by name. INVALID_ARGUMENT ("orderBy: ...") for an unknown field
// (named in the message), a repeated field, a field named twice, an empty item, a word
// other than asc/desc after a field, more than kMaxOrderTerms fields or over 2000 chars.
absl::StatusOr<std::vector<OrderTerm>> ParseOrderBy(const store::ResourceSchema& schema,
                                                    absl::string_view order_by);

// The SQL ORDER BY list for `terms`, e.g. "member_since DESC, name ASC".
std::string OrderByClause(const std::vector<OrderTerm>& terms);

// A position in a sorted List: the last returned row's value for each order term, in order
// (so the last value is its name). int64 for kInteger/kBool/kTimestamp columns, string for
// the rest, as store::ExtractColumn gives them.
struct Cursor {
  std::vector<store::SqlValue> values;
};

// The cursor after `last_row` (a message of the schema's type) in the order `terms`.
Cursor CursorAfter(const std::vector<OrderTerm>& terms, const google::protobuf::Message& last_row);

// OK when `cursor` fits `terms`: one value per term, each of the column's SQL type. A
// cursor from a page token made for the same query always fits; INVALID_ARGUMENT
// ("pageToken is invalid or belongs to another query") otherwise.
absl::Status CheckCursor(const std::vector<OrderTerm>& terms, const Cursor& cursor);

// The rows strictly after `cursor` in the order `terms`, as one parenthesised condition:
// when every term has the same direction, one row-value comparison that an index on the
// columns can seek to (order columns are NOT NULL, so it means the same):
//   ((a, b, c) > (?, ?, ?))          ('<' when all are descending)
// otherwise
//   ((a > ?) OR (a = ? AND b < ?) OR (a = ? AND b = ? AND c > ?))
// with '>' for ascending and '<' for descending terms. A cursor that does not fit (see
// CheckCursor) yields a condition matching no row rather than a wrong page.
Condition AfterCursor(const std::vector<OrderTerm>& terms, const Cursor& cursor);

}  // namespace metrocap::query
