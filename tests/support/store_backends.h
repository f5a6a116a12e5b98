#pragma once

// The store backends every store and service test runs on: SQLite and PostgreSQL.
//
// Usage (target metrocap_test_store_backends):
//
//   class MyTest : public ::testing::TestWithParam<metrocap::testing::StoreBackend> {
//     void SetUp() override {
//       METROCAP_REQUIRE_STORE_BACKEND(GetParam());  // skip (fail when CI=true) if absent
//       ASSERT_OK_AND_ASSIGN(store_, GetParam().Open(temp_dir_, "membership"));
//     }
//   };
//   INSTANTIATE_TEST_SUITE_P(Backends, MyTest,
//                            ::testing::ValuesIn(metrocap::testing::AllStoreBackends()),
//                            metrocap::testing::StoreBackendName);
//
// Test names end in "/SQLite" or "/PostgreSQL". In CMake, register the executable with
// metrocap_discover_store_backend_tests() (tests/support/StoreBackends.cmake) so the
// PostgreSQL variants carry the ctest label "postgres" and share one server per ctest run.

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/store/store.h"
#include "gtest/gtest.h"
#include "tests/support/test_databases.h"  // RunningInCi()

namespace metrocap::testing {

// One store implementation under test.
struct StoreBackend {
  // "SQLite" or "PostgreSQL"; the suffix of every test name it runs.
  std::string name;
  // See Open().
  std::function<absl::StatusOr<std::unique_ptr<store::Store>>(const std::string& temp_dir,
                                                              const std::string& store_name)>
      open;
  // Why the backend cannot run on this machine, or "" when it can.
  std::function<std::string()> unavailable;

  // Opens store `store_name` of the test whose temporary directory is `temp_dir` (a fresh
  // directory per test): SQLite keeps it in <temp_dir>/<store_name>.db, PostgreSQL in a
  // database of its own. Opening the same (temp_dir, store_name) again, even after the
  // store was closed, gives the same data; different names give independent stores.
  // UNAVAILABLE when the backend cannot run here (see METROCAP_REQUIRE_STORE_BACKEND).
  absl::StatusOr<std::unique_ptr<store::Store>> Open(
      const std::string& temp_dir, const std::string& store_name = "store") const {
    return open(temp_dir, store_name);
  }
  std::string Unavailable() const { return unavailable ? unavailable() : std::string(); }
};

// SQLite and PostgreSQL, always both: a PostgreSQL that cannot run shows up as skipped (or,
// in CI, failed) tests, never as tests that silently disappear.
std::vector<StoreBackend> AllStoreBackends();

// Each one alone, for tests of what only one backend has.
StoreBackend SqliteStoreBackend();
// On the ctest run's server (tests/support/test_databases.h).
StoreBackend PostgresStoreBackend();

// For INSTANTIATE_TEST_SUITE_P: names each variant after its backend.
inline std::string StoreBackendName(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}
inline void PrintTo(const StoreBackend& backend, std::ostream* os) { *os << backend.name; }

}  // namespace metrocap::testing

// In a test's SetUp (or body): skips the test when `backend` cannot run on this machine,
// with the reason; fails it instead when RunningInCi(). (A test that goes on regardless
// fails: Open() is UNAVAILABLE then.)
#define METROCAP_REQUIRE_STORE_BACKEND(backend)                                             \
  do {                                                                                      \
    const std::string metrocap_backend_unavailable = (backend).Unavailable();               \
    if (!metrocap_backend_unavailable.empty()) {                                            \
      if (::metrocap::testing::RunningInCi()) {                                             \
        FAIL() << (backend).name << " is required in CI: " << metrocap_backend_unavailable; \
      }                                                                                     \
      GTEST_SKIP() << (backend).name << " skipped: " << metrocap_backend_unavailable;       \
    }                                                                                       \
  } while (0)
