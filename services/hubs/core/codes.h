#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "google/protobuf/repeated_field.h"

namespace metrocap::hubs {

// A Strategic Action Plan code split into its numbers: `L1` is {1, 0, 0}, `L1A2` is
// {1, 2, 0}, `L1A2D4` is {1, 2, 4}. 0 means "this level is absent".
struct PlanCodeParts {
  int line = 0;
  int action = 0;
  int deliverable = 0;
};

// The parts of `code` when it is `L<n>`, `L<n>A<n>` or `L<n>A<n>D<n>` with each n a positive
// integer without leading zeros (at most 4 digits); nullopt otherwise.
absl::optional<PlanCodeParts> ParsePlanCode(absl::string_view code);

// True for a challenge code `<n>.<n>` (theme, dot, challenge; n as above), e.g. `2.3`.
bool IsChallengeCode(absl::string_view code);

// Code order: by number level by level, an action line before its actions and an action
// before its deliverables (`L1` < `L1A1` < `L1A1D1` < `L1A2` < `L2` ... `L9` < `L10`);
// challenges by theme then challenge number (`1.4` < `2.1` < `10.1`). Anything that does
// not parse sorts after every code, by text.
bool PlanCodeLess(absl::string_view a, absl::string_view b);
bool ChallengeCodeLess(absl::string_view a, absl::string_view b);

// Every plan code a session with these outcome codes counts for: each code, its action
// and its action line, once each, in code order. Codes that do not parse are left out
// (validation refuses them first).
std::vector<std::string> OutcomeScope(const google::protobuf::RepeatedPtrField<std::string>& codes);

}  // namespace metrocap::hubs
