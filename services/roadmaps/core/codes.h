#pragma once

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "metrocap/roadmaps/v1/roadmaps.pb.h"

// The coded structures of plans (action lines > actions > deliverables, `L1`, `L1A2`,
// `L1A2D4`) and taxonomies (themes > challenges, `2`, `2.3`): the shapes codes must have,
// the checks a plan or taxonomy must pass, and resolving a code to its title and path.
namespace metrocap::roadmaps {

namespace v1 = ::metrocap::roadmaps::v1;

// Limits that keep one plan or taxonomy a reasonable size to store, send and cache.
inline constexpr int kMaxActionLines = 100;
inline constexpr int kMaxActionsPerLine = 200;
inline constexpr int kMaxDeliverablesPerAction = 200;
inline constexpr int kMaxThemes = 100;
inline constexpr int kMaxChallenges = 1000;

// The numbers of a plan code: `L1A2D4` is {1, 2, 4}; `L1` is {1, 0, 0}. Every number is a
// positive integer written without leading zeros.
struct PlanCodeShape {
  int line = 0;
  int action = 0;       // 0: a line code
  int deliverable = 0;  // 0: a line or action code
};
absl::optional<PlanCodeShape> ParsePlanCode(absl::string_view code);

// The numbers of a taxonomy code: `2.3` is {2, 3}; `2` is {2, 0}.
struct TaxonomyCodeShape {
  int theme = 0;
  int challenge = 0;  // 0: a theme code
};
absl::optional<TaxonomyCodeShape> ParseTaxonomyCode(absl::string_view code);

// Checks a plan's display name, dates (real, start not after end) and its codes: each
// line's code is `L<n>`, each action's its line's code followed by `A<n>`, each
// deliverable's its action's followed by `D<n>`; codes are unique in the plan; titles are
// required. References (owner, taxonomy) are checked for existence by the service.
// INVALID_ARGUMENT with one field violation per problem, paths under `prefix`
// (e.g. "plan.actionLines[0].actions[1].code").
absl::Status ValidatePlan(const v1::Plan& plan, absl::string_view prefix);

// Checks a taxonomy's display name and codes: themes `<n>`, challenges `<theme>.<n>` of a
// theme of the taxonomy, codes unique, titles required. INVALID_ARGUMENT as ValidatePlan.
absl::Status ValidateTaxonomy(const v1::Taxonomy& taxonomy, absl::string_view prefix);

// Every code of a plan, for lookups by code. Holds a reference: `plan` must outlive it and
// should be valid (ValidatePlan); of duplicated codes the first wins.
class PlanCodes {
 public:
  explicit PlanCodes(const v1::Plan& plan);

  bool Contains(absl::string_view code) const { return index_.contains(code); }
  // The code's title, level and path from its action line down. INVALID_ARGUMENT naming
  // "code" for a code of no plan shape; NOT_FOUND (reason PLAN_CODE_NOT_FOUND) when the
  // plan has no such code.
  absl::StatusOr<v1::PlanCode> Resolve(absl::string_view code) const;

 private:
  struct Position {
    int line = -1;
    int action = -1;
    int deliverable = -1;
  };
  const v1::Plan& plan_;
  absl::flat_hash_map<std::string, Position> index_;
};

// Every code of a taxonomy, for lookups by code. Same contract as PlanCodes; NOT_FOUND
// carries reason TAXONOMY_CODE_NOT_FOUND.
class TaxonomyCodes {
 public:
  explicit TaxonomyCodes(const v1::Taxonomy& taxonomy);

  bool Contains(absl::string_view code) const { return index_.contains(code); }
  absl::StatusOr<v1::TaxonomyCode> Resolve(absl::string_view code) const;

 private:
  const v1::Taxonomy& taxonomy_;
  // Code -> (is a challenge, position in themes or challenges).
  absl::flat_hash_map<std::string, std::pair<bool, int>> index_;
};

}  // namespace metrocap::roadmaps
