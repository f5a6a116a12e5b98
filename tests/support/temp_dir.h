#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Temporary directories for tests: the one way tests make and remove them.
namespace metrocap::testing {

// A new empty directory named after `prefix` under $TEST_TMPDIR, else $TMPDIR, else /tmp.
absl::StatusOr<std::string> MakeTempDir(const std::string& prefix);
// Removes `path` and everything below it; errors are ignored (best effort in teardown).
void RemoveTree(const std::string& path);

// A temporary directory that lives as long as the object: the constructor makes it (check
// status(); path() is empty when that failed), the destructor removes it with everything
// below it. For fixtures: a member `TempDir dir_{"metrocap-store"};` and
// `ASSERT_TRUE(dir_.status().ok())` in SetUp.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const absl::Status& status() const { return status_; }
  const std::string& path() const { return path_; }

 private:
  absl::Status status_;
  std::string path_;
};

}  // namespace metrocap::testing
