#include "common/store/postgres_store.h"

#include <endian.h>
#include <libpq-fe.h>

#include <cstring>
#include <map>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "common/status/status_macros.h"
#include "common/store/conflict.h"
#include "common/store/row_writer.h"
#include "common/store/sql.h"

namespace metrocap::store {
namespace {

// Type OIDs from pg_type.h (not installed by libpq-dev); stable since PostgreSQL 7.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

// The advisory lock key that serializes migrations across replicas: "metrocap" in ASCII.
constexpr int64_t kMigrationLockKey = 0x6d6574726f636170;

// Prepared statements kept per connection before the cache is dropped and rebuilt; List
// statements inline their LIMIT, so the set of texts is open-ended.
constexpr size_t kMaxPreparedStatements = 256;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string Trimmed(const char* text) {
  return std::string(absl::StripTrailingAsciiWhitespace(text == nullptr ? "" : text));
}

// One server connection with its prepared statements. Not thread-safe: a transaction owns it.
class Connection {
 public:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool broken() const { return broken_ || PQstatus(conn_) != CONNECTION_OK; }
  // Whether the current transaction lost a conflict (see Check); reset by BEGIN.
  bool lost_conflict() const { return lost_conflict_; }
  bool reused = false;  // came from the idle list, so it may have died while idle

  // A statement without parameters, sent as is (BEGIN, COMMIT, locks).
  absl::StatusOr<Result> Simple(const std::string& text) {
    if (absl::StartsWith(text, "BEGIN")) lost_conflict_ = false;
    Result result(PQexec(conn_, text.c_str()));
    RETURN_IF_ERROR(Check(result.get(), text));
    return result;
  }

  // A statement with '?' parameters, prepared once per connection. Results come back in
  // binary form; integers are sent as int8, strings as binary text/bytea (so the BYTEA data
  // column receives its bytes unescaped).
  absl::StatusOr<Result> Run(const std::string& text, const std::vector<SqlValue>& params) {
    std::string key = text;
    key.push_back('\0');
    for (const SqlValue& p : params) key.push_back(absl::holds_alternative<int64_t>(p) ? 'i' : 's');
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      std::string name = absl::StrCat("m", next_statement_++);
      std::vector<Oid> types;
      for (const SqlValue& p : params) {
        types.push_back(absl::holds_alternative<int64_t>(p) ? kInt8Oid : 0);
      }
      Result prepared(PQprepare(conn_, name.c_str(), sql::NumberPlaceholders(text).c_str(),
                                static_cast<int>(types.size()), types.data()));
      RETURN_IF_ERROR(Check(prepared.get(), text));
      it = prepared_.emplace(std::move(key), std::move(name)).first;
    }
    std::vector<uint64_t> integers(params.size());
    std::vector<const char*> values(params.size());
    std::vector<int> lengths(params.size());
    std::vector<int> formats(params.size(), 1);
    for (size_t i = 0; i < params.size(); ++i) {
      if (const int64_t* n = absl::get_if<int64_t>(&params[i])) {
        integers[i] = htobe64(static_cast<uint64_t>(*n));
        values[i] = reinterpret_cast<const char*>(&integers[i]);
        lengths[i] = 8;
      } else {
        const std::string& s = absl::get<std::string>(params[i]);
        values[i] = s.data();
        lengths[i] = static_cast<int>(s.size());
      }
    }
    Result result(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                                 values.data(), lengths.data(), formats.data(),
                                 /*resultFormat=*/1));
    RETURN_IF_ERROR(Check(result.get(), text));
    return result;
  }

  // Between transactions: forgets prepared statements once there are too many.
  void TrimStatements() {
    if (prepared_.size() < kMaxPreparedStatements) return;
    if (Simple("DEALLOCATE ALL").ok()) prepared_.clear();
  }

 private:
  absl::Status Check(const PGresult* result, absl::string_view text) {
    ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return absl::OkStatus();
    const char* state_field = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string state = state_field ? state_field : "";
    std::string message =
        absl::StrCat("postgres: ", Trimmed(result ? PQresultErrorMessage(result) : nullptr));
    if (message == "postgres: ")
      message = absl::StrCat("postgres: ", Trimmed(PQerrorMessage(conn_)));
    // Connection exceptions (class 08), the server shutting down or starting (57P0x) and a
    // dead socket all mean "try again later"; the connection itself is finished.
    if (PQstatus(conn_) != CONNECTION_OK || absl::StartsWith(state, "08") ||
        absl::StartsWith(state, "57P")) {
      broken_ = true;
      return absl::UnavailableError(message);
    }
    // The server failed this transaction to resolve a conflict with another one: running
    // it again may succeed (RunInTransaction does). A statement after that one fails with
    // 25P02, the same conflict seen later.
    if (state == "40001" || state == "40P01" || (state == "25P02" && lost_conflict_)) {
      lost_conflict_ = true;
      return TransactionConflictError(message);
    }
    if (state == "55P03" || state == "25P02") return absl::AbortedError(message);
    if (state == "23505") return absl::AlreadyExistsError(message);
    if (state == "57014") return absl::DeadlineExceededError(message);
    if (absl::StartsWith(state, "53")) return absl::UnavailableError(message);
    return absl::InternalError(absl::StrCat(message, " [", state, "] in: ", text));
  }

  PGconn* conn_;
  bool broken_ = false;
  bool lost_conflict_ = false;
  std::map<std::string, std::string> prepared_;  // text + parameter kinds -> statement name
  int64_t next_statement_ = 0;
};

// Decodes binary result columns: integers as int64_t, everything else as bytes.
std::vector<RowWriter::Row> RowsOf(const PGresult* result) {
  std::vector<RowWriter::Row> rows;
  int columns = PQnfields(result);
  for (int r = 0; r < PQntuples(result); ++r) {
    RowWriter::Row row;
    row.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      const char* value = PQgetvalue(result, r, c);
      int length = PQgetlength(result, r, c);
      Oid type = PQftype(result, c);
      if (PQgetisnull(result, r, c)) {
        row.push_back(std::string());
      } else if (type == kInt8Oid && length == 8) {
        uint64_t n;
        std::memcpy(&n, value, 8);
        row.push_back(static_cast<int64_t>(be64toh(n)));
      } else if (type == kInt4Oid && length == 4) {
        uint32_t n;
        std::memcpy(&n, value, 4);
        row.push_back(static_cast<int64_t>(static_cast<int32_t>(be32toh(n))));
      } else if (type == kInt2Oid && length == 2) {
        uint16_t n;
        std::memcpy(&n, value, 2);
        row.push_back(static_cast<int64_t>(static_cast<int16_t>(be16toh(n))));
      } else if (type == kBoolOid && length == 1) {
        row.push_back(static_cast<int64_t>(value[0] != 0));
      } else {
        row.push_back(std::string(value, length));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

class PostgresStore;

class PostgresTransaction : public RowWriter {
 public:
  PostgresTransaction(PostgresStore* store, std::unique_ptr<Connection> connection, bool read_write)
      : store_(store), connection_(std::move(connection)), read_write_(read_write) {}
  ~PostgresTransaction() override;

  // In a read-write transaction the row stays locked until commit, so a Get-then-Update by
  // two transactions runs one after the other instead of failing the second.
  absl::StatusOr<Record> Get(const ResourceSchema& schema, absl::string_view name) override {
    lock_next_read_ = read_write_;
    absl::StatusOr<Record> record = RowWriter::Get(schema, name);
    lock_next_read_ = false;
    return record;
  }

  absl::Status Commit() override {
    done_ = true;
    ASSIGN_OR_RETURN(Result result, connection_->Simple("COMMIT"));
    // A transaction that already failed ends with ROLLBACK even when asked to commit.
    if (std::strcmp(PQcmdStatus(result.get()), "COMMIT") != 0) {
      constexpr char kRolledBack[] = "postgres: the transaction was rolled back after an error";
      if (connection_->lost_conflict()) return TransactionConflictError(kRolledBack);
      return absl::AbortedError(kRolledBack);
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Execute(const std::string& text, const std::vector<SqlValue>& params,
                       int64_t* changed) override {
    ASSIGN_OR_RETURN(Result result, connection_->Run(text, params));
    if (changed != nullptr) {
      int64_t n = 0;
      *changed = absl::SimpleAtoi(PQcmdTuples(result.get()), &n) ? n : 0;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<Row>> Query(const std::string& text,
                                         const std::vector<SqlValue>& params) override {
    ASSIGN_OR_RETURN(Result result,
                     connection_->Run(lock_next_read_ ? text + " FOR UPDATE" : text, params));
    return RowsOf(result.get());
  }

  PostgresStore* store_;
  std::unique_ptr<Connection> connection_;
  const bool read_write_;
  bool lock_next_read_ = false;
  bool done_ = false;
};

class PostgresStore : public Store {
 public:
  PostgresStore(std::vector<std::string> keywords, std::vector<std::string> values, int limit,
                absl::Duration acquire_timeout)
      : keywords_(std::move(keywords)),
        values_(std::move(values)),
        limit_(limit),
        acquire_timeout_(acquire_timeout) {}

  absl::Status Migrate(const std::vector<const ResourceSchema*>& schemas) override {
    // A session-level advisory lock on a connection of its own: replicas starting together
    // queue here, and each step is applied (and recorded) by exactly one of them.
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> holder, Acquire());
    absl::Status status =
        holder->Simple(absl::StrCat("SELECT pg_advisory_lock(", kMigrationLockKey, ")")).status();
    if (status.ok()) {
      status = MigrateSchemas(*this, schemas, "BIGINT", "BYTEA");
      absl::Status unlocked =
          holder->Simple(absl::StrCat("SELECT pg_advisory_unlock(", kMigrationLockKey, ")"))
              .status();
      if (status.ok()) status = unlocked;
    }
    Release(std::move(holder));
    return status;
  }

  absl::StatusOr<std::unique_ptr<Transaction>> Begin(Access access) override {
    const bool read_write = access == Access::kReadWrite;
    const char* begin = read_write ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                                   : "BEGIN ISOLATION LEVEL REPEATABLE READ";
    // Idle connections die with a database restart; each one found dead is dropped and the
    // next tried, so callers see UNAVAILABLE only when no fresh connection can be opened.
    while (true) {
      ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Acquire());
      connection->TrimStatements();
      absl::Status begun = connection->Simple(begin).status();
      if (begun.ok()) {
        return std::unique_ptr<Transaction>(
            new PostgresTransaction(this, std::move(connection), read_write));
      }
      bool stale = connection->reused && connection->broken();
      Release(std::move(connection));
      if (!stale) return begun;
    }
  }

  absl::StatusOr<std::unique_ptr<Connection>> Acquire() {
    {
      absl::MutexLock lock(&mu_);
      auto available = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return !idle_.empty() || open_ < limit_;
      };
      if (!mu_.AwaitWithTimeout(absl::Condition(&available), acquire_timeout_)) {
        return absl::UnavailableError(absl::StrCat("postgres: all ", limit_,
                                                   " connections busy for ",
                                                   absl::FormatDuration(acquire_timeout_)));
      }
      if (!idle_.empty()) {
        std::unique_ptr<Connection> connection = std::move(idle_.back());
        idle_.pop_back();
        connection->reused = true;
        return connection;
      }
      ++open_;
    }
    std::vector<const char*> keywords;
    std::vector<const char*> values;
    for (size_t i = 0; i < keywords_.size(); ++i) {
      keywords.push_back(keywords_[i].c_str());
      values.push_back(values_[i].c_str());
    }
    keywords.push_back(nullptr);
    values.push_back(nullptr);
    PGconn* conn = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/0);
    auto connection = std::make_unique<Connection>(conn);
    // Notices (NOTICE: relation already exists, the server's goodbye on shutdown) would go
    // to stderr; errors reach callers as statuses instead.
    if (conn != nullptr)
      PQsetNoticeProcessor(
          conn, [](void*, const char*) {}, nullptr);
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
      std::string why = conn ? Trimmed(PQerrorMessage(conn)) : "out of memory";
      absl::MutexLock lock(&mu_);
      --open_;
      return absl::UnavailableError(absl::StrCat("postgres: cannot connect: ", why));
    }
    return connection;
  }

  void Release(std::unique_ptr<Connection> connection) {
    absl::MutexLock lock(&mu_);
    if (connection->broken()) {
      --open_;
      connection.reset();
      return;
    }
    connection->reused = false;
    idle_.push_back(std::move(connection));
  }

 private:
  const std::vector<std::string> keywords_;
  const std::vector<std::string> values_;
  const int limit_;
  const absl::Duration acquire_timeout_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
};

PostgresTransaction::~PostgresTransaction() {
  if (!done_ && !connection_->broken()) connection_->Simple("ROLLBACK").IgnoreError();
  store_->Release(std::move(connection_));
}

// Splits pool_max_conns out of the URL's query string; libpq rejects unknown parameters.
absl::StatusOr<std::string> TakePoolSize(const std::string& url, int* pool_size) {
  size_t question = url.find('?');
  if (question == std::string::npos) return url;
  std::vector<std::string> kept;
  for (absl::string_view pair : absl::StrSplit(url.substr(question + 1), '&', absl::SkipEmpty())) {
    if (absl::ConsumePrefix(&pair, "pool_max_conns=")) {
      if (!absl::SimpleAtoi(pair, pool_size) || *pool_size < 2 || *pool_size > 1000) {
        return absl::InvalidArgumentError("database URL: pool_max_conns must be in 2..1000");
      }
      continue;
    }
    kept.emplace_back(pair);
  }
  std::string base = url.substr(0, question);
  return kept.empty() ? base : absl::StrCat(base, "?", absl::StrJoin(kept, "&"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options) {
  int pool_size = options.pool_size;
  ASSIGN_OR_RETURN(std::string url, TakePoolSize(options.url, &pool_size));
  // Migrate holds one connection while its steps use another.
  if (pool_size < 2) return absl::InvalidArgumentError("postgres pool size must be at least 2");
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &error);
  if (parsed == nullptr) {
    std::string why = error ? Trimmed(error) : "out of memory";
    PQfreemem(error);
    return absl::InvalidArgumentError(absl::StrCat("database URL: ", why));
  }
  std::vector<std::string> keywords;
  std::vector<std::string> values;
  for (PQconninfoOption* o = parsed; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || o->val[0] == '\0') continue;
    keywords.push_back(o->keyword);
    values.push_back(o->val);
  }
  PQconninfoFree(parsed);
  auto set_default = [&](const std::string& keyword, const std::string& value) {
    for (const std::string& k : keywords) {
      if (k == keyword) return;
    }
    keywords.push_back(keyword);
    values.push_back(value);
  };
  set_default("connect_timeout",
              absl::StrCat(std::max<int64_t>(1, absl::ToInt64Seconds(options.connect_timeout))));
  // A server that stops answering mid-statement fails the statement instead of hanging it.
  set_default("tcp_user_timeout", absl::StrCat(absl::ToInt64Milliseconds(options.io_timeout)));
  set_default("keepalives", "1");
  set_default("keepalives_idle", "5");
  set_default("keepalives_interval", "2");
  set_default("keepalives_count", "3");
  set_default("application_name", "metrocap");

  auto store = std::make_unique<PostgresStore>(std::move(keywords), std::move(values), pool_size,
                                               options.acquire_timeout);
  // One connection now, so a wrong URL or password fails at start-up.
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, store->Acquire());
  store->Release(std::move(connection));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace metrocap::store
