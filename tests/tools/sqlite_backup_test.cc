// Online backup and restore of the embedded store, against the real SQLite store with a
// writer committing all the while: every backup is one consistent state (each transaction
// writes a pair of records, so a torn copy would hold an odd count), restores open as a
// working store, and a restore refuses a database still in use.
#include "tools/sqlite_backup.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "common/store/sqlite_store.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metrocap/membership/v1/membership.pb.h"
#include "tests/support/poll.h"
#include "tests/support/temp_dir.h"

namespace metrocap::tools {
namespace {

using ::metrocap::testing::IsOk;
using ::metrocap::testing::StatusIs;

store::ResourceSchema Regions() {
  return store::MakeSchema("regions", membership::v1::Region::descriptor(), {"displayName"});
}

// How many regions the store at `path` holds.
absl::StatusOr<int64_t> CountRegions(const std::string& path, const store::ResourceSchema& schema) {
  ASSIGN_OR_RETURN(std::unique_ptr<store::Store> opened, store::OpenSqliteStore(path));
  ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                   opened->Begin(store::Store::Access::kReadOnly));
  return tx->Count(schema, "", query::Condition{});
}

class SqliteBackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(dir_.status());
    ASSERT_OK_AND_ASSIGN(store_, store::OpenSqliteStore(Path("live.db")));
    ASSERT_OK(store_->Migrate({&regions_}));
  }
  std::string Path(const std::string& file) const { return dir_.path() + "/" + file; }

  // Commits pairs of regions until `stop`; returns how many pairs.
  void WritePairs(const std::atomic<bool>* stop, std::atomic<int>* pairs) {
    while (!*stop) {
      int n = *pairs;
      absl::Status status = store_->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
        for (const char* side : {"a", "b"}) {
          membership::v1::Region region;
          region.set_name(absl::StrCat("regions/r", n, side));
          region.set_display_name("R");
          RETURN_IF_ERROR(tx.Insert(regions_, region.name(), region).status());
        }
        return absl::OkStatus();
      });
      ASSERT_OK(status);
      ++*pairs;
    }
  }

  metrocap::testing::TempDir dir_{"metrocap-backup"};
  store::ResourceSchema regions_ = Regions();
  std::unique_ptr<store::Store> store_;
};

TEST_F(SqliteBackupTest, BackupsUnderConcurrentWritesAreConsistentAndRestore) {
  std::atomic<bool> stop{false};
  std::atomic<int> pairs{0};
  std::thread writer([&] { WritePairs(&stop, &pairs); });
  std::vector<std::string> backups;
  int64_t last_pairs_before = 0;
  for (int i = 0; i < 5; ++i) {
    // Each backup starts only once more pairs have landed, so it races real writes.
    const int seen = pairs;
    absl::Status more =
        metrocap::testing::PollUntil([&]() -> absl::StatusOr<bool> { return pairs >= seen + 20; },
                                     absl::Seconds(30), "20 more pairs written");
    if (!more.ok()) {
      ADD_FAILURE() << more;  // (no ASSERT: the writer thread must be joined)
      break;
    }
    last_pairs_before = pairs;
    backups.push_back(Path(absl::StrCat("backup-", i, ".db")));
    EXPECT_THAT(BackupSqlite(Path("live.db"), backups.back()), IsOk());
  }
  stop = true;
  writer.join();

  int64_t previous = 0;
  for (const std::string& backup : backups) {
    ASSERT_OK_AND_ASSIGN(int64_t count, CountRegions(backup, regions_));
    EXPECT_EQ(count % 2, 0) << backup << " holds half a transaction";
    EXPECT_GE(count, previous) << backup;
    EXPECT_GT(count, 0);
    previous = count;
  }
  EXPECT_GE(previous, 2 * last_pairs_before);

  // Restore the last backup into a fresh path: it opens as a working store.
  ASSERT_THAT(RestoreSqlite(backups.back(), Path("restored.db")), IsOk());
  ASSERT_OK_AND_ASSIGN(int64_t restored, CountRegions(Path("restored.db"), regions_));
  EXPECT_EQ(restored, previous);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Store> reopened,
                       store::OpenSqliteStore(Path("restored.db")));
  EXPECT_OK(reopened->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
    membership::v1::Region region;
    region.set_name("regions/after-restore");
    return tx.Insert(regions_, region.name(), region).status();
  }));
}

TEST_F(SqliteBackupTest, RefusesWhatItCannotDoSafely) {
  EXPECT_THAT(BackupSqlite(Path("absent.db"), Path("b.db")), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_THAT(BackupSqlite(Path("live.db"), Path("b.db")), IsOk());
  EXPECT_THAT(BackupSqlite(Path("live.db"), Path("b.db")),
              StatusIs(absl::StatusCode::kAlreadyExists));
  // Restoring over the database the (still open) store uses is refused.
  EXPECT_THAT(RestoreSqlite(Path("b.db"), Path("live.db")),
              StatusIs(absl::StatusCode::kUnavailable));
  {
    FILE* junk = fopen(Path("junk.db").c_str(), "w");
    ASSERT_NE(junk, nullptr);
    fputs("not a database, just text long enough to be read as a header of one", junk);
    fclose(junk);
  }
  EXPECT_THAT(RestoreSqlite(Path("junk.db"), Path("other.db")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(RestoreSqlite(Path("absent.db"), Path("other.db")),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace metrocap::tools
