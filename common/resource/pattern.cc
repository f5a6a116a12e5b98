#include "common/resource/pattern.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/resource/names.h"
#include "common/status/errors.h"

namespace metrocap::resource {
namespace {

bool IsVariable(absl::string_view segment) {
  return absl::StartsWith(segment, "{") && absl::EndsWith(segment, "}");
}

absl::Status Malformed(absl::string_view field, absl::string_view value, absl::string_view shape) {
  if (value.empty()) return InvalidField(field, "is required");
  return InvalidField(field, absl::StrCat("\"", value, "\" is not a name of the form ", shape,
                                          " with id [a-z0-9-], starting with a letter"));
}

}  // namespace

NamePattern::NamePattern(absl::string_view collection) : collection_(collection) {
  segments_ = absl::StrSplit(collection, '/');
  bool ok = segments_.size() % 2 == 1;
  for (size_t i = 0; ok && i < segments_.size(); ++i) {
    ok = (i % 2 == 1) == IsVariable(segments_[i]) && !segments_[i].empty();
  }
  if (!ok) {
    std::fprintf(stderr, "resource: \"%s\" is not a collection pattern\n", collection_.c_str());
    std::abort();
  }
}

bool NamePattern::Matches(const std::vector<absl::string_view>& parts, size_t count) const {
  for (size_t i = 0; i < count; ++i) {
    if (i % 2 == 0 ? parts[i] != segments_[i] : !IsValidId(parts[i])) return false;
  }
  return true;
}

absl::Status NamePattern::CheckName(absl::string_view field, absl::string_view name) const {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != segments_.size() + 1 || !Matches(parts, segments_.size()) ||
      !IsValidId(parts.back())) {
    return Malformed(field, name, absl::StrCat(collection_, "/{id}"));
  }
  return absl::OkStatus();
}

absl::Status NamePattern::CheckParent(absl::string_view field, absl::string_view parent) const {
  if (!has_parent()) return absl::OkStatus();
  std::vector<absl::string_view> parts = absl::StrSplit(parent, '/');
  const size_t count = segments_.size() - 1;
  if (parts.size() != count || !Matches(parts, count)) {
    std::string shape = collection_.substr(0, collection_.rfind('/'));
    // The last variable is the parent's own ID: say it the way CheckName does.
    shape = absl::StrCat(shape.substr(0, shape.rfind('/')), "/{id}");
    return Malformed(field, parent, shape);
  }
  return absl::OkStatus();
}

bool NamePattern::IsWildcardParent(absl::string_view parent) const {
  if (!has_parent()) return false;
  std::vector<absl::string_view> parts = absl::StrSplit(parent, '/');
  if (parts.size() != segments_.size() - 1) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i % 2 == 0 ? parts[i] != segments_[i] : parts[i] != "-") return false;
  }
  return true;
}

std::string NamePattern::NameOf(absl::string_view parent, absl::string_view id) const {
  if (!has_parent()) return absl::StrCat(collection_, "/", id);
  return absl::StrCat(parent, "/", segments_.back(), "/", id);
}

}  // namespace metrocap::resource
