#include "common/server/call.h"

#include "common/log/log.h"
#include "common/metrics/rpc.h"
#include "common/server/callback_call.h"
#include "common/status/grpc_status.h"
#include "grpcpp/support/time.h"

namespace metrocap::server {
void Call::Propagate(const identity::IdentityConfig& identity, grpc::ClientContext* context,
                     absl::Duration timeout) const {
  identity::AttachIdentity(caller, identity, context);
  if (!request_id.empty()) context->AddMetadata(identity::kRequestIdKey, request_id);
  if (!traceparent.empty()) context->AddMetadata(identity::kTraceparentKey, traceparent);
  context->set_deadline(absl::ToChronoTime(std::min(deadline, absl::Now() + timeout)));
}

namespace {

// Serve's work for either API: the handler's status, once logged.
absl::Status Run(const CallEnv& env, grpc::ServerContextBase* context, absl::string_view method,
                 absl::FunctionRef<absl::Status(const Call&)> body) {
  absl::Time start = absl::Now();
  Call call;
  const auto& metadata = context->client_metadata();
  call.request_id = std::string(identity::MetadataValue(metadata, identity::kRequestIdKey));
  call.traceparent = std::string(identity::MetadataValue(metadata, identity::kTraceparentKey));
  call.deadline = absl::FromChrono(context->deadline());
  absl::Status status;
  absl::StatusOr<identity::Caller> caller = identity::CallerFromMetadata(metadata, env.identity);
  if (caller.ok()) {
    call.caller = *std::move(caller);
    status = body(call);
  } else {
    status = caller.status();
  }
  const absl::Duration latency = absl::Now() - start;
  log::Request(
      {env.component, method, call.request_id, call.caller.principal, status.code(), latency});
  if (env.rpc_metrics != nullptr) env.rpc_metrics->Observe(method, status.code(), latency);
  return status;
}

}  // namespace

grpc::Status Serve(const CallEnv& env, grpc::ServerContext* context, absl::string_view method,
                   absl::FunctionRef<absl::Status(const Call&)> body) {
  return ToGrpcStatus(Run(env, context, method, body));
}

grpc::ServerUnaryReactor* ServeUnary(const CallEnv& env, grpc::CallbackServerContext* context,
                                     absl::string_view method,
                                     absl::FunctionRef<absl::Status(const Call&)> body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(Run(env, context, method, body)));
  return reactor;
}

}  // namespace metrocap::server
