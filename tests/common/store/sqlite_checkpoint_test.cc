// What only the SQLite store has: its write-ahead log is copied into the database by the
// store's checkpointer thread, not by the commits (common/store/sqlite_checkpointer.h). The
// tests look at the files: a commit's rows are in the log when it returns, and in the
// database file once a checkpoint copied them.
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/store/sqlite_store.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/store/store_fixture.h"
#include "tests/support/poll.h"

namespace metrocap::store::testing {
namespace {

constexpr int kNever = 1 << 30;  // a log length no test reaches

// True when the file at `path` exists and holds `text`.
bool FileHolds(const std::string& path, const std::string& text) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  return absl::StrContains(bytes.str(), text);
}

// A raw connection to the database file, as another process would hold one.
class RawConnection {
 public:
  explicit RawConnection(const std::string& path) {
    sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr);
  }
  ~RawConnection() { sqlite3_close(db_); }
  // The first column of the first row `sql` returns, as text ("" when none or on error).
  std::string Scalar(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      if (text != nullptr) out = reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteCheckpointTest : public StoreFixture {
 protected:
  // Reopens the store with `limits`, migrated.
  absl::Status OpenWith(CheckpointLimits limits) {
    store_.reset();
    SqliteOptions options;
    options.checkpoints = limits;
    ASSIGN_OR_RETURN(store_, OpenSqliteStore(Database(), options));
    return MigrateAll();
  }
  std::string Database() const { return dir_ + "/store.db"; }
  std::string Log() const { return Database() + "-wal"; }

  // Inserts an organisation whose display name is `marker` repeated to `bytes`.
  absl::Status InsertMarked(const std::string& id, const std::string& marker, size_t bytes = 0) {
    std::string display_name = marker;
    while (display_name.size() < bytes) display_name += marker;
    return InsertOne(organisations_, Org(id, display_name, Organisation::CITY, "ES", 1)).status();
  }
};

// A commit that takes the log well past SQLite's automatic checkpoint (1,000 pages) leaves
// it there: it returned without copying anything into the database file.
TEST_P(SqliteCheckpointTest, ACommitLeavesTheLogToTheCheckpointer) {
  ASSERT_OK(OpenWith({kNever, kNever}));
  ASSERT_OK(InsertMarked("big", "left-in-the-log", 3 << 20));  // ~1,500 pages (name and data)
  EXPECT_TRUE(FileHolds(Log(), "left-in-the-log"));
  EXPECT_FALSE(FileHolds(Database(), "left-in-the-log"));
}

TEST_P(SqliteCheckpointTest, TheCheckpointerCopiesCommitsIntoTheDatabase) {
  ASSERT_OK(OpenWith({/*background_pages=*/1, kNever}));
  ASSERT_OK(InsertMarked("small", "copied-by-the-thread"));
  EXPECT_OK(metrocap::testing::PollUntil(
      [&]() -> absl::StatusOr<bool> { return FileHolds(Database(), "copied-by-the-thread"); },
      absl::Seconds(30), "the checkpointer to copy the commit into the database file"));
}

// The bound on the log when the checkpointer does not keep up (here: is never woken).
TEST_P(SqliteCheckpointTest, ACommitPastTheHardLimitCheckpointsItself) {
  ASSERT_OK(OpenWith({kNever, /*commit_pages=*/1}));
  ASSERT_OK(InsertMarked("small", "copied-by-the-commit"));
  EXPECT_TRUE(FileHolds(Database(), "copied-by-the-commit"));
}

// Another connection (as another process would) keeps the log from being removed when the
// store's connections close, so only the store's last checkpoint puts the rows in the file.
TEST_P(SqliteCheckpointTest, ClosingTheStoreCheckpointsWhatIsLeft) {
  ASSERT_OK(OpenWith({kNever, kNever}));
  RawConnection other(Database());
  ASSERT_EQ(other.Scalar("SELECT count(*) FROM organisations"), "0");
  ASSERT_OK(InsertMarked("small", "copied-at-close"));
  ASSERT_FALSE(FileHolds(Database(), "copied-at-close"));

  store_.reset();
  EXPECT_TRUE(FileHolds(Database(), "copied-at-close"));
  EXPECT_EQ(other.Scalar("SELECT count(*) FROM organisations"), "1");
  EXPECT_EQ(other.Scalar("PRAGMA integrity_check"), "ok");
}

TEST_P(SqliteCheckpointTest, TheLastConnectionToCloseRemovesTheLog) {
  ASSERT_OK(OpenWith({/*background_pages=*/1, kNever}));
  ASSERT_OK(InsertMarked("small", "in-the-file"));
  store_.reset();
  EXPECT_FALSE(std::filesystem::exists(Log()));
  EXPECT_TRUE(FileHolds(Database(), "in-the-file"));
}

// Writers and readers while both kinds of checkpoint run often (every few commits the
// thread, every few dozen the committing call): no write fails or is lost, every reader's
// snapshot holds, and the file is sound afterwards.
TEST_P(SqliteCheckpointTest, WritersAndReadersStayCorrectWhileCheckpointing) {
  ASSERT_OK(OpenWith({/*background_pages=*/8, /*commit_pages=*/64}));
  constexpr int kWriters = 4;
  constexpr int kInserts = 40;
  const std::string padding(8 << 10, 'p');  // two or three pages per organisation

  // A read transaction held open throughout: its snapshot must not change under it.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> held, store_->Begin(Store::Access::kReadOnly));
  ASSERT_OK_AND_ASSIGN(query::Condition all, query::CompileFilter(organisations_, ""));
  ASSERT_THAT(held->Count(organisations_, "", all), IsOkAndHolds(0));

  std::atomic<bool> writing{true};
  std::atomic<int> reader_errors{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r)
    readers.push_back(CountingReader(organisations_, writing, reader_errors));
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kInserts; ++i) {
        if (!InsertMarked(absl::StrCat("w", w, "-", i), padding).ok()) ++failures;
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  writing = false;
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(reader_errors.load(), 0);
  EXPECT_THAT(held->Count(organisations_, "", all), IsOkAndHolds(0));
  held.reset();
  EXPECT_THAT(CountOf(organisations_, ""), IsOkAndHolds(kWriters * kInserts));

  store_.reset();
  RawConnection check(Database());
  EXPECT_EQ(check.Scalar("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(check.Scalar("SELECT count(*) FROM organisations"), absl::StrCat(kWriters * kInserts));
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteCheckpointTest,
                         ::testing::Values(::metrocap::testing::SqliteStoreBackend()), BackendName);

}  // namespace
}  // namespace metrocap::store::testing
