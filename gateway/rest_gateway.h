#pragma once

#include <memory>
#include <string>

#include "gateway/admission.h"
#include "gateway/backends.h"
#include "gateway/console.h"
#include "gateway/core/metrics.h"
#include "gateway/core/route_table.h"
#include "gateway/http_server.h"

namespace metrocap::gateway {

// Serves REST/JSON: the operational endpoints (/healthz, /readyz, /metrics,
// /v1/openapi.json), the admin console's static files (/console/) and every route of the
// table, transcoded to a backend gRPC call made with the asynchronous generic stub. Holds
// no per-method code.
class RestGateway {
 public:
  // None of the pointers is owned; all must outlive the gateway. `console` may be null
  // (no console is served).
  RestGateway(const RouteTable* routes, const Backends* backends, Admission* admission,
              Metrics* metrics, std::string openapi_json, const ConsoleFiles* console);

  // The HttpHandler of the HTTP server.
  void Handle(HttpRequest&& request, Respond respond);

 private:
  struct Call;
  using Headers = std::vector<std::pair<std::string, std::string>>;
  // Answers `call` and records it: one access-log line, the request metrics.
  void Reply(const std::shared_ptr<Call>& call, HttpResponse response, absl::StatusCode code);
  void Fail(const std::shared_ptr<Call>& call, int http_status, const grpc::Status& status,
            const Headers& headers);
  void Serve(std::shared_ptr<Call> call);
  void Forward(std::shared_ptr<Call> call, Admitted admitted);

  const RouteTable* const routes_;
  const Backends* const backends_;
  Admission* const admission_;
  Metrics* const metrics_;
  const std::string openapi_json_;
  const ConsoleFiles* const console_;
};

}  // namespace metrocap::gateway
