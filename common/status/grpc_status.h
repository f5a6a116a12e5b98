#pragma once

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace metrocap {

// The one mapping from absl::Status to grpc::Status. The code and message carry over; the
// binary details (grpc-status-details-bin) hold a google.rpc.Status with a
// google.rpc.ErrorInfo (reason from WithReason or the code name, domain "metrocap.io") and,
// when the status has field violations, a google.rpc.BadRequest. What it echoes is bounded
// (errors.h: the message, each violation, the violations together), so the status fits
// gRPC's metadata limit and reaches the client as the code it is, whatever the input.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse, for clients of other services: keeps code, message, reason and violations.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace metrocap
