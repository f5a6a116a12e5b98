#include "services/assessment/core/access.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"

namespace metrocap::assessment {

std::string OrganisationOf(absl::string_view assessment_name) {
  std::vector<absl::string_view> parts = absl::StrSplit(assessment_name, '/');
  if (parts.size() != 4 || parts[0] != "organisations" || parts[1].empty() ||
      parts[2] != "assessments" || parts[3].empty()) {
    return "";
  }
  return absl::StrCat(parts[0], "/", parts[1]);
}

bool MayRead(const identity::Caller& caller, const v1::Assessment& assessment) {
  if (caller.IsAdmin()) return true;
  switch (assessment.visibility()) {
    case v1::Assessment::PUBLIC:
      return true;
    case v1::Assessment::NETWORK:
      return caller.MayRead();
    default: {
      const std::string organisation = OrganisationOf(assessment.name());
      return !organisation.empty() && caller.MayWriteFor(organisation);
    }
  }
}

}  // namespace metrocap::assessment
