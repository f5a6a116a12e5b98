#pragma once

#include "gateway/admission.h"
#include "gateway/backends.h"
#include "gateway/core/metrics.h"
#include "grpcpp/generic/async_generic_service.h"

namespace metrocap::gateway {

// Serves the backends' gRPC services on the gateway's own port, generically: each call's
// request bytes go to the backend that owns the method's service and its response bytes,
// status (with details) and metadata come back untouched. Same authentication, rate limit
// and deadlines as REST. No per-method code; unknown services are UNIMPLEMENTED.
class GrpcProxy : public grpc::CallbackGenericService {
 public:
  // None of the pointers is owned; all must outlive the server.
  GrpcProxy(const Backends* backends, Admission* admission, Metrics* metrics);

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override;

 private:
  class ProxyCall;
  const Backends* const backends_;
  Admission* const admission_;
  Metrics* const metrics_;
};

}  // namespace metrocap::gateway
