#pragma once

#include <string>

#include "gateway/core/route_table.h"

namespace metrocap::gateway {

// The OpenAPI 3.0 document for every REST route of `routes`: one path per template (a
// variable's pattern spelled out, each `*` a path parameter named after its collection,
// e.g. /v1/{name=partners/*/apiKeys/*} -> /v1/partners/{partner}/apiKeys/{apiKey}), the
// query parameters, request bodies and responses from the messages' canonical JSON mapping,
// google.rpc.Status for errors and bearer API-key security. Built once, at start-up.
std::string OpenApiDocument(const RouteTable& routes, absl::string_view title);

}  // namespace metrocap::gateway
