#pragma once

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "metrocap/roadmaps/v1/roadmaps.pb.h"
#include "services/roadmaps/core/codes.h"

namespace metrocap::roadmaps {

// Limits that keep one roadmap a reasonable size to store and send (the benchmark's
// roadmap, 50 objectives x 20 actions and 20 indicators x 200 measurements, fits).
inline constexpr int kMaxObjectives = 200;
inline constexpr int kMaxActionsPerObjective = 200;
inline constexpr int kMaxIndicators = 200;
inline constexpr int kMaxMeasurements = 5000;
inline constexpr int kMaxMilestones = 200;
inline constexpr int kMaxCodesPerAction = 100;

// What a roadmap's codes and capacities resolve in. Each is null when the roadmap names no
// such reference (no plan; a plan without a taxonomy; no framework): then any code or
// capacity that needs it is refused.
struct RoadmapReferences {
  const PlanCodes* plan = nullptr;
  const TaxonomyCodes* taxonomy = nullptr;
  // The capacity ids of the roadmap's framework.
  const absl::flat_hash_set<std::string>* capacities = nullptr;
};

// True for the ids of objectives, actions and indicators: `[a-z][a-z0-9-]{0,62}`.
bool IsRoadmapElementId(absl::string_view id);

// Checks the writable fields of a roadmap: display name, kind and state set, dates real and
// in order (endDate not before startDate, an action's dueDate not before its startDate),
// objective, action and indicator ids well formed and unique in the roadmap, titles,
// statuses, progress 0-100, and every outcome code, challenge code and capacity resolved in
// `references`; indicators with finite baseline and target, dated measurements and
// milestones (dates unique within the indicator, values finite). Reference names (plan,
// framework) are checked by the service. INVALID_ARGUMENT with one field violation per
// problem, paths under `prefix`, e.g. "roadmap.objectives[2].actions[0].outcomeCodes[1]".
absl::Status ValidateRoadmap(const v1::Roadmap& roadmap, const RoadmapReferences& references,
                             absl::string_view prefix);

}  // namespace metrocap::roadmaps
