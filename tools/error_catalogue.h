#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

// The error catalogue partners read (docs/errors.md), and the check that keeps it complete.
namespace metrocap::tools {

// The catalogue of common/status/reasons.h as the Markdown page docs/errors.md, with the
// HTTP status each reason's code maps to through the gateway's one mapping.
std::string ErrorCatalogueMarkdown();

// A reason literal passed to WithReason() in a source file, where it was found.
struct ReasonUse {
  std::string reason;
  int line = 0;
};

// Every WithReason(..., "REASON") call in `source` (outside // comments) whose last
// argument is a string literal.
// Calls whose last argument is not a literal (the function's own definition, forwarding of
// a reason read from a peer) are not returned: they carry a reason decided elsewhere.
std::vector<ReasonUse> ReasonsUsedIn(absl::string_view source);

}  // namespace metrocap::tools
