#include "common/store/totals.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/status_macros.h"

namespace metrocap::store {
namespace {

constexpr char kParentColumn[] = "collection_parent";
constexpr char kRecordsColumn[] = "records";

// The counted columns, in the order of count_by.
std::vector<const Column*> CountedColumns(const ResourceSchema& schema) {
  std::vector<const Column*> counted;
  for (const std::string& field : schema.count_by) {
    const Column* column = nullptr;
    for (const Column& c : schema.columns) {
      if (c.field == field) column = &c;
    }
    if (column == nullptr || column->kind == ColumnKind::kStringList) {
      std::fprintf(stderr, "schema %s: count_by field %s is not a scalar column\n",
                   schema.table.c_str(), field.c_str());
      std::abort();
    }
    counted.push_back(column);
  }
  return counted;
}

std::string TotalsTable(const ResourceSchema& schema) {
  return absl::StrCat(schema.table, "__totals");
}

}  // namespace

CounterSchema TotalsCounter(const ResourceSchema& schema) {
  CounterSchema counter;
  counter.table = TotalsTable(schema);
  counter.keys.push_back({kParentColumn, false});
  for (const Column* column : CountedColumns(schema)) {
    counter.keys.push_back({column->sql_name, sql::IsIntegerKind(column->kind)});
  }
  counter.counts = {kRecordsColumn};
  return counter;
}

absl::optional<TotalsKey> TotalsKeyOf(const ResourceSchema& schema, absl::string_view name,
                                      const google::protobuf::Message& message) {
  if (schema.count_by.empty()) return absl::nullopt;
  TotalsKey key = {ParentOf(name)};
  for (const Column* column : CountedColumns(schema)) {
    ColumnValue value = ExtractColumn(message, *column);
    if (const int64_t* n = absl::get_if<int64_t>(&value)) {
      key.push_back(*n);
    } else {
      key.push_back(absl::get<std::string>(value));
    }
  }
  return key;
}

absl::StatusOr<absl::optional<TotalsKey>> StoredTotalsKey(Transaction& tx,
                                                          const ResourceSchema& schema,
                                                          absl::string_view name) {
  if (schema.count_by.empty()) return absl::optional<TotalsKey>();
  std::vector<std::string> columns = {kParentColumn};
  for (const Column* column : CountedColumns(schema)) columns.push_back(column->sql_name);
  ASSIGN_OR_RETURN(std::vector<Transaction::Row> rows,
                   tx.Select(absl::StrCat("SELECT ", absl::StrJoin(columns, ", "), " FROM ",
                                          schema.table, " WHERE name = ?"),
                             {std::string(name)}));
  if (rows.empty()) return absl::NotFoundError(absl::StrCat(name, " does not exist"));
  return absl::optional<TotalsKey>(std::move(rows[0]));
}

absl::Status MoveTotal(Transaction& tx, const ResourceSchema& schema,
                       const absl::optional<TotalsKey>& from, const absl::optional<TotalsKey>& to) {
  if (from == to) return absl::OkStatus();
  CounterSchema counter = TotalsCounter(schema);
  std::vector<std::pair<TotalsKey, int64_t>> moves;
  if (from) moves.push_back({*from, -1});
  if (to) moves.push_back({*to, +1});
  std::sort(moves.begin(), moves.end());
  for (const auto& [key, delta] : moves) RETURN_IF_ERROR(tx.AddCounts(counter, key, {delta}));
  return absl::OkStatus();
}

absl::StatusOr<absl::optional<int64_t>> CountFromTotals(Transaction& tx,
                                                        const ResourceSchema& schema,
                                                        absl::string_view parent,
                                                        const query::Condition& filter) {
  if (schema.count_by.empty()) return absl::optional<int64_t>();
  if (!filter.sql.empty()) {
    if (!filter.equalities) return absl::optional<int64_t>();
    std::vector<const Column*> counted = CountedColumns(schema);
    for (const std::string& sql_name : *filter.equalities) {
      if (std::none_of(counted.begin(), counted.end(),
                       [&](const Column* c) { return c->sql_name == sql_name; })) {
        return absl::optional<int64_t>();
      }
    }
  }
  // The filter's SQL names the counted columns as the totals table names them.
  std::vector<SqlValue> params;
  std::string where = sql::WhereClause(parent, filter, nullptr, &params);
  ASSIGN_OR_RETURN(std::vector<Transaction::Row> rows,
                   tx.Select(absl::StrCat("SELECT CAST(COALESCE(SUM(", kRecordsColumn,
                                          "), 0) AS BIGINT) FROM ", TotalsTable(schema), where),
                             params));
  const int64_t* sum = rows.empty() ? nullptr : absl::get_if<int64_t>(&rows[0][0]);
  if (sum == nullptr) return absl::InternalError("the totals' sum is not an integer");
  return absl::optional<int64_t>(*sum);
}

namespace sql {

MigrationStep TotalsStep(const ResourceSchema& schema, absl::string_view integer_type) {
  CounterSchema counter = TotalsCounter(schema);
  std::vector<std::string> keys;
  for (const CounterSchema::Key& key : counter.keys) keys.push_back(key.column);
  std::string key_list = absl::StrJoin(keys, ", ");
  MigrationStep step;
  step.id = absl::StrCat("totals:", counter.table, "(", absl::StrJoin(keys, ","), ")");
  step.statements = {
      absl::StrCat("DROP TABLE IF EXISTS ", counter.table),
      CreateCounterStatement(counter, integer_type),
      absl::StrCat("INSERT INTO ", counter.table, " (", key_list, ", ", kRecordsColumn, ") SELECT ",
                   key_list, ", COUNT(*) FROM ", schema.table, " GROUP BY ", key_list)};
  return step;
}

}  // namespace sql
}  // namespace metrocap::store
