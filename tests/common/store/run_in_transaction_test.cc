// Store::RunInTransaction's retry rule, on a scripted store: which failures run the work
// again, and that it gives up.
#include <deque>
#include <memory>

#include "common/store/conflict.h"
#include "common/store/store.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::store {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::HasSubstr;

// A transaction that does nothing and commits with the next scripted status.
class ScriptedTransaction : public Transaction {
 public:
  explicit ScriptedTransaction(absl::Status commit) : commit_(std::move(commit)) {}
  absl::StatusOr<Record> Get(const ResourceSchema&, absl::string_view) override {
    return absl::UnimplementedError("scripted");
  }
  absl::StatusOr<Record> Insert(const ResourceSchema&, absl::string_view,
                                const google::protobuf::Message&) override {
    return absl::UnimplementedError("scripted");
  }
  absl::StatusOr<Record> Update(const ResourceSchema&, absl::string_view,
                                const google::protobuf::Message&, int64_t) override {
    return absl::UnimplementedError("scripted");
  }
  absl::Status Delete(const ResourceSchema&, absl::string_view, int64_t) override {
    return absl::UnimplementedError("scripted");
  }
  absl::StatusOr<ListResult> List(const ResourceSchema&, const ListQuery&) override {
    return absl::UnimplementedError("scripted");
  }
  absl::StatusOr<int64_t> Count(const ResourceSchema&, absl::string_view,
                                const query::Condition&) override {
    return absl::UnimplementedError("scripted");
  }
  absl::StatusOr<std::vector<Row>> Select(absl::string_view,
                                          const std::vector<SqlValue>&) override {
    return absl::UnimplementedError("scripted");
  }
  absl::Status AddCounts(const CounterSchema&, const std::vector<SqlValue>&,
                         const std::vector<int64_t>&) override {
    return absl::UnimplementedError("scripted");
  }
  absl::StatusOr<absl::optional<RecordedRequest>> FindRequest(absl::string_view,
                                                              absl::string_view) override {
    return absl::UnimplementedError("scripted");
  }
  absl::Status RecordRequest(absl::string_view, absl::string_view, absl::string_view,
                             absl::string_view) override {
    return absl::UnimplementedError("scripted");
  }
  absl::Status Commit() override { return commit_; }

 private:
  absl::Status commit_;
};

// Begins transactions whose commits answer the scripted statuses in turn (OK once they run
// out), and counts them.
class ScriptedStore : public Store {
 public:
  absl::Status Migrate(const std::vector<const ResourceSchema*>&) override {
    return absl::OkStatus();
  }
  absl::StatusOr<std::unique_ptr<Transaction>> Begin(Access) override {
    ++begun;
    if (!begin.ok()) return begin;
    absl::Status commit;
    if (!commits.empty()) {
      commit = commits.front();
      commits.pop_front();
    }
    return std::unique_ptr<Transaction>(new ScriptedTransaction(commit));
  }

  absl::Status begin;
  std::deque<absl::Status> commits;
  int begun = 0;
};

TEST(RunInTransactionTest, RunsTheWorkAgainAfterAConflictInsideIt) {
  ScriptedStore store;
  int runs = 0;
  EXPECT_OK(store.RunInTransaction([&](Transaction&) {
    return ++runs < 3 ? TransactionConflictError("deadlock detected") : absl::OkStatus();
  }));
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(store.begun, 3);
}

TEST(RunInTransactionTest, RunsTheWorkAgainWhenTheCommitIsAborted) {
  ScriptedStore store;
  store.commits = {TransactionConflictError("could not serialize access"),
                   absl::AbortedError("a concurrent writer won")};
  int runs = 0;
  EXPECT_OK(store.RunInTransaction([&](Transaction&) {
    ++runs;
    return absl::OkStatus();
  }));
  EXPECT_EQ(runs, 3);
}

TEST(RunInTransactionTest, AStaleVersionIsTheWorksAnswerNotRetried) {
  ScriptedStore store;
  int runs = 0;
  EXPECT_THAT(store.RunInTransaction([&](Transaction&) {
    ++runs;
    return absl::AbortedError("version mismatch");
  }),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version mismatch")));
  EXPECT_EQ(runs, 1);
}

TEST(RunInTransactionTest, OtherFailuresOfTheWorkAreReturnedAtOnce) {
  ScriptedStore store;
  int runs = 0;
  EXPECT_THAT(store.RunInTransaction([&](Transaction&) {
    ++runs;
    return absl::NotFoundError("no such organisation");
  }),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(runs, 1);
}

TEST(RunInTransactionTest, GivesUpAbortedAfterBoundedAttempts) {
  ScriptedStore store;
  int runs = 0;
  absl::Status status = store.RunInTransaction([&](Transaction&) {
    ++runs;
    return TransactionConflictError("deadlock detected");
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAborted, HasSubstr("deadlock detected")));
  // The final answer is plain ABORTED: a caller running this inside its own retry loop
  // does not multiply the attempts.
  EXPECT_FALSE(IsTransactionConflict(status));
  EXPECT_EQ(runs, 8);
}

TEST(RunInTransactionTest, ABeginThatFailsIsReturned) {
  ScriptedStore store;
  store.begin = absl::UnavailableError("database down");
  int runs = 0;
  EXPECT_THAT(store.RunInTransaction([&](Transaction&) {
    ++runs;
    return absl::OkStatus();
  }),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(runs, 0);
}

}  // namespace
}  // namespace metrocap::store
