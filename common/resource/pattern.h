#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace metrocap::resource {

// The shape of one resource type's names, from its collection pattern:
//   "frameworks"                             -> frameworks/{id}
//   "organisations/{organisation}/assessments" -> organisations/{organisation}/assessments/{id}
// Literal segments alternate with "{variable}" segments; every ID segment is a valid ID
// (names.h IsValidId). Built from code, so a malformed pattern crashes.
class NamePattern {
 public:
  explicit NamePattern(absl::string_view collection);

  // INVALID_ARGUMENT naming `field` unless `name` has this shape ("is required" when empty).
  absl::Status CheckName(absl::string_view field, absl::string_view name) const;
  // INVALID_ARGUMENT naming `field` unless `parent` is the parent of such a name
  // ("organisations/milan"). Always OK for a top-level collection, whose parent is "".
  absl::Status CheckParent(absl::string_view field, absl::string_view parent) const;
  // Whether `parent` uses "-" for every parent ID ("organisations/-"): every parent at once.
  bool IsWildcardParent(absl::string_view parent) const;
  // The name of the resource `id` under `parent` (checked by CheckParent).
  std::string NameOf(absl::string_view parent, absl::string_view id) const;

  bool has_parent() const { return segments_.size() > 1; }
  // "organisations/{organisation}/assessments"
  const std::string& collection() const { return collection_; }

 private:
  // Whether the first `count` segments of `name`'s segments match the pattern's.
  bool Matches(const std::vector<absl::string_view>& parts, size_t count) const;

  std::string collection_;
  std::vector<std::string> segments_;  // alternately literal and "{variable}"
};

}  // namespace metrocap::resource
