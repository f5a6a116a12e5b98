#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "google/protobuf/message.h"

namespace metrocap::gateway {

// Whether an Accept header asks for CSV (names text/csv, with or without parameters).
bool AcceptsCsv(absl::string_view accept);

// A count response as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma,
// a quote, CR or LF, quotes doubled), or nullopt when `response` has no count lists (then
// the caller answers JSON as usual). A count list is a repeated message field whose rows
// have an `activity_count` field, such as hubs' GenerateProgressReportResponse.
//
// The header is `section,code,title,activityCount`; then, when the response has a
// top-level activity_count (the report's sessions counted), a `total,,,<n>` row; then one
// row per entry of each count list, in field order and in the list's own order:
//   section        the list's JSON name ("actionLines", "deliverables", "organisations")
//   code           the row's first field: a code, an organisation name, an alliance name,
//                  a format's enum name
//   title          the row's `title` or `display_name` field, "" when it has neither
//   activityCount  the row's activity_count
// Generic over the message, so the gateway keeps no per-method code: a new count response
// renders without a change here.
absl::optional<std::string> RenderCountsCsv(const google::protobuf::Message& response);

// One CSV field, quoted when it must be.
std::string CsvField(absl::string_view value);

}  // namespace metrocap::gateway
