#pragma once

#include <string>
#include <vector>

#include "common/store/schema.h"
#include "common/store/store.h"

// SQL text shared by the store backends. Placeholders are '?'; backends that number them
// (PostgreSQL) rewrite them with NumberPlaceholders.
namespace metrocap::store::sql {

// A migration step: a stable id (recorded once applied) and its statements.
struct MigrationStep {
  std::string id;
  std::vector<std::string> statements;
  // The column to backfill from the stored messages after the statements, if any.
  const Column* backfill = nullptr;
};

// The steps that bring `schema` from nothing to its declared shape, in order.
// `integer_type` and `blob_type` are the backend's names ("INTEGER"/"BIGINT", "BLOB"/"BYTEA").
std::vector<MigrationStep> StepsFor(const ResourceSchema& schema, absl::string_view integer_type,
                                    absl::string_view blob_type);

// The upsert behind Transaction::AddCounts: parameters are the keys, then the deltas.
std::string AddCountsStatement(const CounterSchema& counter);
// CREATE TABLE IF NOT EXISTS of `counter`'s table, its keys the primary key.
std::string CreateCounterStatement(const CounterSchema& counter, absl::string_view integer_type);

// The side table holding a kStringList column's values.
std::string SideTable(const ResourceSchema& schema, const Column& column);
bool IsIntegerKind(ColumnKind kind);

// SELECT of the records matching `query` (filter, parent, cursor), ordered, limited to
// query.limit + 1 rows so callers can tell whether more follow. Selected columns: name,
// data, version, create_time, update_time, then one per order term.
struct Statement {
  std::string text;
  std::vector<SqlValue> params;
};
Statement ListStatement(const ResourceSchema& schema, const ListQuery& query);
// " WHERE ..." restricting to `parent` (unless empty), `filter` and `cursor` (if any),
// appending their parameters to `params`: over a resource table, or over any table with
// the columns they name.
std::string WhereClause(absl::string_view parent, const query::Condition& filter,
                        const query::Condition* cursor, std::vector<SqlValue>* params);
Statement CountStatement(const ResourceSchema& schema, absl::string_view parent,
                         const query::Condition& filter);

// "a = ? AND b = ?" -> "a = $1 AND b = $2".
std::string NumberPlaceholders(absl::string_view text);

}  // namespace metrocap::store::sql
