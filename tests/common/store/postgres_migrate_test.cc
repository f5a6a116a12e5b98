// Replicas starting together migrate one database: every step is applied exactly once and
// none of them fails (without the advisory lock, two ALTER TABLE ... ADD COLUMN race).
#include <libpq-fe.h>

#include <thread>
#include <vector>

#include "absl/synchronization/barrier.h"
#include "common/store/postgres_store.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"
#include "tests/common/store/store_fixture.h"
#include "tests/support/store_backends.h"
#include "tests/support/test_databases.h"

namespace metrocap::store {
namespace {

using ::metrocap::testing::NewTestDatabase;
using ::metrocap::testing::PostgresStoreBackend;
using testing::ApiKeySchema;
using testing::OrganisationSchema;
using testing::PartnerSchema;

// Rows of a one-column integer query, through a plain libpq connection.
int64_t QueryNumber(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  PGresult* result = PQexec(conn, sql.c_str());
  EXPECT_EQ(PQresultStatus(result), PGRES_TUPLES_OK) << PQresultErrorMessage(result);
  int64_t n = PQntuples(result) > 0 ? std::atoll(PQgetvalue(result, 0, 0)) : -1;
  PQclear(result);
  PQfinish(conn);
  return n;
}

TEST(PostgresMigrateTest, ReplicasMigratingAtOnceApplyEachStepOnce) {
  METROCAP_REQUIRE_STORE_BACKEND(PostgresStoreBackend());
  ASSERT_OK_AND_ASSIGN(std::string url, NewTestDatabase());
  constexpr int kReplicas = 4;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kReplicas; ++i) {
    PostgresOptions options;
    options.url = url;
    options.pool_size = 3;
    ASSERT_OK_AND_ASSIGN(auto store, OpenPostgresStore(options));
    stores.push_back(std::move(store));
  }
  ResourceSchema organisations = OrganisationSchema();
  ResourceSchema partners = PartnerSchema();
  ResourceSchema api_keys = ApiKeySchema();
  std::vector<absl::Status> results(kReplicas);
  absl::Barrier* start = new absl::Barrier(kReplicas);
  std::vector<std::thread> replicas;
  for (int i = 0; i < kReplicas; ++i) {
    replicas.emplace_back([&, i] {
      if (start->Block()) delete start;
      results[i] = stores[i]->Migrate({&organisations, &partners, &api_keys});
    });
  }
  for (std::thread& t : replicas) t.join();
  for (const absl::Status& status : results) EXPECT_OK(status);

  int64_t steps = QueryNumber(url, "SELECT COUNT(*) FROM metrocap_migrations");
  EXPECT_EQ(QueryNumber(url, "SELECT COUNT(DISTINCT id) FROM metrocap_migrations"), steps);
  EXPECT_GT(steps, static_cast<int64_t>(organisations.columns.size()));
  // Each indexed column exists once (the table would not have been created otherwise).
  EXPECT_EQ(QueryNumber(url,
                        "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = "
                        "'organisations' AND column_name = 'member_since'"),
            1);

  // A later release adds an indexed column; every replica migrates again.
  ResourceSchema grown = OrganisationSchema();
  grown.columns.push_back(Column{"verified", "verified", ColumnKind::kBool});
  std::vector<std::thread> again;
  for (int i = 0; i < kReplicas; ++i) {
    again.emplace_back([&, i] { results[i] = stores[i]->Migrate({&grown}); });
  }
  for (std::thread& t : again) t.join();
  for (const absl::Status& status : results) EXPECT_OK(status);
  EXPECT_EQ(QueryNumber(url, "SELECT COUNT(*) FROM metrocap_migrations"), steps + 1);
}

}  // namespace
}  // namespace metrocap::store
