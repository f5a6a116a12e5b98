#include "tests/support/store_backends.h"

#include <cstdlib>

#include "absl/status/status.h"
#include "common/status/status_macros.h"
#include "common/store/postgres_store.h"
#include "common/store/sqlite_store.h"
#include "tests/support/postgres_server.h"

namespace metrocap::testing {
namespace {

std::string PostgresUnavailable() {
  if (PostgresServerAvailable()) return "";
  return "no PostgreSQL server binaries (install postgresql or set METROCAP_PG_BINDIR)";
}

}  // namespace

bool RunningInCi() {
  const char* ci = std::getenv("CI");
  if (ci == nullptr) return false;
  std::string value = ci;
  return !value.empty() && value != "false" && value != "0";
}

std::vector<StoreBackend> AllStoreBackends() {
  StoreBackend sqlite{"SQLite",
                      [](const std::string& temp_dir, const std::string& store_name) {
                        return store::OpenSqliteStore(temp_dir + "/" + store_name + ".db");
                      },
                      nullptr};
  StoreBackend postgres{
      "PostgreSQL",
      [](const std::string& temp_dir,
         const std::string& store_name) -> absl::StatusOr<std::unique_ptr<store::Store>> {
        if (std::string why = PostgresUnavailable(); !why.empty()) {
          return absl::UnavailableError(why);
        }
        // One database per (test directory, store name), so reopening finds the same data.
        store::PostgresOptions options;
        ASSIGN_OR_RETURN(options.url,
                         SharedPostgresServer().DatabaseFor(temp_dir + "/" + store_name));
        return store::OpenPostgresStore(options);
      },
      PostgresUnavailable};
  return {sqlite, postgres};
}

}  // namespace metrocap::testing
