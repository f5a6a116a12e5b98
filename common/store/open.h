#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "common/config/component.h"
#include "common/store/store.h"

namespace metrocap::store {

// The store a component's configuration asks for: SQLite at config::SqlitePathFor(config)
// when database_url is empty or "sqlite:<path>" (creating the file's directory if missing),
// PostgreSQL for "postgres://" and "postgresql://" URLs.
// UNAVAILABLE when the directory cannot be created or the database cannot be reached;
// INVALID_ARGUMENT for any other URL.
absl::StatusOr<std::unique_ptr<Store>> OpenStore(const config::ComponentConfig& config);

}  // namespace metrocap::store
