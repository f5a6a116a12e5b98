#include "tests/support/store_backends.h"

#include "absl/status/status.h"
#include "common/status/status_macros.h"
#include "common/store/postgres_store.h"
#include "common/store/sqlite_store.h"

namespace metrocap::testing {

StoreBackend SqliteStoreBackend() {
  return {"SQLite",
          [](const std::string& temp_dir, const std::string& store_name) {
            return store::OpenSqliteStore(temp_dir + "/" + store_name + ".db");
          },
          nullptr};
}

StoreBackend PostgresStoreBackend() {
  return {"PostgreSQL",
          [](const std::string& temp_dir,
             const std::string& store_name) -> absl::StatusOr<std::unique_ptr<store::Store>> {
            // One database per (test directory, store name), so reopening finds the same data.
            store::PostgresOptions options;
            ASSIGN_OR_RETURN(options.url, TestDatabaseFor(temp_dir + "/" + store_name));
            return store::OpenPostgresStore(options);
          },
          PostgresUnavailableReason};
}

std::vector<StoreBackend> AllStoreBackends() {
  return {SqliteStoreBackend(), PostgresStoreBackend()};
}

}  // namespace metrocap::testing
