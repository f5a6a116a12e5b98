// The commit of a large write on the SQLite store, with the log checkpointed by the store's
// checkpointer thread (as the store does) and in the committing call past 1,000 pages (as
// SQLite does by default): the store-level cause of roadmaps' update tail, without the gRPC
// service around it.
//
//   roadmaps_commit_bench [--commits=1000] [--bytes=409600] [--in_commit=0|1]
//                        [--gap_ms=6]
//
// One store in a temporary directory; each commit replaces one record whose bytes are
// `bytes` long (roadmaps' update writes ~400 kB). --in_commit=1 opens the store with the
// checkpoint in the committing call past 1,000 pages and no checkpointer thread. One store
// per process: the checkpointer thread of a store written beside another would checkpoint
// during the other's commits. Run the two alternately. Prints a Markdown table row of the
// commit latencies on stdout. --gap_ms is the time between commits (roadmaps' update spends
// ~6 ms of CPU outside its commit): the checkpointer's time to work.
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/store/schema.h"
#include "common/store/sqlite_store.h"
#include "metrocap/membership/v1/membership.pb.h"

namespace metrocap::bench {
namespace {

using membership::v1::Organisation;

[[noreturn]] void Die(const absl::Status& status) {
  std::cerr << status << "\n";
  std::exit(1);
}

// The flag `--name=value`'s integer, or `fallback`.
int64_t Flag(int argc, char** argv, const std::string& name, int64_t fallback) {
  const std::string prefix = absl::StrCat("--", name, "=");
  for (int i = 1; i < argc; ++i) {
    int64_t value;
    if (absl::StartsWith(argv[i], prefix) &&
        absl::SimpleAtoi(absl::string_view(argv[i]).substr(prefix.size()), &value)) {
      return value;
    }
  }
  return fallback;
}

double Percentile(std::vector<absl::Duration> values, double p) {
  std::sort(values.begin(), values.end());
  size_t index = std::min(values.size() - 1, static_cast<size_t>(p / 100 * values.size()));
  return absl::ToDoubleMilliseconds(values[index]);
}

int Run(int argc, char** argv) {
  const int64_t commits = Flag(argc, argv, "commits", 1000);
  const int64_t bytes = Flag(argc, argv, "bytes", 400 << 10);
  std::string pattern = std::filesystem::temp_directory_path() / "metrocap-commit-bench-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) Die(absl::InternalError("mkdtemp"));
  const std::string dir = pattern;
  const store::ResourceSchema schema =
      store::MakeSchema("organisations", Organisation::descriptor(), {"displayName"});

  store::SqliteOptions options;
  const bool in_commit = Flag(argc, argv, "in_commit", 0) != 0;
  const absl::Duration gap = absl::Milliseconds(Flag(argc, argv, "gap_ms", 6));
  if (in_commit) {
    options.checkpoints.background_pages = std::numeric_limits<int>::max();
    options.checkpoints.commit_pages = 1000;
  }
  auto opened = store::OpenSqliteStore(dir + "/store.db", options);
  if (!opened.ok()) Die(opened.status());
  std::unique_ptr<store::Store> store = *std::move(opened);
  if (absl::Status migrated = store->Migrate({&schema}); !migrated.ok()) Die(migrated);

  Organisation record;
  record.set_name("organisations/large");
  record.set_display_name("Large");
  std::vector<absl::Duration> latencies;
  for (int64_t version = 0; version < commits; ++version) {
    record.set_description(std::string(bytes, static_cast<char>('a' + version % 26)));
    absl::Time start = absl::Now();
    absl::Status written = store->RunInTransaction([&](store::Transaction& tx) {
      if (version == 0) return tx.Insert(schema, record.name(), record).status();
      return tx.Update(schema, record.name(), record, version).status();
    });
    if (!written.ok()) Die(written);
    latencies.push_back(absl::Now() - start);
    absl::SleepFor(gap);
  }
  store.reset();

  std::cout << absl::StrFormat(
      "| %s | %d x %d B, %s apart | %.1f | %.1f | %.1f | %.1f | %.1f |\n",
      in_commit ? "in the commit past 1,000 pages (SQLite's default)" : "the store's thread",
      commits, bytes, absl::FormatDuration(gap), Percentile(latencies, 50),
      Percentile(latencies, 90), Percentile(latencies, 95), Percentile(latencies, 99),
      Percentile(latencies, 100));
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace metrocap::bench

int main(int argc, char** argv) { return metrocap::bench::Run(argc, argv); }
