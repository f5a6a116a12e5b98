#pragma once

#include <string>
#include <vector>

namespace metrocap::tools {

// The services metrocapctl knows; those not linked into this build are skipped.
inline std::vector<std::string> ServiceNames() {
  return {"metrocap.membership.v1.MembershipService", "metrocap.assessment.v1.AssessmentService",
          "metrocap.roadmaps.v1.RoadmapService", "metrocap.hubs.v1.HubService"};
}

}  // namespace metrocap::tools
