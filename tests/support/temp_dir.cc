#include "tests/support/temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace metrocap::testing {

absl::StatusOr<std::string> MakeTempDir(const std::string& prefix) {
  const char* base = std::getenv("TEST_TMPDIR");
  if (base == nullptr || *base == '\0') base = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(base && *base ? base : "/tmp", "/", prefix, "-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", pattern, ": ", std::strerror(errno)));
  }
  return pattern;
}

void RemoveTree(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

TempDir::TempDir(const std::string& prefix) {
  absl::StatusOr<std::string> made = MakeTempDir(prefix);
  if (made.ok()) {
    path_ = *std::move(made);
  } else {
    status_ = made.status();
  }
}

TempDir::~TempDir() {
  if (!path_.empty()) RemoveTree(path_);
}

}  // namespace metrocap::testing
