// The database restarts (cleanly, or crashes) while writers and readers keep going: calls
// fail UNAVAILABLE while it is down and nothing else, none hangs, the pool reconnects by
// itself, and every write that was acknowledged is there afterwards.
#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/store/postgres_store.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"
#include "tests/common/store/store_fixture.h"
#include "tests/support/postgres_server.h"
#include "tests/support/process.h"
#include "tests/support/store_backends.h"

namespace metrocap::store {
namespace {

using ::metrocap::testing::PollUntil;
using ::metrocap::testing::PostgresServer;
using testing::Org;
using testing::OrganisationSchema;

// Longest any single call may take; a call beyond it counts as a hang.
constexpr absl::Duration kNoHang = absl::Seconds(10);

class Load {
 public:
  Load(Store* store, const ResourceSchema* schema) : store_(store), schema_(schema) {}

  void Start(int writers, int readers) {
    for (int w = 0; w < writers; ++w) threads_.emplace_back([this, w] { Write(w); });
    for (int r = 0; r < readers; ++r) threads_.emplace_back([this] { Read(); });
  }
  void Stop() {
    stop_ = true;
    for (std::thread& t : threads_) t.join();
  }

  int64_t acknowledged() const { return acknowledged_count_; }
  int64_t unavailable() const { return unavailable_; }
  std::vector<std::string> AcknowledgedNames() {
    absl::MutexLock lock(&mu_);
    return acknowledged_;
  }
  std::map<std::string, int> unexpected() {
    absl::MutexLock lock(&mu_);
    return unexpected_;
  }
  absl::Duration slowest() {
    absl::MutexLock lock(&mu_);
    return slowest_;
  }

 private:
  void Note(const absl::Status& status, absl::Time started) {
    absl::Duration took = absl::Now() - started;
    absl::MutexLock lock(&mu_);
    slowest_ = std::max(slowest_, took);
    if (status.code() == absl::StatusCode::kUnavailable) {
      ++unavailable_;
    } else if (!status.ok() && status.code() != absl::StatusCode::kNotFound) {
      ++unexpected_[status.ToString()];
    }
  }

  void Write(int writer) {
    for (int i = 0; !stop_; ++i) {
      auto org = Org(absl::StrCat("w", writer, "-", i), "Load",
                     membership::v1::Organisation::METROPOLITAN_AREA, "IT", i);
      absl::Time started = absl::Now();
      absl::Status status = store_->RunInTransaction(
          [&](Transaction& tx) { return tx.Insert(*schema_, org.name(), org).status(); });
      Note(status, started);
      if (status.ok()) {
        absl::MutexLock lock(&mu_);
        acknowledged_.push_back(org.name());
        ++acknowledged_count_;
      } else {
        absl::SleepFor(absl::Milliseconds(2));  // back off while the database is down
      }
    }
  }

  void Read() {
    while (!stop_) {
      absl::Time started = absl::Now();
      absl::Status status;
      absl::StatusOr<std::unique_ptr<Transaction>> tx = store_->Begin(Store::Access::kReadOnly);
      status = tx.ok() ? (*tx)->Get(*schema_, "organisations/w0-0").status() : tx.status();
      Note(status, started);
      if (!status.ok()) absl::SleepFor(absl::Milliseconds(2));
    }
  }

  Store* store_;
  const ResourceSchema* schema_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> acknowledged_count_{0};
  std::atomic<int64_t> unavailable_{0};
  absl::Mutex mu_;
  std::vector<std::string> acknowledged_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> unexpected_ ABSL_GUARDED_BY(mu_);
  absl::Duration slowest_ ABSL_GUARDED_BY(mu_);
};

class PostgresRestartTest : public ::testing::TestWithParam<PostgresServer::StopMode> {};

TEST_P(PostgresRestartTest, RequestsFailUnavailableWhileDownAndNoAcknowledgedWriteIsLost) {
  METROCAP_REQUIRE_STORE_BACKEND(::metrocap::testing::PostgresStoreBackend());
  // A server of its own: this test stops it.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PostgresServer> server, PostgresServer::Start());
  PostgresOptions options;
  options.url = server->Url();
  options.pool_size = 6;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenPostgresStore(options));
  ResourceSchema organisations = OrganisationSchema();
  ASSERT_OK(store->Migrate({&organisations}));

  Load load(store.get(), &organisations);
  load.Start(/*writers=*/4, /*readers=*/2);
  auto acknowledged_beyond = [&](int64_t count) {
    return [&load, count]() -> absl::StatusOr<bool> { return load.acknowledged() >= count; };
  };
  ASSERT_OK(PollUntil(acknowledged_beyond(50), kNoHang, "writes before the restart"));

  ASSERT_OK(server->Stop(GetParam()));
  int64_t unavailable_before = load.unavailable();
  ASSERT_OK(PollUntil(
      [&]() -> absl::StatusOr<bool> { return load.unavailable() >= unavailable_before + 20; },
      kNoHang, "calls failing UNAVAILABLE while the database is down"));
  int64_t acknowledged_while_down = load.acknowledged();
  ASSERT_OK(server->Restart());
  ASSERT_OK(PollUntil(acknowledged_beyond(acknowledged_while_down + 50), absl::Seconds(30),
                      "writes after the restart (the pool reconnecting)"));
  load.Stop();

  EXPECT_TRUE(load.unexpected().empty()) << ::testing::PrintToString(load.unexpected());
  EXPECT_LT(load.slowest(), kNoHang);
  // Every acknowledged write survived, read back through a store opened afresh.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> fresh, OpenPostgresStore(options));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, fresh->Begin(Store::Access::kReadOnly));
  std::vector<std::string> names = load.AcknowledgedNames();
  ASSERT_GT(names.size(), 100u);
  int missing = 0;
  for (const std::string& name : names) {
    if (!tx->Get(organisations, name).ok()) ++missing;
  }
  EXPECT_EQ(missing, 0) << "of " << names.size() << " acknowledged writes";
}

INSTANTIATE_TEST_SUITE_P(StopModes, PostgresRestartTest,
                         ::testing::Values(PostgresServer::StopMode::kFast,
                                           PostgresServer::StopMode::kImmediate),
                         [](const ::testing::TestParamInfo<PostgresServer::StopMode>& info) {
                           return info.param == PostgresServer::StopMode::kFast ? "CleanShutdown"
                                                                                : "Crash";
                         });

}  // namespace
}  // namespace metrocap::store
