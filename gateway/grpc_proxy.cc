#include "gateway/grpc_proxy.h"

#include <atomic>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/identity/caller.h"
#include "common/log/log.h"
#include "common/status/errors.h"
#include "gateway/core/http_errors.h"
#include "gateway/core/transcoder.h"

namespace metrocap::gateway {
namespace {

absl::string_view View(const grpc::string_ref& ref) { return {ref.data(), ref.size()}; }

// Metadata the gateway sets itself or that gRPC owns: never copied from the caller.
bool IsOwnedByGateway(absl::string_view key) {
  return key == "authorization" || key == identity::kPrincipalKey ||
         key == identity::kCredentialKey || key == identity::kRequestIdKey ||
         key == identity::kTraceparentKey || absl::StartsWith(key, "grpc-") ||
         absl::StartsWith(key, ":") || key == "te" || key == "content-type" ||
         key == "user-agent" || key == "host";
}

// Response metadata gRPC writes itself on the way back.
bool IsTransportMetadata(absl::string_view key) {
  return absl::StartsWith(key, "grpc-") || absl::StartsWith(key, ":") || key == "content-type";
}

}  // namespace

// One proxied call. It lives until gRPC calls OnDone; the backend call it starts finishes
// (or is cancelled) before that, because Finish is only called from its completion.
class GrpcProxy::ProxyCall : public grpc::ServerGenericBidiReactor {
 public:
  ProxyCall(GrpcProxy* proxy, grpc::GenericCallbackServerContext* context)
      : proxy_(proxy), server_context_(context), start_(absl::Now()) {
    method_ = context->method();
    const auto& metadata = context->client_metadata();
    request_id_ = RequestIdOrNew(identity::MetadataValue(metadata, identity::kRequestIdKey));
    traceparent_ = ValidTraceparent(identity::MetadataValue(metadata, identity::kTraceparentKey));
    backend_ = proxy_->backends_->ForMethodPath(method_);
    const google::protobuf::MethodDescriptor* descriptor = nullptr;
    if (backend_ != nullptr) {
      descriptor = backend_->service->FindMethodByName(method_.substr(method_.rfind('/') + 1));
    }
    if (descriptor == nullptr) {
      label_ = "unknown";
      Done(GatewayError(
          absl::UnimplementedError(absl::StrCat("unknown method ", SafeText(method_)))));
      return;
    }
    if (descriptor->client_streaming() || descriptor->server_streaming()) {
      Done(GatewayError(
          absl::UnimplementedError("streaming methods are not served by the gateway")));
      return;
    }
    if (backend_->stub == nullptr) {
      Done(GatewayError(absl::UnavailableError("the service is not available")));
      return;
    }
    label_ = method_;
    server_context_->AddInitialMetadata(identity::kRequestIdKey, request_id_);
    proxy_->admission_->Admit(
        identity::MetadataValue(metadata, "authorization"), [this](Admitted admitted) {
          key_ = std::move(admitted.key);  // Also names the caller of a refused call.
          if (absl::IsResourceExhausted(admitted.status)) {
            server_context_->AddTrailingMetadata(
                "retry-after",
                absl::StrCat(std::max<int64_t>(
                    1, absl::ToInt64Seconds(admitted.retry_after + absl::Milliseconds(999)))));
          }
          if (!admitted.status.ok()) return Done(GatewayError(admitted.status));
          StartRead(&request_);
        });
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      return Done(GatewayError(absl::InvalidArgumentError("the call carried no request")));
    }
    const auto& metadata = server_context_->client_metadata();
    for (const auto& [key, value] : metadata) {
      if (!IsOwnedByGateway(View(key))) {
        backend_context_.AddMetadata(std::string(View(key)), std::string(View(value)));
      }
    }
    absl::Time requested = absl::FromChrono(server_context_->deadline());
    absl::Duration timeout =
        requested == absl::InfiniteFuture() ? absl::ZeroDuration() : requested - start_;
    proxy_->admission_->PrepareBackendCall(
        *key_, identity::MetadataValue(metadata, "authorization"), request_id_, traceparent_,
        proxy_->admission_->Deadline(start_, timeout), &backend_context_);
    backend_start_ = absl::Now();
    {
      absl::MutexLock lock(&mu_);
      started_ = true;
    }
    backend_->stub->UnaryCall(&backend_context_, method_, grpc::StubOptions(), &request_,
                              &response_, [this](grpc::Status status) { OnBackendDone(status); });
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    if (started_) backend_context_.TryCancel();
  }

  void OnDone() override {
    absl::Duration latency = absl::Now() - start_;
    proxy_->metrics_->Grpc(label_).Observe(final_.error_code(), latency);
    absl::string_view caller;
    if (key_ != nullptr) caller = key_->principal.partner();
    log::Request({"gateway", method_, request_id_, caller,
                  static_cast<absl::StatusCode>(final_.error_code()), latency});
    delete this;
  }

 private:
  void OnBackendDone(const grpc::Status& status) {
    proxy_->metrics_->Backend(backend_->name, method_)
        .Observe(static_cast<absl::StatusCode>(status.error_code()), absl::Now() - backend_start_);
    for (const auto& [key, value] : backend_context_.GetServerInitialMetadata()) {
      if (!IsTransportMetadata(View(key)) && View(key) != identity::kRequestIdKey) {
        server_context_->AddInitialMetadata(std::string(View(key)), std::string(View(value)));
      }
    }
    for (const auto& [key, value] : backend_context_.GetServerTrailingMetadata()) {
      if (!IsTransportMetadata(View(key))) {
        server_context_->AddTrailingMetadata(std::string(View(key)), std::string(View(value)));
      }
    }
    if (!status.ok()) return Done(ForCallers(status));
    final_ = status;
    StartWriteAndFinish(&response_, grpc::WriteOptions(), status);
  }

  void Done(const grpc::Status& status) {
    final_ = status;
    Finish(status);
  }

  GrpcProxy* const proxy_;
  grpc::GenericCallbackServerContext* const server_context_;
  const absl::Time start_;
  std::string method_;
  std::string label_;
  std::string request_id_;
  std::string traceparent_;
  const Backend* backend_ = nullptr;
  // Who is calling, once admitted (or refused a token): shared with every call by the key.
  std::shared_ptr<const ResolvedKey> key_;
  grpc::ByteBuffer request_, response_;
  grpc::ClientContext backend_context_;
  absl::Time backend_start_;
  grpc::Status final_;
  absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
};

GrpcProxy::GrpcProxy(const Backends* backends, Admission* admission, Metrics* metrics)
    : backends_(backends), admission_(admission), metrics_(metrics) {}

grpc::ServerGenericBidiReactor* GrpcProxy::CreateReactor(
    grpc::GenericCallbackServerContext* context) {
  return new ProxyCall(this, context);
}

}  // namespace metrocap::gateway
