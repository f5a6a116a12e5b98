#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/store/store.h"

namespace metrocap::store::testing {

// A store implementation the store tests run against. `open` opens (or reopens: the same
// `temp_dir` must give the same database) a store whose data lives in or is keyed by
// `temp_dir`, a fresh directory per test.
struct StoreBackend {
  std::string name;
  std::function<absl::StatusOr<std::unique_ptr<metrocap::store::Store>>(
      const std::string& temp_dir)>
      open;
};

// Every backend to test. A backend whose server is not available may be left out.
std::vector<StoreBackend> AllStoreBackends();

inline void PrintTo(const StoreBackend& backend, std::ostream* os) { *os << backend.name; }

}  // namespace metrocap::store::testing
