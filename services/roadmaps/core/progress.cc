#include "services/roadmaps/core/progress.h"

#include <algorithm>
#include <cmath>

#include "services/roadmaps/core/dates.h"

namespace metrocap::roadmaps {
namespace {

bool SameValue(double a, double b) { return std::fabs(a - b) <= kValueTolerance; }

// The point (measurement or milestone) with the latest date among those `eligible`, or
// null. Dates are unique within an indicator (ValidateRoadmap), so there is no tie.
template <typename Point, typename Eligible>
const Point* Latest(const google::protobuf::RepeatedPtrField<Point>& points, Eligible eligible) {
  const Point* latest = nullptr;
  absl::optional<absl::CivilDay> latest_day;
  for (const Point& point : points) {
    absl::optional<absl::CivilDay> day = DayOf(point.date());
    if (!day || !eligible(*day)) continue;
    if (!latest_day || *day > *latest_day) {
      latest = &point;
      latest_day = day;
    }
  }
  return latest;
}

// Progress of `value` from `baseline` towards `target`, in percent, clamped to 0-100.
double IndicatorProgress(double baseline, double target, double value) {
  if (SameValue(target, baseline)) return SameValue(value, target) ? 100 : 0;
  return std::clamp((value - baseline) / (target - baseline) * 100, 0.0, 100.0);
}

// Whether `value` is on the wrong side of `milestone` for an indicator going from
// `baseline` towards `target`.
bool WrongSide(double baseline, double target, double value, double milestone) {
  if (SameValue(value, milestone)) return false;
  if (SameValue(target, baseline)) return true;
  return target > baseline ? value < milestone : value > milestone;
}

}  // namespace

double ActionProgress(const v1::RoadmapAction& action) {
  return action.status() == v1::RoadmapAction::DONE ? 100 : action.progress_percent();
}

bool IsLate(const v1::RoadmapAction& action, absl::CivilDay as_of) {
  if (action.status() == v1::RoadmapAction::DONE ||
      action.status() == v1::RoadmapAction::CANCELLED) {
    return false;
  }
  absl::optional<absl::CivilDay> due = DayOf(action.due_date());
  return due && *due < as_of;
}

void ComputeIndicator(v1::RoadmapIndicator& indicator) {
  indicator.clear_progress_percent();
  indicator.clear_latest();
  indicator.clear_judged_milestone();
  indicator.set_off_track(false);
  const v1::Measurement* latest =
      Latest(indicator.measurements(), [](absl::CivilDay) { return true; });
  if (latest == nullptr) return;
  *indicator.mutable_latest() = *latest;
  indicator.set_progress_percent(
      IndicatorProgress(indicator.baseline(), indicator.target(), latest->value()));
  const absl::CivilDay latest_day = *DayOf(latest->date());
  const v1::Milestone* milestone = Latest(
      indicator.milestones(), [latest_day](absl::CivilDay day) { return day <= latest_day; });
  if (milestone == nullptr) return;
  *indicator.mutable_judged_milestone() = *milestone;
  indicator.set_off_track(
      WrongSide(indicator.baseline(), indicator.target(), latest->value(), milestone->value()));
}

void ComputeOutputs(v1::Roadmap& roadmap, absl::CivilDay as_of) {
  ClearComputedOutputs(roadmap);
  double roadmap_sum = 0;
  int roadmap_late = 0;
  for (v1::Objective& objective : *roadmap.mutable_objectives()) {
    double sum = 0;
    int late = 0;
    v1::ProgressBasis* basis = objective.mutable_progress_basis();
    for (v1::RoadmapAction& action : *objective.mutable_actions()) {
      action.set_late(IsLate(action, as_of));
      if (action.late()) ++late;
      if (action.status() == v1::RoadmapAction::CANCELLED) {
        v1::ProgressBasis::Exclusion* excluded = basis->add_excluded();
        excluded->set_id(action.id());
        excluded->set_reason(v1::ProgressBasis::CANCELLED);
        continue;
      }
      basis->add_counted(action.id());
      sum += ActionProgress(action);
    }
    objective.set_late_action_count(late);
    roadmap_late += late;
    v1::ProgressBasis* roadmap_basis = roadmap.mutable_progress_basis();
    if (basis->counted_size() == 0) {
      v1::ProgressBasis::Exclusion* excluded = roadmap_basis->add_excluded();
      excluded->set_id(objective.id());
      excluded->set_reason(v1::ProgressBasis::NO_COUNTED_ACTIONS);
      continue;
    }
    objective.set_progress_percent(sum / basis->counted_size());
    roadmap_basis->add_counted(objective.id());
    roadmap_sum += objective.progress_percent();
  }
  const int counted = roadmap.progress_basis().counted_size();
  if (counted > 0) roadmap.set_progress_percent(roadmap_sum / counted);
  roadmap.set_late_action_count(roadmap_late);
  *roadmap.mutable_as_of() = DateOf(as_of);
  for (v1::RoadmapIndicator& indicator : *roadmap.mutable_indicators()) ComputeIndicator(indicator);
}

void ClearComputedOutputs(v1::Roadmap& roadmap) {
  roadmap.clear_progress_percent();
  roadmap.clear_progress_basis();
  roadmap.clear_late_action_count();
  roadmap.clear_as_of();
  for (v1::Objective& objective : *roadmap.mutable_objectives()) {
    objective.clear_progress_percent();
    objective.clear_progress_basis();
    objective.clear_late_action_count();
    for (v1::RoadmapAction& action : *objective.mutable_actions()) action.clear_late();
  }
  for (v1::RoadmapIndicator& indicator : *roadmap.mutable_indicators()) {
    indicator.clear_progress_percent();
    indicator.clear_latest();
    indicator.clear_judged_milestone();
    indicator.clear_off_track();
  }
}

}  // namespace metrocap::roadmaps
