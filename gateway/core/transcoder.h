#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/core/route_table.h"
#include "google/protobuf/message.h"

namespace metrocap::gateway {

// The deepest JSON nesting (objects and arrays) a request body may have.
inline constexpr int kMaxJsonDepth = 64;

// The HTTP side of a REST call, as the transcoder needs it.
struct RestRequest {
  const Route* route = nullptr;
  std::vector<PathBinding> bindings;
  absl::string_view query;  // The raw query string, without '?'.
  absl::string_view body;
  absl::string_view if_match;  // The If-Match header, "" when absent.
};

// Builds the gRPC request message of `request.route`: the body (the whole message for
// body "*", one field otherwise), then the path variables, then the query parameters
// (field paths with proto or lowerCamelCase names; repeated fields take repeated
// parameters; enums by name or number; int64 as digits; timestamps RFC 3339; dates
// YYYY-MM-DD), then If-Match into an empty `etag`. Unknown JSON fields, unknown query
// parameters, a body on a route that takes none, JSON nested deeper than kMaxJsonDepth and
// malformed values are INVALID_ARGUMENT naming the field or the position.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> BuildRequestMessage(
    const RestRequest& request);

// Renders a gRPC response as the REST response body: canonical proto3 JSON of the whole
// message or of the route's response_body field. INTERNAL when the message cannot be
// printed (never for a message that parsed).
absl::Status RenderResponseJson(const Route& route, const google::protobuf::Message& response,
                                std::string* json);

// The resource etag a response carries in a top-level `etag` string field ("" if none).
std::string ResponseEtag(const google::protobuf::Message& response);

// INVALID_ARGUMENT naming the byte offset when `json` nests objects/arrays deeper than
// `max_depth`. Strings are skipped correctly; other syntax is left to the JSON parser.
absl::Status CheckJsonDepth(absl::string_view json, int max_depth);

// Caller-supplied text made safe to echo in an error message: printable ASCII kept,
// anything else (control bytes, invalid or any UTF-8) as '?', at most 120 characters.
std::string SafeText(absl::string_view text);

// Splits a query string into decoded (name, value) pairs, in order ('+' is a space).
// INVALID_ARGUMENT on a malformed percent-escape.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseQueryString(
    absl::string_view query);

}  // namespace metrocap::gateway
