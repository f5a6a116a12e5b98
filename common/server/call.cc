#include "common/server/call.h"

#include "common/log/log.h"
#include "common/status/grpc_status.h"
#include "grpcpp/support/time.h"

namespace metrocap::server {
namespace {

std::string Metadata(const grpc::ServerContext& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

void Call::Propagate(const identity::IdentityConfig& identity, grpc::ClientContext* context,
                     absl::Duration timeout) const {
  identity::AttachIdentity(caller, identity, context);
  if (!request_id.empty()) context->AddMetadata(identity::kRequestIdKey, request_id);
  if (!traceparent.empty()) context->AddMetadata(identity::kTraceparentKey, traceparent);
  context->set_deadline(absl::ToChronoTime(std::min(deadline, absl::Now() + timeout)));
}

grpc::Status Serve(const CallEnv& env, grpc::ServerContext* context, absl::string_view method,
                   absl::FunctionRef<absl::Status(const Call&)> body) {
  absl::Time start = absl::Now();
  Call call;
  call.request_id = Metadata(*context, identity::kRequestIdKey);
  call.traceparent = Metadata(*context, identity::kTraceparentKey);
  call.deadline = absl::FromChrono(context->deadline());
  absl::Status status;
  absl::StatusOr<identity::Caller> caller =
      identity::CallerFromMetadata(context->client_metadata(), env.identity);
  if (caller.ok()) {
    call.caller = *std::move(caller);
    status = body(call);
  } else {
    status = caller.status();
  }
  log::Request({env.component, method, call.request_id, call.caller.principal, status.code(),
                absl::Now() - start});
  return ToGrpcStatus(status);
}

}  // namespace metrocap::server
