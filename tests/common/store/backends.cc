#include "tests/common/store/backends.h"

#include "common/status/status_macros.h"
#include "common/store/postgres_store.h"
#include "common/store/sqlite_store.h"
#include "tests/support/postgres_server.h"

namespace metrocap::store::testing {

std::vector<StoreBackend> AllStoreBackends() {
  std::vector<StoreBackend> backends = {
      {"SQLite",
       [](const std::string& temp_dir) { return OpenSqliteStore(temp_dir + "/store.db"); }},
  };
  // A real server, started on first use and shared by the process; one database per test
  // directory, so reopening finds the same data.
  if (::metrocap::testing::PostgresServerAvailable()) {
    backends.push_back(
        {"PostgreSQL", [](const std::string& temp_dir) -> absl::StatusOr<std::unique_ptr<Store>> {
           PostgresOptions options;
           ASSIGN_OR_RETURN(options.url,
                            ::metrocap::testing::SharedPostgresServer().DatabaseFor(temp_dir));
           return OpenPostgresStore(options);
         }});
  }
  return backends;
}

}  // namespace metrocap::store::testing
