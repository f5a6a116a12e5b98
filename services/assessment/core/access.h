#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/identity/caller.h"
#include "metrocap/assessment/v1/assessment.pb.h"

namespace metrocap::assessment {

// The organisation an assessment name belongs to: "organisations/x/assessments/y" ->
// "organisations/x"; "" when the name has another shape.
std::string OrganisationOf(absl::string_view assessment_name);

// Who may read an assessment, by its visibility:
//   PRIVATE  the ADMIN and the PARTNERs granted the assessed organisation;
//   NETWORK  any authenticated caller (any role);
//   PUBLIC   anyone.
// An unset visibility is treated as PRIVATE, the safe side. The organisation is taken from
// the name, which cannot be forged the way a field could.
bool MayRead(const identity::Caller& caller, const v1::Assessment& assessment);

}  // namespace metrocap::assessment
