#include "tests/common/store/backends.h"

#include "common/store/sqlite_store.h"

namespace metrocap::store::testing {

std::vector<StoreBackend> AllStoreBackends() {
  return {
      {"SQLite",
       [](const std::string& temp_dir) { return OpenSqliteStore(temp_dir + "/store.db"); }},
  };
}

}  // namespace metrocap::store::testing
