#pragma once

#include "absl/time/civil_time.h"
#include "metrocap/roadmaps/v1/roadmaps.pb.h"

// The output figures of a roadmap, exactly as shared/API.md defines them and
// docs/roadmaps.md explains them with a worked example. Every figure is recomputed from the
// stored fields on each read, so none can go stale; `progressBasis`, `latest` and
// `judgedMilestone` let a partner recompute each one from the response alone.
namespace metrocap::roadmaps {

namespace v1 = ::metrocap::roadmaps::v1;

// Values closer than this count as equal (a measurement "at" its milestone or target).
inline constexpr double kValueTolerance = 1e-9;

// An action's progress: 100 when DONE, else its given progress_percent.
double ActionProgress(const v1::RoadmapAction& action);

// An action is late on `as_of` when it is not DONE or CANCELLED and its dueDate is before
// `as_of`. An action without a dueDate is never late.
bool IsLate(const v1::RoadmapAction& action, absl::CivilDay as_of);

// Fills an indicator's outputs from its measurements:
// - latest: the measurement with the latest date (none without measurements);
// - progressPercent: (latest - baseline) / (target - baseline) * 100 clamped to 0-100, so
//   an indicator that should fall (target < baseline) progresses as it falls; when
//   target = baseline, 100 if latest = target and 0 otherwise; absent without measurements;
// - judgedMilestone: the latest milestone dated on or before latest's date;
// - offTrack: latest is on the wrong side of judgedMilestone, judged by the direction from
//   baseline to target (below it for a rising indicator, above it for a falling one, away
//   from it for a flat one). Never off track without a judged milestone.
void ComputeIndicator(v1::RoadmapIndicator& indicator);

// Fills every output figure of `roadmap` as of the day `as_of` (UTC): each action's `late`;
// each objective's progressPercent (mean of its actions' progress, CANCELLED ones excluded;
// absent when none counts), progressBasis and lateActionCount; the roadmap's
// progressPercent (mean of the objectives that have one; the others excluded with
// NO_COUNTED_ACTIONS), progressBasis, lateActionCount and asOf; every indicator
// (ComputeIndicator). Outputs already present are replaced.
void ComputeOutputs(v1::Roadmap& roadmap, absl::CivilDay as_of);

// Clears the figures ComputeOutputs fills, so that stored roadmaps hold only what callers
// wrote.
void ClearComputedOutputs(v1::Roadmap& roadmap);

}  // namespace metrocap::roadmaps
