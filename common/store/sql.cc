#include "common/store/sql.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/store/totals.h"

namespace metrocap::store::sql {

bool IsIntegerKind(ColumnKind kind) {
  return kind == ColumnKind::kInteger || kind == ColumnKind::kBool ||
         kind == ColumnKind::kTimestamp;
}

std::string SideTable(const ResourceSchema& schema, const Column& column) {
  return absl::StrCat(schema.table, "__", column.sql_name);
}

std::vector<MigrationStep> StepsFor(const ResourceSchema& schema, absl::string_view integer_type,
                                    absl::string_view blob_type) {
  const std::string& t = schema.table;
  std::vector<MigrationStep> steps;
  steps.push_back(
      {absl::StrCat("create:", t),
       {absl::StrCat("CREATE TABLE IF NOT EXISTS ", t,
                     " (name TEXT PRIMARY KEY, collection_parent TEXT NOT NULL, data ", blob_type,
                     " NOT NULL, version ", integer_type, " NOT NULL, create_time ", integer_type,
                     " NOT NULL, update_time ", integer_type, " NOT NULL)"),
        absl::StrCat("CREATE INDEX IF NOT EXISTS ", t, "__collection_parent ON ", t,
                     " (collection_parent, name)"),
        absl::StrCat("CREATE INDEX IF NOT EXISTS ", t, "__create_time ON ", t, " (create_time)"),
        absl::StrCat("CREATE INDEX IF NOT EXISTS ", t, "__update_time ON ", t, " (update_time)")}});
  for (const CounterSchema& counter : schema.counters) {
    steps.push_back(
        {absl::StrCat("counter:", counter.table), {CreateCounterStatement(counter, integer_type)}});
  }
  for (const Column& column : schema.columns) {
    if (column.kind == ColumnKind::kStringList) {
      std::string side = SideTable(schema, column);
      steps.push_back(
          {absl::StrCat("side-table:", side),
           {absl::StrCat("CREATE TABLE IF NOT EXISTS ", side,
                         " (name TEXT NOT NULL, value TEXT NOT NULL, "
                         "PRIMARY KEY (value, name))"),
            absl::StrCat("CREATE INDEX IF NOT EXISTS ", side, "__name ON ", side, " (name)")},
           &column});
      continue;
    }
    bool integer = IsIntegerKind(column.kind);
    steps.push_back({absl::StrCat("column:", t, ".", column.sql_name),
                     {absl::StrCat("ALTER TABLE ", t, " ADD COLUMN ", column.sql_name, " ",
                                   integer ? std::string(integer_type) : "TEXT",
                                   " NOT NULL DEFAULT ", integer ? "0" : "''"),
                      absl::StrCat("CREATE INDEX IF NOT EXISTS ", t, "__", column.sql_name, " ON ",
                                   t, " (", column.sql_name, ")")},
                     &column});
  }
  for (const std::vector<std::string>& columns : schema.indexes) {
    std::string index = absl::StrCat(t, "__", absl::StrJoin(columns, "__"));
    steps.push_back({absl::StrCat("index:", index),
                     {absl::StrCat("CREATE INDEX IF NOT EXISTS ", index, " ON ", t, " (",
                                   absl::StrJoin(columns, ", "), ")")}});
  }
  // Last: the totals count the columns the steps above added and backfilled.
  if (!schema.count_by.empty()) steps.push_back(TotalsStep(schema, integer_type));
  return steps;
}

std::string CreateCounterStatement(const CounterSchema& counter, absl::string_view integer_type) {
  std::vector<std::string> columns, keys;
  for (const CounterSchema::Key& key : counter.keys) {
    columns.push_back(
        absl::StrCat(key.column, " ", key.integer ? integer_type : "TEXT", " NOT NULL"));
    keys.push_back(key.column);
  }
  for (const std::string& count : counter.counts) {
    columns.push_back(absl::StrCat(count, " ", integer_type, " NOT NULL DEFAULT 0"));
  }
  return absl::StrCat("CREATE TABLE IF NOT EXISTS ", counter.table, " (",
                      absl::StrJoin(columns, ", "), ", PRIMARY KEY (", absl::StrJoin(keys, ", "),
                      "))");
}

std::string AddCountsStatement(const CounterSchema& counter) {
  std::vector<std::string> columns, marks, keys, sums;
  for (const CounterSchema::Key& key : counter.keys) {
    columns.push_back(key.column);
    keys.push_back(key.column);
    marks.push_back("?");
  }
  for (const std::string& count : counter.counts) {
    columns.push_back(count);
    marks.push_back("?");
    sums.push_back(absl::StrCat(count, " = ", counter.table, ".", count, " + excluded.", count));
  }
  return absl::StrCat("INSERT INTO ", counter.table, " (", absl::StrJoin(columns, ", "),
                      ") VALUES (", absl::StrJoin(marks, ", "), ") ON CONFLICT (",
                      absl::StrJoin(keys, ", "), ") DO UPDATE SET ", absl::StrJoin(sums, ", "));
}

namespace {

void AppendCondition(const query::Condition& condition, std::string* where,
                     std::vector<SqlValue>* params) {
  if (condition.sql.empty()) return;
  absl::StrAppend(where, " AND (", condition.sql, ")");
  params->insert(params->end(), condition.params.begin(), condition.params.end());
}

}  // namespace

std::string WhereClause(absl::string_view parent, const query::Condition& filter,
                        const query::Condition* cursor, std::vector<SqlValue>* params) {
  std::string where = " WHERE 1=1";
  if (!parent.empty()) {
    where += " AND collection_parent = ?";
    params->push_back(std::string(parent));
  }
  AppendCondition(filter, &where, params);
  if (cursor != nullptr) AppendCondition(*cursor, &where, params);
  return where;
}

Statement ListStatement(const ResourceSchema& schema, const ListQuery& query) {
  Statement s;
  std::string columns = "name, data, version, create_time, update_time";
  for (const query::OrderTerm& term : query.order)
    absl::StrAppend(&columns, ", ", term.column->sql_name);
  query::Condition cursor;
  if (query.after) cursor = query::AfterCursor(query.order, *query.after);
  std::string where =
      WhereClause(query.parent, query.filter, query.after ? &cursor : nullptr, &s.params);
  s.text = absl::StrCat("SELECT ", columns, " FROM ", schema.table, where, " ORDER BY ",
                        query::OrderByClause(query.order), " LIMIT ", query.limit + 1);
  return s;
}

Statement CountStatement(const ResourceSchema& schema, absl::string_view parent,
                         const query::Condition& filter) {
  Statement s;
  s.text = absl::StrCat("SELECT COUNT(*) FROM ", schema.table,
                        WhereClause(parent, filter, nullptr, &s.params));
  return s;
}

std::string NumberPlaceholders(absl::string_view text) {
  std::string out;
  int n = 0;
  bool in_string = false;
  for (char c : text) {
    if (c == '\'') in_string = !in_string;
    if (c == '?' && !in_string) {
      absl::StrAppend(&out, "$", ++n);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace metrocap::store::sql
