#pragma once

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace metrocap::gateway {

// The HTTP status for a gRPC status code, per google.rpc.Code's canonical mapping
// (INVALID_ARGUMENT/FAILED_PRECONDITION/OUT_OF_RANGE 400, UNAUTHENTICATED 401, ...).
int HttpStatusFor(grpc::StatusCode code);

// What callers may see of a failed call. Messages of statuses a metrocap service did not
// write (no google.rpc.Status details: the gateway's own channel errors, a crashed backend)
// and of INTERNAL/UNKNOWN/DATA_LOSS are replaced by a fixed text, so no address, stack or
// library message leaks. Details a service attached are kept.
grpc::Status ForCallers(const grpc::Status& status);

// The google.rpc.Status JSON body of a failed REST call:
// {"code":5,"message":"...","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo",...}]}.
// Expects a status already passed through ForCallers.
std::string StatusJson(const grpc::Status& status);

// An error the gateway itself raises (bad route, bad JSON, rate limit...) as a grpc::Status
// through the one shared mapping, so it carries ErrorInfo/BadRequest like a service's would.
grpc::Status GatewayError(const absl::Status& status);

}  // namespace metrocap::gateway
