#include "common/store/row_writer.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/status/status_macros.h"
#include "common/store/stored_data.h"
#include "common/store/totals.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace metrocap::store {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

const std::string& TextAt(const RowWriter::Row& row, size_t i) {
  static const std::string kEmpty;
  const std::string* s = absl::get_if<std::string>(&row[i]);
  return s ? *s : kEmpty;
}

int64_t IntAt(const RowWriter::Row& row, size_t i) {
  const int64_t* n = absl::get_if<int64_t>(&row[i]);
  return n ? *n : 0;
}

absl::StatusOr<Record> RecordFrom(const RowWriter::Row& row) {
  Record r;
  r.name = TextAt(row, 0);
  r.data = TextAt(row, 1);
  RETURN_IF_ERROR(ReadStoredData(r.name, r.data));
  r.version = IntAt(row, 2);
  r.create_time = absl::FromUnixMicros(IntAt(row, 3));
  r.update_time = absl::FromUnixMicros(IntAt(row, 4));
  return r;
}

// An indexed column's value as the parameter that sets it.
SqlValue ParamOf(ColumnValue value) {
  if (const int64_t* n = absl::get_if<int64_t>(&value)) return *n;
  return absl::get<std::string>(std::move(value));
}

std::string NotFound(const ResourceSchema& schema, absl::string_view name) {
  return absl::StrCat(name, " does not exist");
}

}  // namespace

absl::StatusOr<Record> RowWriter::Get(const ResourceSchema& schema, absl::string_view name) {
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   Query(absl::StrCat("SELECT name, data, version, create_time, update_time FROM ",
                                      schema.table, " WHERE name = ?"),
                         {std::string(name)}));
  if (rows.empty()) return absl::NotFoundError(NotFound(schema, name));
  return RecordFrom(rows[0]);
}

absl::Status RowWriter::WriteColumns(const ResourceSchema& schema, absl::string_view name,
                                     const Message& message, bool replace) {
  for (const Column& column : schema.columns) {
    if (column.kind != ColumnKind::kStringList) continue;
    std::string side = sql::SideTable(schema, column);
    if (replace) {
      RETURN_IF_ERROR(Execute(absl::StrCat("DELETE FROM ", side, " WHERE name = ?"),
                              {std::string(name)}, nullptr));
    }
    ColumnValue value = ExtractColumn(message, column);
    std::vector<std::string> values = absl::get<std::vector<std::string>>(value);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (const std::string& v : values) {
      RETURN_IF_ERROR(Execute(absl::StrCat("INSERT INTO ", side, " (name, value) VALUES (?, ?)"),
                              {std::string(name), v}, nullptr));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Record> RowWriter::Insert(const ResourceSchema& schema, absl::string_view name,
                                         const Message& message) {
  ASSIGN_OR_RETURN(
      std::vector<Row> existing,
      Query(absl::StrCat("SELECT 1 FROM ", schema.table, " WHERE name = ?"), {std::string(name)}));
  if (!existing.empty()) return absl::AlreadyExistsError(absl::StrCat(name, " already exists"));
  Record record;
  record.name = std::string(name);
  record.data = message.SerializeAsString();
  record.version = 1;
  int64_t now = NowMicros();
  record.create_time = record.update_time = absl::FromUnixMicros(now);

  std::vector<std::string> names = {"name",    "collection_parent", "data",
                                    "version", "create_time",       "update_time"};
  std::vector<SqlValue> params = {
      record.name, ParentOf(name), StoredData(schema, record.data), int64_t{1}, now, now};
  for (const Column& column : schema.columns) {
    if (column.kind == ColumnKind::kStringList) continue;
    names.push_back(column.sql_name);
    params.push_back(ParamOf(ExtractColumn(message, column)));
  }
  std::vector<std::string> marks(names.size(), "?");
  RETURN_IF_ERROR(
      Execute(absl::StrCat("INSERT INTO ", schema.table, " (", absl::StrJoin(names, ", "),
                           ") VALUES (", absl::StrJoin(marks, ", "), ")"),
              params, nullptr));
  RETURN_IF_ERROR(WriteColumns(schema, name, message, /*replace=*/false));
  RETURN_IF_ERROR(MoveTotal(*this, schema, absl::nullopt, TotalsKeyOf(schema, name, message)));
  return record;
}

absl::StatusOr<Record> RowWriter::Update(const ResourceSchema& schema, absl::string_view name,
                                         const Message& message, int64_t expected_version) {
  // The row's bookkeeping and indexed columns, not its data: the old message is not needed,
  // and only the columns whose value changes are set, so SQLite leaves the other indexes'
  // pages alone (each page a write touches is logged and checkpointed whole).
  std::vector<const Column*> columns;
  std::string selected = "version, create_time, update_time";
  for (const Column& column : schema.columns) {
    if (column.kind == ColumnKind::kStringList) continue;
    columns.push_back(&column);
    absl::StrAppend(&selected, ", ", column.sql_name);
  }
  ASSIGN_OR_RETURN(std::vector<Row> rows, Query(absl::StrCat("SELECT ", selected, " FROM ",
                                                             schema.table, " WHERE name = ?"),
                                                {std::string(name)}));
  if (rows.empty()) return absl::NotFoundError(NotFound(schema, name));
  const Row& current = rows[0];
  if (IntAt(current, 0) != expected_version) {
    return absl::AbortedError(
        absl::StrCat(name, " was changed by someone else (etag ", expected_version, " is stale)"));
  }
  Record record;
  record.name = std::string(name);
  record.data = message.SerializeAsString();
  record.version = expected_version + 1;
  record.create_time = absl::FromUnixMicros(IntAt(current, 1));
  int64_t now = std::max(NowMicros(), IntAt(current, 2) + 1);
  record.update_time = absl::FromUnixMicros(now);

  std::vector<std::string> sets = {"data = ?", "version = ?", "update_time = ?"};
  std::vector<SqlValue> params = {StoredData(schema, record.data), record.version, now};
  for (size_t i = 0; i < columns.size(); ++i) {
    SqlValue param = ParamOf(ExtractColumn(message, *columns[i]));
    if (param == current[3 + i]) continue;
    sets.push_back(absl::StrCat(columns[i]->sql_name, " = ?"));
    params.push_back(std::move(param));
  }
  params.push_back(std::string(name));
  params.push_back(expected_version);
  ASSIGN_OR_RETURN(absl::optional<TotalsKey> counted_before, StoredTotalsKey(*this, schema, name));
  int64_t changed = 0;
  RETURN_IF_ERROR(Execute(absl::StrCat("UPDATE ", schema.table, " SET ", absl::StrJoin(sets, ", "),
                                       " WHERE name = ? AND version = ?"),
                          params, &changed));
  if (changed != 1) return absl::AbortedError(absl::StrCat(name, " was changed concurrently"));
  RETURN_IF_ERROR(WriteColumns(schema, name, message, /*replace=*/true));
  RETURN_IF_ERROR(MoveTotal(*this, schema, counted_before, TotalsKeyOf(schema, name, message)));
  return record;
}

absl::Status RowWriter::Delete(const ResourceSchema& schema, absl::string_view name,
                               int64_t expected_version) {
  ASSIGN_OR_RETURN(Record current, Get(schema, name));
  if (current.version != expected_version) {
    return absl::AbortedError(
        absl::StrCat(name, " was changed by someone else (etag ", expected_version, " is stale)"));
  }
  ASSIGN_OR_RETURN(absl::optional<TotalsKey> counted, StoredTotalsKey(*this, schema, name));
  // The version again, as Update does: a writer that committed since the reads above (on
  // PostgreSQL, whose writes read committed rows) must not be deleted over, nor its record
  // uncounted under the values it replaced.
  int64_t changed = 0;
  RETURN_IF_ERROR(
      Execute(absl::StrCat("DELETE FROM ", schema.table, " WHERE name = ? AND version = ?"),
              {std::string(name), expected_version}, &changed));
  if (changed != 1) return absl::AbortedError(absl::StrCat(name, " was changed concurrently"));
  RETURN_IF_ERROR(MoveTotal(*this, schema, counted, absl::nullopt));
  for (const Column& column : schema.columns) {
    if (column.kind != ColumnKind::kStringList) continue;
    RETURN_IF_ERROR(
        Execute(absl::StrCat("DELETE FROM ", sql::SideTable(schema, column), " WHERE name = ?"),
                {std::string(name)}, nullptr));
  }
  return absl::OkStatus();
}

absl::StatusOr<ListResult> RowWriter::List(const ResourceSchema& schema, const ListQuery& query) {
  sql::Statement statement = sql::ListStatement(schema, query);
  ASSIGN_OR_RETURN(std::vector<Row> rows, Query(statement.text, statement.params));
  ListResult result;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < query.limit; ++i) {
    ASSIGN_OR_RETURN(Record record, RecordFrom(rows[i]));
    result.records.push_back(std::move(record));
  }
  if (static_cast<int>(rows.size()) > query.limit && query.limit > 0) {
    const Row& last = rows[query.limit - 1];
    query::Cursor cursor;
    for (size_t i = 0; i < query.order.size(); ++i) cursor.values.push_back(last[5 + i]);
    result.next = cursor;
  }
  return result;
}

absl::StatusOr<int64_t> RowWriter::Count(const ResourceSchema& schema, absl::string_view parent,
                                         const query::Condition& filter) {
  ASSIGN_OR_RETURN(absl::optional<int64_t> counted, CountFromTotals(*this, schema, parent, filter));
  if (counted) return *counted;
  sql::Statement statement = sql::CountStatement(schema, parent, filter);
  ASSIGN_OR_RETURN(std::vector<Row> rows, Query(statement.text, statement.params));
  return rows.empty() ? 0 : IntAt(rows[0], 0);
}

absl::StatusOr<std::vector<RowWriter::Row>> RowWriter::Select(absl::string_view text,
                                                              const std::vector<SqlValue>& params) {
  absl::string_view head = absl::StripLeadingAsciiWhitespace(text);
  if (!absl::StartsWithIgnoreCase(head, "SELECT ") && !absl::StartsWithIgnoreCase(head, "WITH ")) {
    return absl::InternalError(absl::StrCat("Select runs SELECT or WITH statements only, not \"",
                                            head.substr(0, head.find(' ')), "\""));
  }
  return Query(std::string(text), params);
}

absl::Status RowWriter::AddCounts(const CounterSchema& counter, const std::vector<SqlValue>& keys,
                                  const std::vector<int64_t>& deltas) {
  if (keys.size() != counter.keys.size() || deltas.size() != counter.counts.size()) {
    return absl::InternalError(absl::StrCat("AddCounts on ", counter.table, " takes ",
                                            counter.keys.size(), " keys and ",
                                            counter.counts.size(), " counts"));
  }
  std::vector<SqlValue> params = keys;
  params.insert(params.end(), deltas.begin(), deltas.end());
  return Execute(sql::AddCountsStatement(counter), params, nullptr);
}

absl::StatusOr<absl::optional<Transaction::RecordedRequest>> RowWriter::FindRequest(
    absl::string_view caller, absl::string_view request_id) {
  int64_t cutoff = absl::ToUnixMicros(absl::Now() - kRequestIdRetention);
  ASSIGN_OR_RETURN(std::vector<Row> rows,
                   Query("SELECT fingerprint, response FROM metrocap_requests WHERE caller = ? AND "
                         "request_id = ? AND create_time > ?",
                         {std::string(caller), std::string(request_id), cutoff}));
  if (rows.empty()) return absl::optional<Transaction::RecordedRequest>();
  return absl::optional<Transaction::RecordedRequest>(
      Transaction::RecordedRequest{TextAt(rows[0], 0), TextAt(rows[0], 1)});
}

absl::Status RowWriter::RecordRequest(absl::string_view caller, absl::string_view request_id,
                                      absl::string_view fingerprint, absl::string_view response) {
  int64_t now = NowMicros();
  RETURN_IF_ERROR(
      Execute("DELETE FROM metrocap_requests WHERE (caller = ? AND request_id = ?) "
              "OR create_time <= ?",
              {std::string(caller), std::string(request_id),
               absl::ToUnixMicros(absl::Now() - kRequestIdRetention)},
              nullptr));
  return Execute(
      "INSERT INTO metrocap_requests (caller, request_id, fingerprint, response, create_time) "
      "VALUES (?, ?, ?, ?, ?)",
      {std::string(caller), std::string(request_id), std::string(fingerprint),
       std::string(response), now},
      nullptr);
}

absl::Status RowWriter::ApplyMigrationStep(const sql::MigrationStep& step,
                                           const ResourceSchema* schema) {
  ASSIGN_OR_RETURN(std::vector<Row> applied,
                   Query("SELECT 1 FROM metrocap_migrations WHERE id = ?", {step.id}));
  if (!applied.empty()) return absl::OkStatus();
  for (const std::string& statement : step.statements) {
    RETURN_IF_ERROR(Execute(statement, {}, nullptr));
  }
  if (step.backfill != nullptr && schema != nullptr) {
    ASSIGN_OR_RETURN(std::vector<Row> rows,
                     Query(absl::StrCat("SELECT name, data FROM ", schema->table), {}));
    const Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(schema->descriptor);
    for (const Row& row : rows) {
      std::unique_ptr<Message> message(prototype->New());
      std::string data = TextAt(row, 1);
      RETURN_IF_ERROR(ReadStoredData(TextAt(row, 0), data));
      if (!message->ParseFromString(data)) {
        return absl::InternalError(absl::StrCat("stored ", TextAt(row, 0), " does not parse"));
      }
      if (step.backfill->kind == ColumnKind::kStringList) {
        RETURN_IF_ERROR(WriteColumns(*schema, TextAt(row, 0), *message, /*replace=*/true));
        continue;
      }
      SqlValue param = ParamOf(ExtractColumn(*message, *step.backfill));
      RETURN_IF_ERROR(Execute(absl::StrCat("UPDATE ", schema->table, " SET ",
                                           step.backfill->sql_name, " = ? WHERE name = ?"),
                              {param, TextAt(row, 0)}, nullptr));
    }
  }
  return Execute("INSERT INTO metrocap_migrations (id, applied_time) VALUES (?, ?)",
                 {step.id, NowMicros()}, nullptr);
}

absl::Status MigrateSchemas(Store& store, const std::vector<const ResourceSchema*>& schemas,
                            absl::string_view integer_type, absl::string_view blob_type) {
  // The bookkeeping tables themselves are created idempotently.
  std::vector<std::pair<sql::MigrationStep, const ResourceSchema*>> steps;
  sql::MigrationStep base;
  base.id = "base:metrocap_requests";
  base.statements = {
      absl::StrCat("CREATE TABLE IF NOT EXISTS metrocap_requests (caller TEXT NOT NULL, "
                   "request_id TEXT NOT NULL, fingerprint TEXT NOT NULL, response ",
                   blob_type, " NOT NULL, create_time ", integer_type,
                   " NOT NULL, PRIMARY KEY (caller, request_id))"),
      "CREATE INDEX IF NOT EXISTS metrocap_requests__create_time ON metrocap_requests "
      "(create_time)"};
  steps.push_back({base, nullptr});
  for (const ResourceSchema* schema : schemas) {
    for (sql::MigrationStep& step : sql::StepsFor(*schema, integer_type, blob_type)) {
      steps.push_back({std::move(step), schema});
    }
  }
  {
    ASSIGN_OR_RETURN(std::unique_ptr<Transaction> tx, store.Begin(Store::Access::kReadWrite));
    auto* writer = dynamic_cast<RowWriter*>(tx.get());
    if (writer == nullptr) return absl::InternalError("store transaction is not a RowWriter");
    RETURN_IF_ERROR(writer->Execute(
        absl::StrCat("CREATE TABLE IF NOT EXISTS metrocap_migrations (id TEXT PRIMARY KEY, "
                     "applied_time ",
                     integer_type, " NOT NULL)"),
        {}, nullptr));
    RETURN_IF_ERROR(tx->Commit());
  }
  for (const auto& [step, schema] : steps) {
    ASSIGN_OR_RETURN(std::unique_ptr<Transaction> tx, store.Begin(Store::Access::kReadWrite));
    auto* writer = dynamic_cast<RowWriter*>(tx.get());
    RETURN_IF_ERROR(writer->ApplyMigrationStep(step, schema));
    RETURN_IF_ERROR(tx->Commit());
  }
  return absl::OkStatus();
}

}  // namespace metrocap::store
