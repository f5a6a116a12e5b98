#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "common/query/filter.h"
#include "common/query/order_by.h"
#include "common/store/schema.h"

namespace metrocap::store {

// One stored resource: its name, the message as protobuf bytes and its bookkeeping.
struct Record {
  std::string name;
  std::string data;
  // Bumped on every write; the etag callers see is derived from it.
  int64_t version = 0;
  absl::Time create_time;
  absl::Time update_time;
};

// A List over one resource type. `parent` restricts to resources directly under it
// ("organisations/milan" for "organisations/milan/assessments/x"); empty means all.
struct ListQuery {
  std::string parent;
  query::Condition filter;
  std::vector<query::OrderTerm> order;  // from query::ParseOrderBy (ends with name)
  absl::optional<query::Cursor> after;  // keyset position from the previous page
  int limit = 50;
};

struct ListResult {
  std::vector<Record> records;
  // Set when more rows follow: the cursor after the last returned record.
  absl::optional<query::Cursor> next;
};

// A unit of work on the store. Reads see the transaction's own writes. Nothing is visible
// to others, nor durable, before Commit() returns OK. Destroying an uncommitted
// transaction rolls it back.
class Transaction {
 public:
  virtual ~Transaction() = default;

  // NOT_FOUND when absent.
  virtual absl::StatusOr<Record> Get(const ResourceSchema& schema, absl::string_view name) = 0;
  // Writes a new record (version 1, both times = now) with its indexed columns taken from
  // `message`. ALREADY_EXISTS when the name is taken. Returns the stored record.
  virtual absl::StatusOr<Record> Insert(const ResourceSchema& schema, absl::string_view name,
                                        const google::protobuf::Message& message) = 0;
  // Replaces a record; ABORTED when its version is not `expected_version`, NOT_FOUND when
  // absent. Returns the stored record (version + 1, update_time = now).
  virtual absl::StatusOr<Record> Update(const ResourceSchema& schema, absl::string_view name,
                                        const google::protobuf::Message& message,
                                        int64_t expected_version) = 0;
  // NOT_FOUND when absent, ABORTED on a version mismatch.
  virtual absl::Status Delete(const ResourceSchema& schema, absl::string_view name,
                              int64_t expected_version) = 0;
  virtual absl::StatusOr<ListResult> List(const ResourceSchema& schema, const ListQuery& query) = 0;
  // Number of records matching `filter` under `parent` (empty = all). Added up from the
  // schema's counted totals when they can answer (ResourceSchema::count_by, totals.h),
  // counted row by row otherwise; the same number either way.
  virtual absl::StatusOr<int64_t> Count(const ResourceSchema& schema, absl::string_view parent,
                                        const query::Condition& filter) = 0;

  // Runs a read-only statement a service built over its own tables and side tables, for
  // what List and Count cannot express (a grouped count over several side tables): a
  // SELECT, or a WITH ... SELECT, with '?' placeholders bound to `params` in order
  // (PostgreSQL's are renumbered, as for every statement). Returns its rows: integer
  // columns (COUNT, integer columns and literals) as int64_t, all others as bytes, NULL as
  // "". The statement must not write. INTERNAL for a statement that does not start with
  // SELECT or WITH, or that the database refuses (a broken statement, not bad input);
  // UNAVAILABLE when the database cannot be reached.
  using Row = std::vector<SqlValue>;
  virtual absl::StatusOr<std::vector<Row>> Select(absl::string_view text,
                                                  const std::vector<SqlValue>& params) = 0;

  // Adds `deltas` (in the order of counter.counts) to the row of `counter` keyed by `keys`
  // (in the order of counter.keys; int64_t for INTEGER keys), the row starting at 0 when
  // absent; one statement, visible to the transaction at once and to others on commit. A
  // row whose counts return to 0 stays. INTERNAL when the sizes differ from the schema's.
  // The counter must belong to a schema this store was migrated with.
  virtual absl::Status AddCounts(const CounterSchema& counter, const std::vector<SqlValue>& keys,
                                 const std::vector<int64_t>& deltas) = 0;

  // Request ids (AIP-155): the response recorded for (caller, request_id), if any, with the
  // fingerprint of the request that produced it.
  struct RecordedRequest {
    std::string request_fingerprint;
    std::string response;
  };
  virtual absl::StatusOr<absl::optional<RecordedRequest>> FindRequest(
      absl::string_view caller, absl::string_view request_id) = 0;
  virtual absl::Status RecordRequest(absl::string_view caller, absl::string_view request_id,
                                     absl::string_view request_fingerprint,
                                     absl::string_view response) = 0;

  // Makes every write durable and visible. UNAVAILABLE when the database cannot be reached;
  // ABORTED when a concurrent writer won.
  virtual absl::Status Commit() = 0;
};

// A resource store: the one way every service keeps its resources.
class Store {
 public:
  virtual ~Store() = default;

  // Creates tables, indexes and side tables for every schema and applies pending versioned
  // migrations. Safe to call again and from several processes at once.
  virtual absl::Status Migrate(const std::vector<const ResourceSchema*>& schemas) = 0;

  enum class Access { kReadOnly, kReadWrite };
  // Starts a transaction. Read-only ones see a consistent snapshot and run concurrently;
  // read-write ones are serialized. UNAVAILABLE when no connection can be had.
  virtual absl::StatusOr<std::unique_ptr<Transaction>> Begin(Access access) = 0;

  // Runs `work` in a transaction and commits it. Runs it again, in a new transaction after a
  // short random backoff, when the commit is ABORTED or the database failed the transaction
  // to resolve a conflict with a concurrent one (serialization failure, deadlock; see
  // conflict.h). So `work` may run several times: it should change nothing outside `tx` but
  // the results it hands back. Any other failure of `work`, such as an ABORTED version
  // check, is returned at once. ABORTED after 8 attempts lost to concurrent writers;
  // UNAVAILABLE when no transaction can be begun.
  absl::Status RunInTransaction(const std::function<absl::Status(Transaction&)>& work);
};

// The etag callers see for a record version, and back. ParseEtag returns INVALID_ARGUMENT
// naming "etag" for a malformed one.
std::string EtagOf(int64_t version);
absl::StatusOr<int64_t> ParseEtag(absl::string_view etag);

// Fills a message from a record: parses the bytes and sets the output-only `etag`,
// `create_time` and `update_time` fields when the message has them. INTERNAL when the
// stored bytes do not parse (a broken invariant, not bad input).
absl::Status DecodeRecord(const Record& record, google::protobuf::Message* message);

// Sets the output-only `etag`, `create_time` and `update_time` fields a message has from
// `record`'s bookkeeping: what DecodeRecord does after parsing, for a message the caller
// already holds as it was written (a large one need not be parsed back).
void StampRecord(const Record& record, google::protobuf::Message* message);

// The collection parent of a resource name: "a/b/c/d" -> "a/b"; "a/b" -> "".
std::string ParentOf(absl::string_view name);

}  // namespace metrocap::store
