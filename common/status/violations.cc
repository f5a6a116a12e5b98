#include "common/status/violations.h"

#include "absl/strings/str_cat.h"

namespace metrocap {

void Violations::Add(absl::string_view field, absl::string_view description) {
  if (list_.size() >= kMaxViolations) return;
  list_.push_back(FieldViolation{absl::StrCat(prefix_, field), std::string(description)});
}

void Violations::AddFrom(absl::string_view field, const absl::Status& status) {
  if (status.ok()) return;
  std::vector<FieldViolation> found = FieldViolationsOf(status);
  if (found.empty()) {
    Add(field, status.message());
    return;
  }
  for (const FieldViolation& violation : found) Add(field, violation.description);
}

void Violations::RequireText(absl::string_view field, absl::string_view value, size_t max) {
  if (value.empty()) {
    Add(field, "is required");
  } else {
    OptionalText(field, value, max);
  }
}

void Violations::OptionalText(absl::string_view field, absl::string_view value, size_t max) {
  if (value.size() > max) Add(field, absl::StrCat("must be at most ", max, " characters"));
}

absl::Status Violations::ToStatus() const {
  return list_.empty() ? absl::OkStatus() : InvalidFields(list_);
}

}  // namespace metrocap
