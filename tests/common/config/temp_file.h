#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace metrocap::config::testing {

// A file with `contents` in a fresh temporary directory, removed with the object.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    const char* base = getenv("TEST_TMPDIR");
    std::string pattern = std::string(base ? base : "/tmp") + "/metrocap-config-XXXXXX";
    char* dir = mkdtemp(pattern.data());
    EXPECT_NE(dir, nullptr);
    dir_ = pattern;
    path_ = dir_ + "/metrocap.env";
    std::ofstream(path_) << contents;
  }
  ~TempFile() {
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }
  const std::string& path() const { return path_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::string path_;
};

}  // namespace metrocap::config::testing
