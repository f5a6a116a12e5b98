#include "services/assessment/names.h"

#include "absl/strings/str_cat.h"
#include "common/resource/names.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/assessment/core/access.h"

namespace metrocap::assessment {

absl::Status CheckAssessmentName(absl::string_view field, absl::string_view name) {
  const std::string organisation = OrganisationOf(name);
  if (organisation.empty()) {
    return InvalidField(field,
                        absl::StrCat("\"", name,
                                     "\" must look like "
                                     "organisations/{organisation}/assessments/{assessment}"));
  }
  RETURN_IF_ERROR(resource::CheckName(field, organisation, "organisations"));
  return resource::CheckName(field, name, absl::StrCat(organisation, "/assessments"));
}

}  // namespace metrocap::assessment
