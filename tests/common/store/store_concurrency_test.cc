// Concurrent writers and readers on every backend: serialized read-modify-write through
// RunInTransaction loses no update and reports no error.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/store/store_fixture.h"

namespace metrocap::store::testing {
namespace {

class StoreConcurrencyTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    ASSERT_OK(MigrateAll());
  }
};

constexpr int kThreads = 8;
constexpr int kIncrements = 50;

TEST_P(StoreConcurrencyTest, ConcurrentReadModifyWriteLosesNoUpdate) {
  const std::string name = "organisations/counter";
  ASSERT_OK(InsertOne(organisations_, Org("counter", "Counter", Organisation::CITY, "ES", 0)));
  std::atomic<int> failures{0};
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIncrements; ++i) {
        absl::Status status = store_->RunInTransaction([&](Transaction& tx) -> absl::Status {
          ASSIGN_OR_RETURN(Record record, tx.Get(organisations_, name));
          Organisation org;
          if (!org.ParseFromString(record.data)) return absl::InternalError("corrupt");
          org.set_population(org.population() + 1);
          return tx.Update(organisations_, name, org, record.version).status();
        });
        if (!status.ok()) {
          ++failures;
          errors[t] = status.ToString();
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0) << ::testing::PrintToString(errors);
  ASSERT_OK_AND_ASSIGN(Organisation counter, Decoded<Organisation>(organisations_, name));
  EXPECT_EQ(counter.population(), kThreads * kIncrements);
  ASSERT_OK_AND_ASSIGN(Record record, GetOne(organisations_, name));
  EXPECT_EQ(record.version, 1 + kThreads * kIncrements);
}

TEST_P(StoreConcurrencyTest, ConcurrentInsertsAndReadersAllSucceed) {
  std::atomic<bool> writing{true};
  std::atomic<int> reader_errors{0};
  std::atomic<int64_t> last_seen{0};
  std::thread reader([&] {
    // Each snapshot's count never goes backwards while writers only insert.
    while (writing.load()) {
      absl::StatusOr<int64_t> count = CountOf(organisations_, "");
      if (!count.ok() || *count < last_seen.load()) {
        ++reader_errors;
      } else {
        last_seen = *count;
      }
    }
  });
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string id = absl::StrCat("w", t, "-", i);
        if (!InsertOne(organisations_, Org(id, id, Organisation::CITY, "ES", t)).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : writers) thread.join();
  writing = false;
  reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(reader_errors.load(), 0);
  EXPECT_THAT(CountOf(organisations_, ""), IsOkAndHolds(kThreads * 10));
  EXPECT_THAT(CountOf(organisations_, "population = 3"), IsOkAndHolds(10));
}

TEST_P(StoreConcurrencyTest, SameNameInsertedConcurrentlyExactlyOnce) {
  std::atomic<int> created{0}, already{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      absl::StatusOr<Record> r = InsertOne(
          organisations_, Org("contested", absl::StrCat("T", t), Organisation::CITY, "ES", t));
      if (r.ok()) {
        ++created;
      } else if (r.status().code() == absl::StatusCode::kAlreadyExists) {
        ++already;
      } else {
        ++other;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(already.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConcurrencyTest, ::testing::ValuesIn(AllStoreBackends()),
                         BackendName);

}  // namespace
}  // namespace metrocap::store::testing
