#include "services/roadmaps/core/roadmap_rules.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/violations.h"
#include "services/roadmaps/core/dates.h"

namespace metrocap::roadmaps {
namespace {

constexpr size_t kMaxDisplayName = 200;
constexpr size_t kMaxDescription = 2000;
constexpr size_t kMaxTitle = 500;
constexpr size_t kMaxShortText = 200;

void CheckId(Violations& out, const std::string& field, const std::string& id,
             absl::flat_hash_set<std::string>& seen) {
  if (id.empty()) {
    out.Add(field, "is required");
  } else if (!IsRoadmapElementId(id)) {
    out.Add(field, absl::StrCat("\"", id,
                                "\" must be 1-63 lower-case letters, digits or hyphens, "
                                "starting with a letter"));
  } else if (!seen.insert(id).second) {
    out.Add(field, absl::StrCat("\"", id, "\" is used twice in the roadmap"));
  }
}

void CheckFinite(Violations& out, const std::string& field, double value) {
  if (!std::isfinite(value)) out.Add(field, "must be a finite number");
}

// Checks each entry of a repeated code or capacity field: `known` says whether it
// resolves; `missing` explains a reference the roadmap lacks (references null).
template <typename Known>
void CheckEach(Violations& out, const std::string& field,
               const google::protobuf::RepeatedPtrField<std::string>& values, bool has_reference,
               absl::string_view missing, absl::string_view where, Known known) {
  if (values.size() > kMaxCodesPerAction) {
    out.Add(field, absl::StrCat("must have at most ", kMaxCodesPerAction));
    return;
  }
  for (int i = 0; i < values.size(); ++i) {
    const std::string at = absl::StrCat(field, "[", i, "]");
    if (!has_reference) {
      out.Add(at, absl::StrCat("\"", values[i], "\" needs ", missing));
    } else if (!known(values[i])) {
      out.Add(at, absl::StrCat("\"", values[i], "\" is not ", where));
    }
  }
}

void CheckCapacities(Violations& out, const std::string& field,
                     const google::protobuf::RepeatedPtrField<std::string>& capacities,
                     const RoadmapReferences& refs) {
  CheckEach(out, field, capacities, refs.capacities != nullptr, "the roadmap's framework",
            "a capacity of the roadmap's framework",
            [&](const std::string& id) { return refs.capacities->contains(id); });
}

void CheckAction(Violations& out, const v1::RoadmapAction& action, const std::string& at,
                 const RoadmapReferences& refs, absl::flat_hash_set<std::string>& ids) {
  CheckId(out, at + "id", action.id(), ids);
  out.RequireText(at + "title", action.title(), kMaxTitle);
  out.OptionalText(at + "owner", action.owner(), kMaxShortText);
  if (action.status() == v1::RoadmapAction::STATUS_UNSPECIFIED ||
      !v1::RoadmapAction::Status_IsValid(action.status())) {
    out.Add(at + "status", "is required (NOT_STARTED, IN_PROGRESS, DONE, DELAYED or CANCELLED)");
  }
  auto start = CheckDate(out, at + "startDate", action.start_date(), false);
  auto due = CheckDate(out, at + "dueDate", action.due_date(), false);
  CheckOrder(out, at + "dueDate", "startDate", start, due);
  double progress = action.progress_percent();
  if (!std::isfinite(progress) || progress < 0 || progress > 100) {
    out.Add(at + "progressPercent", absl::StrFormat("must be between 0 and 100, not %g", progress));
  }
  CheckCapacities(out, at + "capacities", action.capacities(), refs);
  CheckEach(out, at + "challengeCodes", action.challenge_codes(), refs.taxonomy != nullptr,
            "the roadmap's plan to name a taxonomy", "a challenge code of the plan's taxonomy",
            [&](const std::string& code) { return refs.taxonomy->Contains(code); });
  CheckEach(out, at + "outcomeCodes", action.outcome_codes(), refs.plan != nullptr,
            "the roadmap's plan", "a code of the roadmap's plan",
            [&](const std::string& code) { return refs.plan->Contains(code); });
}

void CheckObjectives(Violations& out, const v1::Roadmap& roadmap, const RoadmapReferences& refs) {
  if (roadmap.objectives_size() > kMaxObjectives) {
    out.Add("objectives", absl::StrCat("must have at most ", kMaxObjectives));
    return;
  }
  absl::flat_hash_set<std::string> objective_ids;
  absl::flat_hash_set<std::string> action_ids;
  for (int o = 0; o < roadmap.objectives_size(); ++o) {
    const v1::Objective& objective = roadmap.objectives(o);
    const std::string at = absl::StrCat("objectives[", o, "].");
    CheckId(out, at + "id", objective.id(), objective_ids);
    out.RequireText(at + "title", objective.title(), kMaxTitle);
    out.OptionalText(at + "description", objective.description(), kMaxDescription);
    CheckCapacities(out, at + "capacities", objective.capacities(), refs);
    if (objective.actions_size() > kMaxActionsPerObjective) {
      out.Add(at + "actions", absl::StrCat("must have at most ", kMaxActionsPerObjective));
      continue;
    }
    for (int a = 0; a < objective.actions_size(); ++a) {
      CheckAction(out, objective.actions(a), absl::StrCat(at, "actions[", a, "]."), refs,
                  action_ids);
    }
  }
}

// Dated points of an indicator (measurements or milestones): each date required, real and
// unique, each value finite.
template <typename Point>
void CheckPoints(Violations& out, const std::string& field,
                 const google::protobuf::RepeatedPtrField<Point>& points, int max) {
  if (points.size() > max) {
    out.Add(field, absl::StrCat("must have at most ", max));
    return;
  }
  absl::flat_hash_set<absl::CivilDay> days;
  for (int i = 0; i < points.size(); ++i) {
    const std::string at = absl::StrCat(field, "[", i, "].");
    auto day = CheckDate(out, at + "date", points[i].date(), true);
    if (day && !days.insert(*day).second) {
      out.Add(at + "date", absl::StrCat(absl::FormatCivilTime(*day), " is used twice"));
    }
    CheckFinite(out, at + "value", points[i].value());
  }
}

void CheckIndicators(Violations& out, const v1::Roadmap& roadmap) {
  if (roadmap.indicators_size() > kMaxIndicators) {
    out.Add("indicators", absl::StrCat("must have at most ", kMaxIndicators));
    return;
  }
  absl::flat_hash_set<std::string> ids;
  for (int i = 0; i < roadmap.indicators_size(); ++i) {
    const v1::RoadmapIndicator& indicator = roadmap.indicators(i);
    const std::string at = absl::StrCat("indicators[", i, "].");
    CheckId(out, at + "id", indicator.id(), ids);
    out.RequireText(at + "displayName", indicator.display_name(), kMaxDisplayName);
    out.OptionalText(at + "unit", indicator.unit(), kMaxShortText);
    CheckFinite(out, at + "baseline", indicator.baseline());
    CheckFinite(out, at + "target", indicator.target());
    CheckPoints(out, at + "measurements", indicator.measurements(), kMaxMeasurements);
    for (int m = 0; m < indicator.measurements_size(); ++m) {
      out.OptionalText(absl::StrCat(at, "measurements[", m, "].source"),
                       indicator.measurements(m).source(), kMaxShortText);
    }
    CheckPoints(out, at + "milestones", indicator.milestones(), kMaxMilestones);
  }
}

}  // namespace

bool IsRoadmapElementId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id[0] < 'a' || id[0] > 'z') return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

absl::Status ValidateRoadmap(const v1::Roadmap& roadmap, const RoadmapReferences& references,
                             absl::string_view prefix) {
  Violations out(prefix);
  out.RequireText("displayName", roadmap.display_name(), kMaxDisplayName);
  out.OptionalText("description", roadmap.description(), kMaxDescription);
  if (roadmap.kind() == v1::Roadmap::KIND_UNSPECIFIED ||
      !v1::Roadmap::Kind_IsValid(roadmap.kind())) {
    out.Add("kind", "is required (CLIMATE, DIGITAL or TWIN)");
  }
  if (roadmap.state() == v1::Roadmap::STATE_UNSPECIFIED ||
      !v1::Roadmap::State_IsValid(roadmap.state())) {
    out.Add("state", "is required (DRAFT, ACTIVE or ARCHIVED)");
  }
  auto start = CheckDate(out, "startDate", roadmap.start_date(), false);
  auto end = CheckDate(out, "endDate", roadmap.end_date(), false);
  CheckOrder(out, "endDate", "startDate", start, end);
  CheckObjectives(out, roadmap, references);
  CheckIndicators(out, roadmap);
  return out.ToStatus();
}

}  // namespace metrocap::roadmaps
