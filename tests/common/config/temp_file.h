#pragma once

#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace metrocap::config::testing {

// A file with `contents` in a fresh temporary directory, removed with the object.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) : dir_("metrocap-config") {
    EXPECT_TRUE(dir_.status().ok()) << dir_.status();
    path_ = dir_.path() + "/metrocap.env";
    std::ofstream(path_) << contents;
  }
  const std::string& path() const { return path_; }
  const std::string& dir() const { return dir_.path(); }

 private:
  metrocap::testing::TempDir dir_;
  std::string path_;
};

}  // namespace metrocap::config::testing
