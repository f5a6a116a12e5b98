#include "common/store/open.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/store/postgres_store.h"
#include "common/store/sqlite_store.h"

namespace metrocap::store {

absl::StatusOr<std::unique_ptr<Store>> OpenStore(const config::ComponentConfig& config) {
  const std::string& url = config.database_url;
  if (absl::StartsWith(url, "postgres://") || absl::StartsWith(url, "postgresql://")) {
    PostgresOptions options;
    options.url = url;
    return OpenPostgresStore(options);
  }
  if (!url.empty() && !absl::StartsWith(url, "sqlite:")) {
    return absl::InvalidArgumentError(
        "database URL must start with postgres://, postgresql:// or sqlite:");
  }
  std::string path = config::SqlitePathFor(config);
  std::filesystem::path directory = std::filesystem::path(path).parent_path();
  if (!directory.empty()) {
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error) {
      return absl::UnavailableError(
          absl::StrCat("cannot create data directory ", directory.string(), ": ", error.message()));
    }
  }
  return OpenSqliteStore(path);
}

}  // namespace metrocap::store
