#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/variant.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace metrocap::store {

// What an indexed field holds, which decides its SQL type and how filter literals parse.
enum class ColumnKind {
  kString,     // TEXT
  kInteger,    // INTEGER (int32/int64/uint*)
  kBool,       // INTEGER 0/1; literals true/false
  kEnum,       // TEXT holding the enum value's name; literals are names
  kDate,       // TEXT "YYYY-MM-DD" from google.type.Date ("" when unset)
  kTimestamp,  // INTEGER microseconds since the epoch from google.protobuf.Timestamp
  kStringList  // repeated string, kept in a side table `<table>__<sql_name>(name, value)`
};

// One indexed field of a resource.
struct Column {
  // The field as callers name it in filter/orderBy: lowerCamelCase JSON path, e.g.
  // "memberSince" or "decision.decisionDate".
  std::string field;
  // The SQL column (or side-table suffix) name, snake_case, e.g. "member_since".
  std::string sql_name;
  ColumnKind kind;
};

// A table of counts kept beside a resource type's table, not a resource itself: one row
// per distinct `keys` tuple (TEXT columns, or INTEGER where `integer`), each holding the
// integer `counts` that only Transaction::AddCounts changes, read back with
// Transaction::Select. For totals a service keeps in the same transaction as the writes
// they count, so a read adds up a few rows instead of counting many (hubs' per-day
// report counts). Migrate creates it empty: counts of records stored before it existed
// are not backfilled.
struct CounterSchema {
  struct Key {
    std::string column;
    bool integer = false;
  };
  std::string table;
  std::vector<Key> keys;
  std::vector<std::string> counts;
};

// A resource type kept by the store: one table with name, data (protobuf bytes), version,
// create_time, update_time, collection_parent, plus one real indexed column per Column.
struct ResourceSchema {
  std::string table;
  const google::protobuf::Descriptor* descriptor = nullptr;
  std::vector<Column> columns;
  // Counter tables kept with this resource type, created by Migrate with it.
  std::vector<CounterSchema> counters;
  // The fields (filter names of scalar columns above) the collection is counted by, e.g.
  // {"region", "kind"}. When set, the store keeps the number of records per (collection
  // parent, values of these fields) in the transaction of every Insert, Update and Delete
  // (common/store/totals.h), and Count answers a filter of equalities on these fields, or
  // none, by adding up those numbers instead of counting rows. Migrate fills the numbers
  // from the records already stored, and again whenever this list changes.
  std::vector<std::string> count_by;
  // Indexes over several columns (SQL names, e.g. {"plan", "start_time", "name"}), created
  // by Migrate after the columns, for a read a single-column index cannot answer from the
  // index alone (hubs' progress report lists a plan's session names by start time).
  std::vector<std::vector<std::string>> indexes;
  // Whether `data` is written zstd-compressed (stored_data.h). For resources of a few
  // hundred kB written often, where the bytes written and synced are what a write waits
  // for (roadmaps and their snapshots). Reads handle both forms whatever this says, so it
  // can be switched either way on a table that already has rows.
  bool compress = false;

  // The indexed column for a filter/orderBy field, or nullptr. Also knows the implicit
  // columns "name", "createTime" and "updateTime".
  const Column* Find(absl::string_view field) const;
};

// A value bound to a SQL parameter.
using SqlValue = absl::variant<int64_t, std::string>;

// A column's value in one message: a scalar, or the list for kStringList.
using ColumnValue = absl::variant<int64_t, std::string, std::vector<std::string>>;

// Reads `column` from `message` by reflection (message must be of the schema's type).
ColumnValue ExtractColumn(const google::protobuf::Message& message, const Column& column);

// Builds a schema for `descriptor` from lowerCamelCase field paths; the kind of each is
// derived from the field's type. Crashes on a path that does not exist: schemas are
// written by programmers, not callers.
ResourceSchema MakeSchema(std::string table, const google::protobuf::Descriptor* descriptor,
                          const std::vector<std::string>& fields);

}  // namespace metrocap::store
