#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "common/query/filter.h"
#include "common/store/schema.h"
#include "common/store/sql.h"
#include "common/store/store.h"
#include "google/protobuf/message.h"

// Counted totals (ResourceSchema::count_by): the number of records per (collection parent,
// counted column values), kept in "<table>__totals" by the store's own writes, in their
// transaction, so a List's totalSize over a large collection adds up a few rows instead of
// counting thousands. Every backend shares this through RowWriter.
namespace metrocap::store {

// Where one record counts: its collection parent, then its counted columns' values in the
// order of count_by (int64_t for INTEGER columns, strings for the others).
using TotalsKey = std::vector<SqlValue>;

// The counter table behind `schema.count_by`: "<table>__totals", keyed by
// collection_parent and the counted columns, with one count, `records`. Crashes on a
// count_by field that is not a scalar column of the schema: schemas are written by
// programmers, and this runs when the store is migrated, at start-up.
CounterSchema TotalsCounter(const ResourceSchema& schema);

// The key `message`, stored as `name`, counts under; nullopt when the schema counts nothing.
absl::optional<TotalsKey> TotalsKeyOf(const ResourceSchema& schema, absl::string_view name,
                                      const google::protobuf::Message& message);

// The key the stored record `name` counts under, read in `tx`; nullopt when the schema
// counts nothing. NOT_FOUND when there is no such record.
absl::StatusOr<absl::optional<TotalsKey>> StoredTotalsKey(Transaction& tx,
                                                          const ResourceSchema& schema,
                                                          absl::string_view name);

// Moves one record's count in `tx` from `from` to `to`: an insert has no `from`, a delete
// no `to`, an update both (nothing to do when they are equal). Rows are changed in key
// order, so two transactions moving counts between the same two keys in opposite
// directions wait for each other instead of deadlocking.
absl::Status MoveTotal(Transaction& tx, const ResourceSchema& schema,
                       const absl::optional<TotalsKey>& from, const absl::optional<TotalsKey>& to);

// The number of records under `parent` (empty: all) matching `filter`, from the totals,
// when they can answer: the schema counts, and the filter is empty or only equalities on
// counted columns (query::Condition::equalities). nullopt when they cannot; the caller
// then counts rows.
absl::StatusOr<absl::optional<int64_t>> CountFromTotals(Transaction& tx,
                                                        const ResourceSchema& schema,
                                                        absl::string_view parent,
                                                        const query::Condition& filter);

namespace sql {

// The migration step that builds the totals table from the records already stored, in one
// transaction: drops it, creates it, fills it with a grouped count. Its id names the
// counted columns, so a schema that changes count_by rebuilds its totals.
MigrationStep TotalsStep(const ResourceSchema& schema, absl::string_view integer_type);

}  // namespace sql
}  // namespace metrocap::store
