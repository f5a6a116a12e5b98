#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace metrocap::config {

// Raw settings of one component: KEY=VALUE lines from an optional file, overlaid by the
// process environment (environment wins). Only main() builds one; libraries receive typed
// config structs instead.
class Settings {
 public:
  // Reads `file_path` (empty = none) and overlays `environment`. INVALID_ARGUMENT naming the
  // file and line for a malformed line; NOT_FOUND for a file that cannot be read.
  static absl::StatusOr<Settings> Load(absl::string_view file_path,
                                       const std::map<std::string, std::string>& environment);
  // The METROCAP_* variables of `envp` (main's environment).
  static std::map<std::string, std::string> FromEnviron(char** envp);

  std::string String(absl::string_view key, absl::string_view fallback) const;
  // INVALID_ARGUMENT naming `key` when the value is not an integer in [min, max].
  absl::StatusOr<int64_t> Int(absl::string_view key, int64_t fallback, int64_t min,
                              int64_t max) const;
  // Accepts true/false/1/0/yes/no; INVALID_ARGUMENT naming `key` otherwise.
  absl::StatusOr<bool> Bool(absl::string_view key, bool fallback) const;
  // A host:port with a port in 0..65535; INVALID_ARGUMENT naming `key` otherwise.
  absl::StatusOr<std::string> Address(absl::string_view key, absl::string_view fallback) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace metrocap::config
