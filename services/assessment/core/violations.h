#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/status/errors.h"

namespace metrocap::assessment {

// Collects the problems of one request so that the caller sees all of them at once. Stops
// recording after kMaxViolations to keep the error small whatever the input.
class Violations {
 public:
  static constexpr size_t kMaxViolations = 50;

  void Add(std::string field, std::string description) {
    if (list_.size() < kMaxViolations) {
      list_.push_back(FieldViolation{std::move(field), std::move(description)});
    }
  }
  bool empty() const { return list_.empty(); }
  // OK when nothing was added, else INVALID_ARGUMENT with every violation.
  absl::Status ToStatus() const { return list_.empty() ? absl::OkStatus() : InvalidFields(list_); }

 private:
  std::vector<FieldViolation> list_;
};

}  // namespace metrocap::assessment
