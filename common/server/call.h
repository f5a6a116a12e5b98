#pragma once

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/identity/caller.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"

namespace metrocap::metrics {
class RpcMetrics;
}

namespace metrocap::server {

// What every handler of a component shares.
struct CallEnv {
  std::string component;
  identity::IdentityConfig identity;
  // Where Serve records each call's method, code and latency; null: not recorded. Not owned.
  metrics::RpcMetrics* rpc_metrics = nullptr;
};

// What a handler knows about the call it serves.
struct Call {
  identity::Caller caller;
  std::string request_id;
  std::string traceparent;
  absl::Time deadline = absl::InfiniteFuture();

  // Prepares a call to another service on behalf of this one: the caller's identity, the
  // request id, the trace context and a deadline no later than this call's nor `timeout`.
  void Propagate(const identity::IdentityConfig& identity, grpc::ClientContext* context,
                 absl::Duration timeout) const;
};

// Serves one RPC: authenticates the caller (UNAUTHENTICATED without credentials), runs
// `body`, writes one JSON log line, records the call in env.rpc_metrics and maps the result
// with the one status mapping.
grpc::Status Serve(const CallEnv& env, grpc::ServerContext* context, absl::string_view method,
                   absl::FunctionRef<absl::Status(const Call&)> body);

}  // namespace metrocap::server
