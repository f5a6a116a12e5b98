#pragma once

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/server/call.h"
#include "grpcpp/server_context.h"

namespace metrocap::server {

// Serve (call.h) for a unary method on gRPC's callback API: the same authentication, log
// line and status mapping, but `body` runs on the thread gRPC calls the handler on, with no
// hand-off to the sync API's thread pool and back. Returns the reactor, already finished.
// For hot reads that are answered from memory: while `body` blocks (a cache miss reading the
// store, a Redis round trip) it holds one of gRPC's event threads.
grpc::ServerUnaryReactor* ServeUnary(const CallEnv& env, grpc::CallbackServerContext* context,
                                     absl::string_view method,
                                     absl::FunctionRef<absl::Status(const Call&)> body);

}  // namespace metrocap::server
