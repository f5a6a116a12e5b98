#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"

namespace metrocap {

// Collects every problem of one request so the caller sees them all in one
// INVALID_ARGUMENT. Field paths are prefixed with `prefix` (e.g. "organisation."), the way
// callers spell them. Stops recording after kMaxViolations to keep the error small
// whatever the input.
class Violations {
 public:
  static constexpr size_t kMaxViolations = 50;

  explicit Violations(absl::string_view prefix = "") : prefix_(prefix) {}

  void Add(absl::string_view field, absl::string_view description);
  // Adds the field violations of `status` (or, if it has none, its message under `field`);
  // nothing when `status` is OK.
  void AddFrom(absl::string_view field, const absl::Status& status);
  // "is required" when empty, "must be at most N characters" when longer than `max`.
  void RequireText(absl::string_view field, absl::string_view value, size_t max);
  // "must be at most N characters" when longer than `max`.
  void OptionalText(absl::string_view field, absl::string_view value, size_t max);

  bool empty() const { return list_.empty(); }
  // OK when nothing was added, else INVALID_ARGUMENT carrying every violation.
  absl::Status ToStatus() const;

 private:
  std::string prefix_;
  std::vector<FieldViolation> list_;
};

}  // namespace metrocap
