// What only the PostgreSQL backend has: a connection pool, the URL, binary-safe bytes,
// concurrent writers and the SQLSTATE -> status mapping. The shared store suite covers the
// Store contract itself on both backends.
#include "common/store/postgres_store.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/config/component.h"
#include "common/store/open.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/store/store_fixture.h"
#include "tests/support/process.h"
#include "tests/support/store_backends.h"
#include "tests/support/test_databases.h"

namespace metrocap::store {
namespace {

using ::metrocap::testing::NewTestDatabase;
using ::metrocap::testing::PostgresStoreBackend;
using ::metrocap::testing::StatusIs;
using ::testing::HasSubstr;
using testing::Org;
using testing::OrganisationSchema;

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    METROCAP_REQUIRE_STORE_BACKEND(PostgresStoreBackend());
    ASSERT_OK_AND_ASSIGN(url_, NewTestDatabase());
    ASSERT_OK_AND_ASSIGN(store_, Open(url_));
    ASSERT_OK(store_->Migrate({&organisations_}));
  }

  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& url, int pool = 8) {
    PostgresOptions options;
    options.url = url;
    options.pool_size = pool;
    options.acquire_timeout = absl::Seconds(2);
    return OpenPostgresStore(options);
  }

  absl::StatusOr<Record> Insert(const membership::v1::Organisation& org) {
    Record out;
    RETURN_IF_ERROR(store_->RunInTransaction([&](Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(out, tx.Insert(organisations_, org.name(), org));
      return absl::OkStatus();
    }));
    return out;
  }

  std::string url_;
  std::unique_ptr<Store> store_;
  ResourceSchema organisations_ = OrganisationSchema();
};

TEST_F(PostgresStoreTest, KeepsArbitraryBytesIntact) {
  membership::v1::Organisation org =
      Org("milan", "Città metropolitana di Milano", membership::v1::Organisation::METROPOLITAN_AREA,
          "IT", 3214000);
  // Invalid UTF-8 and NUL bytes in the serialized message: only bytea survives them.
  org.GetReflection()->MutableUnknownFields(&org)->AddLengthDelimited(
      999, std::string("\0\xff\xfe\x80 raw", 8));
  ASSERT_OK(Insert(org));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(Record record, tx->Get(organisations_, "organisations/milan"));
  EXPECT_EQ(record.data, org.SerializeAsString());
  EXPECT_EQ(record.version, 1);
}

TEST_F(PostgresStoreTest, ConcurrentReadModifyWriteOfOneResourceAllSucceed) {
  ASSERT_OK(
      Insert(Org("turin", "Turin", membership::v1::Organisation::METROPOLITAN_AREA, "IT", 0)));
  constexpr int kThreads = 6;
  constexpr int kEach = 10;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        absl::Status status = store_->RunInTransaction([&](Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(Record current, tx.Get(organisations_, "organisations/turin"));
          membership::v1::Organisation org;
          org.ParseFromString(current.data);
          org.set_population(org.population() + 1);
          return tx.Update(organisations_, org.name(), org, current.version).status();
        });
        if (!status.ok()) {
          ADD_FAILURE() << status;
          ++failures;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(Record record, tx->Get(organisations_, "organisations/turin"));
  membership::v1::Organisation org;
  ASSERT_TRUE(org.ParseFromString(record.data));
  EXPECT_EQ(org.population(), kThreads * kEach);
  EXPECT_EQ(record.version, 1 + kThreads * kEach);
}

TEST_F(PostgresStoreTest, RacingInsertsOfOneNameGiveOneWinnerAndAlreadyExists) {
  auto org = Org("lisbon", "Lisbon", membership::v1::Organisation::METROPOLITAN_AREA, "PT", 1);
  ASSERT_OK_AND_ASSIGN(auto first, store_->Begin(Store::Access::kReadWrite));
  ASSERT_OK_AND_ASSIGN(auto second, store_->Begin(Store::Access::kReadWrite));
  ASSERT_OK(first->Insert(organisations_, org.name(), org));
  absl::Notification second_done;
  absl::Status second_insert;
  std::thread racer([&] {
    // Blocks on the unique index until the first commits.
    second_insert = second->Insert(organisations_, org.name(), org).status();
    second_done.Notify();
  });
  EXPECT_FALSE(second_done.WaitForNotificationWithTimeout(absl::Milliseconds(100)));
  ASSERT_OK(first->Commit());
  racer.join();
  EXPECT_THAT(second_insert, StatusIs(absl::StatusCode::kAlreadyExists));
  // The failed statement ends the transaction: committing it is refused, not silent.
  EXPECT_THAT(second->Commit(), StatusIs(absl::StatusCode::kAborted));
}

TEST_F(PostgresStoreTest, StaleVersionIsAborted) {
  auto org = Org("porto", "Porto", membership::v1::Organisation::METROPOLITAN_AREA, "PT", 1);
  ASSERT_OK(Insert(org));
  org.set_population(2);
  EXPECT_THAT(store_->RunInTransaction([&](Transaction& tx) {
    return tx.Update(organisations_, org.name(), org, 7).status();
  }),
              StatusIs(absl::StatusCode::kAborted));
}

TEST_F(PostgresStoreTest, ReadOnlyTransactionSeesOneSnapshot) {
  ASSERT_OK(Insert(Org("a", "A", membership::v1::Organisation::METROPOLITAN_AREA, "IT", 1)));
  ASSERT_OK_AND_ASSIGN(auto reader, store_->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(int64_t before, reader->Count(organisations_, "", {}));
  ASSERT_OK(Insert(Org("b", "B", membership::v1::Organisation::METROPOLITAN_AREA, "IT", 1)));
  ASSERT_OK_AND_ASSIGN(int64_t after, reader->Count(organisations_, "", {}));
  EXPECT_EQ(before, after);
}

TEST_F(PostgresStoreTest, PoolIsBoundedAndBeginWaitsThenFailsUnavailable) {
  ASSERT_OK_AND_ASSIGN(auto store, Open(url_, /*pool=*/2));
  ASSERT_OK_AND_ASSIGN(auto one, store->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(auto two, store->Begin(Store::Access::kReadOnly));
  absl::Time start = absl::Now();
  EXPECT_THAT(store->Begin(Store::Access::kReadOnly), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_GE(absl::Now() - start, absl::Seconds(1.5));
  // A released connection serves the next waiter.
  std::thread release([&] { one.reset(); });
  ASSERT_OK_AND_ASSIGN(auto three, store->Begin(Store::Access::kReadOnly));
  release.join();
}

TEST_F(PostgresStoreTest, PoolSizeFromUrlAndBadUrls) {
  ASSERT_OK_AND_ASSIGN(auto store, Open(url_ + "?pool_max_conns=2&sslmode=disable", 8));
  ASSERT_OK_AND_ASSIGN(auto one, store->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(auto two, store->Begin(Store::Access::kReadOnly));
  EXPECT_THAT(store->Begin(Store::Access::kReadOnly), StatusIs(absl::StatusCode::kUnavailable));

  EXPECT_THAT(Open(url_ + "?pool_max_conns=1"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Open(url_ + "?no_such_option=1"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(PostgresStoreTest, UnreachableServerIsUnavailableQuickly) {
  ASSERT_OK_AND_ASSIGN(int port, metrocap::testing::FreeLoopbackPort());
  absl::Time start = absl::Now();
  EXPECT_THAT(Open(absl::StrCat("postgres://postgres@127.0.0.1:", port, "/x")),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("cannot connect")));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST_F(PostgresStoreTest, OpenStoreChoosesTheBackendFromTheConfig) {
  config::ComponentConfig config;
  config.component = "membership";
  config.database_url = url_;
  ASSERT_OK_AND_ASSIGN(auto postgres, OpenStore(config));
  ASSERT_OK(postgres->Migrate({&organisations_}));

  ASSERT_OK_AND_ASSIGN(std::string dir, metrocap::testing::MakeTempDir("metrocap-open"));
  config.database_url = "";
  config.data_dir = dir + "/not/yet/there";
  ASSERT_OK_AND_ASSIGN(auto sqlite, OpenStore(config));
  ASSERT_OK(sqlite->Migrate({&organisations_}));
  EXPECT_TRUE(std::filesystem::exists(dir + "/not/yet/there/membership.db"));

  config.database_url = "sqlite:" + dir + "/elsewhere/x.db";
  ASSERT_OK(OpenStore(config));
  EXPECT_TRUE(std::filesystem::exists(dir + "/elsewhere/x.db"));

  config.database_url = "mysql://x";
  EXPECT_THAT(OpenStore(config), StatusIs(absl::StatusCode::kInvalidArgument));
  metrocap::testing::RemoveTree(dir);
}

}  // namespace
}  // namespace metrocap::store
