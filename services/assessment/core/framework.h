#pragma once

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "metrocap/assessment/v1/assessment.pb.h"

namespace metrocap::assessment {

// Scores closer than this to a threshold count as on it. Capacity scores are weighted
// means of doubles, so a score meant to be exactly 4.0 can come out as 3.9999999999999996;
// without the tolerance it would miss a potential at 4.0 (and be a need at a threshold
// it meets).
inline constexpr double kScoreTolerance = 1e-9;

// Limits that keep one framework a reasonable size to store and send.
inline constexpr int kMaxCapacities = 50;
inline constexpr int kMaxIndicatorsPerCapacity = 100;
inline constexpr int kMaxDimensions = 50;

// Where a capacity, indicator or dimension sits in a framework, by position. Built once
// per framework so that checking and scoring many responses costs one hash lookup each.
// Holds a reference: `framework` must outlive the index.
class FrameworkIndex {
 public:
  struct IndicatorRef {
    int capacity = 0;
    int indicator = 0;
  };

  explicit FrameworkIndex(const v1::Framework& framework);

  const v1::Framework& framework() const { return framework_; }
  // `reference` is "<capacityId>.<indicatorId>".
  absl::optional<IndicatorRef> FindIndicator(absl::string_view reference) const;
  absl::optional<int> FindCapacity(absl::string_view id) const;
  absl::optional<int> FindDimension(absl::string_view id) const;

 private:
  const v1::Framework& framework_;
  absl::flat_hash_map<std::string, IndicatorRef> indicators_;
  absl::flat_hash_map<std::string, int> capacities_;
  absl::flat_hash_map<std::string, int> dimensions_;
};

// True for the ids of capacities, indicators and dimensions: `[a-z][a-z0-9-]{0,62}`. No
// dots, so "<capacityId>.<indicatorId>" is unambiguous.
bool IsElementId(absl::string_view id);

// Checks the writable fields of a framework: display name, scale (finite,
// scaleMin < scaleMax), thresholds inside the scale with needThreshold <=
// potentialThreshold, capacity/indicator/dimension ids well formed and unique, indicator
// questions present and weights > 0, and size limits. INVALID_ARGUMENT with one field
// violation per problem, paths prefixed with `field_prefix` (e.g. "framework").
absl::Status ValidateFramework(const v1::Framework& framework, absl::string_view field_prefix);

// FAILED_PRECONDITION (reason FRAMEWORK_PUBLISHED) unless the framework is a DRAFT: a
// published framework is immutable and cannot be deleted.
absl::Status CheckFrameworkEditable(const v1::Framework& framework);

// Moves a DRAFT framework to PUBLISHED. FAILED_PRECONDITION when it is already published
// (FRAMEWORK_PUBLISHED) or incomplete (FRAMEWORK_INCOMPLETE: no capacity, or a capacity
// without indicators).
absl::Status Publish(v1::Framework& framework);

}  // namespace metrocap::assessment
