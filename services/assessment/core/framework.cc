#include "services/assessment/core/framework.h"

#include <cmath>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/errors.h"
#include "common/status/violations.h"

namespace metrocap::assessment {
namespace {

constexpr size_t kMaxDisplayNameLength = 200;
constexpr size_t kMaxTextLength = 2000;
constexpr size_t kMaxVersionLength = 50;

// Checks an element id and that it is unique among `seen`.
void CheckElementId(Violations& out, const std::string& field, const std::string& id,
                    absl::flat_hash_set<std::string>& seen) {
  if (id.empty()) {
    out.Add(field, "is required");
  } else if (!IsElementId(id)) {
    out.Add(field, absl::StrCat("\"", id,
                                "\" must be 1-63 lower-case letters, digits or hyphens, "
                                "starting with a letter"));
  } else if (!seen.insert(id).second) {
    out.Add(field, absl::StrCat("\"", id, "\" is used twice"));
  }
}

void CheckScale(Violations& out, const v1::Framework& f, const std::string& prefix) {
  bool scale_ok = true;
  if (!std::isfinite(f.scale_min())) {
    out.Add(prefix + "scaleMin", "must be a finite number");
    scale_ok = false;
  }
  if (!std::isfinite(f.scale_max())) {
    out.Add(prefix + "scaleMax", "must be a finite number");
    scale_ok = false;
  }
  if (scale_ok && !(f.scale_min() < f.scale_max())) {
    out.Add(prefix + "scaleMax", absl::StrFormat("must be above scaleMin (%g)", f.scale_min()));
    scale_ok = false;
  }
  const std::pair<const char*, double> thresholds[] = {
      {"needThreshold", f.need_threshold()}, {"potentialThreshold", f.potential_threshold()}};
  bool thresholds_ok = true;
  for (const auto& [name, value] : thresholds) {
    if (!std::isfinite(value)) {
      out.Add(prefix + name, "must be a finite number");
      thresholds_ok = false;
    } else if (scale_ok && (value < f.scale_min() || value > f.scale_max())) {
      out.Add(prefix + name,
              absl::StrFormat("must be inside the scale [%g, %g]", f.scale_min(), f.scale_max()));
      thresholds_ok = false;
    }
  }
  if (thresholds_ok && f.need_threshold() > f.potential_threshold()) {
    out.Add(prefix + "potentialThreshold",
            absl::StrFormat("must not be below needThreshold (%g)", f.need_threshold()));
  }
}

void CheckCapacities(Violations& out, const v1::Framework& f, const std::string& prefix) {
  if (f.capacities_size() > kMaxCapacities) {
    out.Add(prefix + "capacities", absl::StrCat("must have at most ", kMaxCapacities));
    return;
  }
  absl::flat_hash_set<std::string> capacity_ids;
  for (int c = 0; c < f.capacities_size(); ++c) {
    const v1::Capacity& capacity = f.capacities(c);
    const std::string at = absl::StrCat(prefix, "capacities[", c, "].");
    CheckElementId(out, at + "id", capacity.id(), capacity_ids);
    out.RequireText(at + "displayName", capacity.display_name(), kMaxDisplayNameLength);
    out.OptionalText(at + "description", capacity.description(), kMaxTextLength);
    if (capacity.indicators_size() > kMaxIndicatorsPerCapacity) {
      out.Add(at + "indicators", absl::StrCat("must have at most ", kMaxIndicatorsPerCapacity));
      continue;
    }
    absl::flat_hash_set<std::string> indicator_ids;
    for (int i = 0; i < capacity.indicators_size(); ++i) {
      const v1::Indicator& indicator = capacity.indicators(i);
      const std::string in = absl::StrCat(at, "indicators[", i, "].");
      CheckElementId(out, in + "id", indicator.id(), indicator_ids);
      out.RequireText(in + "question", indicator.question(), kMaxTextLength);
      if (!std::isfinite(indicator.weight()) || indicator.weight() <= 0) {
        out.Add(in + "weight", "must be a number above 0");
      }
    }
  }
}

void CheckDimensions(Violations& out, const v1::Framework& f, const std::string& prefix) {
  if (f.dimensions_size() > kMaxDimensions) {
    out.Add(prefix + "dimensions", absl::StrCat("must have at most ", kMaxDimensions));
    return;
  }
  absl::flat_hash_set<std::string> ids;
  for (int d = 0; d < f.dimensions_size(); ++d) {
    const std::string at = absl::StrCat(prefix, "dimensions[", d, "].");
    CheckElementId(out, at + "id", f.dimensions(d).id(), ids);
    out.RequireText(at + "displayName", f.dimensions(d).display_name(), kMaxDisplayNameLength);
    out.OptionalText(at + "description", f.dimensions(d).description(), kMaxTextLength);
  }
}

}  // namespace

FrameworkIndex::FrameworkIndex(const v1::Framework& framework) : framework_(framework) {
  for (int c = 0; c < framework.capacities_size(); ++c) {
    const v1::Capacity& capacity = framework.capacities(c);
    capacities_.emplace(capacity.id(), c);
    for (int i = 0; i < capacity.indicators_size(); ++i) {
      indicators_.emplace(absl::StrCat(capacity.id(), ".", capacity.indicators(i).id()),
                          IndicatorRef{c, i});
    }
  }
  for (int d = 0; d < framework.dimensions_size(); ++d) {
    dimensions_.emplace(framework.dimensions(d).id(), d);
  }
}

absl::optional<FrameworkIndex::IndicatorRef> FrameworkIndex::FindIndicator(
    absl::string_view reference) const {
  auto it = indicators_.find(reference);
  if (it == indicators_.end()) return absl::nullopt;
  return it->second;
}

absl::optional<int> FrameworkIndex::FindCapacity(absl::string_view id) const {
  auto it = capacities_.find(id);
  if (it == capacities_.end()) return absl::nullopt;
  return it->second;
}

absl::optional<int> FrameworkIndex::FindDimension(absl::string_view id) const {
  auto it = dimensions_.find(id);
  if (it == dimensions_.end()) return absl::nullopt;
  return it->second;
}

bool IsElementId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id[0] < 'a' || id[0] > 'z') return false;
  for (char ch : id) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) return false;
  }
  return true;
}

absl::Status ValidateFramework(const v1::Framework& framework, absl::string_view field_prefix) {
  const std::string prefix = field_prefix.empty() ? "" : absl::StrCat(field_prefix, ".");
  Violations out;
  out.RequireText(prefix + "displayName", framework.display_name(), kMaxDisplayNameLength);
  if (framework.version().size() > kMaxVersionLength) {
    out.Add(prefix + "version", absl::StrCat("must be at most ", kMaxVersionLength, " characters"));
  }
  out.OptionalText(prefix + "description", framework.description(), kMaxTextLength);
  CheckScale(out, framework, prefix);
  CheckCapacities(out, framework, prefix);
  CheckDimensions(out, framework, prefix);
  return out.ToStatus();
}

absl::Status CheckFrameworkEditable(const v1::Framework& framework) {
  if (framework.state() == v1::Framework::PUBLISHED) {
    return WithReason(
        absl::FailedPreconditionError(absl::StrCat(
            framework.name(), " is published and cannot change; create a new version")),
        "FRAMEWORK_PUBLISHED");
  }
  return absl::OkStatus();
}

absl::Status Publish(v1::Framework& framework) {
  if (framework.state() == v1::Framework::PUBLISHED) {
    return WithReason(
        absl::FailedPreconditionError(absl::StrCat(framework.name(), " is already published")),
        "FRAMEWORK_PUBLISHED");
  }
  if (framework.capacities().empty()) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          framework.name(), " has no capacity and cannot be published")),
                      "FRAMEWORK_INCOMPLETE");
  }
  for (const v1::Capacity& capacity : framework.capacities()) {
    if (capacity.indicators().empty()) {
      return WithReason(absl::FailedPreconditionError(
                            absl::StrCat("capacity \"", capacity.id(), "\" of ", framework.name(),
                                         " has no indicator; the framework cannot be published")),
                        "FRAMEWORK_INCOMPLETE");
    }
  }
  framework.set_state(v1::Framework::PUBLISHED);
  return absl::OkStatus();
}

}  // namespace metrocap::assessment
