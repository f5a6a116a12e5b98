#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/optional.h"
#include "common/store/schema.h"
#include "common/store/sql.h"
#include "common/store/store.h"

namespace metrocap::store {

class RowWriter;
absl::Status MigrateSchemas(Store& store, const std::vector<const ResourceSchema*>& schemas,
                            absl::string_view integer_type, absl::string_view blob_type);

// The SQL behind Transaction, shared by every backend: a backend supplies statement
// execution (with '?' placeholders) and Commit, and inherits every resource operation.
class RowWriter : public Transaction {
 public:
  absl::StatusOr<Record> Get(const ResourceSchema& schema, absl::string_view name) override;
  absl::StatusOr<Record> Insert(const ResourceSchema& schema, absl::string_view name,
                                const google::protobuf::Message& message) override;
  absl::StatusOr<Record> Update(const ResourceSchema& schema, absl::string_view name,
                                const google::protobuf::Message& message,
                                int64_t expected_version) override;
  absl::Status Delete(const ResourceSchema& schema, absl::string_view name,
                      int64_t expected_version) override;
  absl::StatusOr<ListResult> List(const ResourceSchema& schema, const ListQuery& query) override;
  absl::StatusOr<int64_t> Count(const ResourceSchema& schema, absl::string_view parent,
                                const query::Condition& filter) override;
  absl::StatusOr<std::vector<Row>> Select(absl::string_view text,
                                          const std::vector<SqlValue>& params) override;
  absl::Status AddCounts(const CounterSchema& counter, const std::vector<SqlValue>& keys,
                         const std::vector<int64_t>& deltas) override;
  absl::StatusOr<absl::optional<RecordedRequest>> FindRequest(
      absl::string_view caller, absl::string_view request_id) override;
  absl::Status RecordRequest(absl::string_view caller, absl::string_view request_id,
                             absl::string_view fingerprint, absl::string_view response) override;

  // Applies `step` of `schema` unless metrocap_migrations records it; records it. Must run in
  // a read-write transaction of its own.
  absl::Status ApplyMigrationStep(const sql::MigrationStep& step, const ResourceSchema* schema);

 protected:
  // Runs a statement; `changed` (optional) receives the number of rows it changed.
  virtual absl::Status Execute(const std::string& text, const std::vector<SqlValue>& params,
                               int64_t* changed) = 0;
  // Runs a query; integer columns come back as int64_t, all others as bytes.
  virtual absl::StatusOr<std::vector<Row>> Query(const std::string& text,
                                                 const std::vector<SqlValue>& params) = 0;

 private:
  friend absl::Status MigrateSchemas(Store& store,
                                     const std::vector<const ResourceSchema*>& schemas,
                                     absl::string_view integer_type, absl::string_view blob_type);
  absl::Status WriteColumns(const ResourceSchema& schema, absl::string_view name,
                            const google::protobuf::Message& message, bool replace);
};

// Applies every pending migration step of `schemas` (plus the store's own tables), each
// in its own transaction, recording applied step ids in metrocap_migrations so re-runs skip
// them. A step adding an indexed column backfills it from the stored messages.
absl::Status MigrateSchemas(Store& store, const std::vector<const ResourceSchema*>& schemas,
                            absl::string_view integer_type, absl::string_view blob_type);

// The cutoff for request ids: a repeat after this long is a new request.
inline constexpr absl::Duration kRequestIdRetention = absl::Hours(24);

}  // namespace metrocap::store
