#include "gateway/rest_gateway.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/log/log.h"
#include "common/status/errors.h"
#include "gateway/core/csv.h"
#include "gateway/core/http_errors.h"
#include "gateway/core/transcoder.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/proto_buffer_reader.h"

namespace metrocap::gateway {
namespace {

namespace http = boost::beast::http;

absl::string_view View(boost::beast::string_view s) { return {s.data(), s.size()}; }

}  // namespace

// One REST request on its way through the gateway.
struct RestGateway::Call {
  HttpRequest request;
  Respond respond;
  absl::Time start;
  std::string request_id;
  std::string traceparent;
  std::string label = "unmatched";            // The route, for metrics and the access log.
  std::shared_ptr<const ResolvedKey> caller;  // Once admitted (and when refused a token).
  const Route* route = nullptr;
  std::vector<PathBinding> bindings;
  const Backend* backend = nullptr;
  // The backend call.
  grpc::ClientContext context;
  grpc::ByteBuffer request_bytes, response_bytes;
  absl::Time backend_start;
  std::shared_ptr<void> hold;  // Keeps the gateway from tearing down under this call.
};

RestGateway::RestGateway(const RouteTable* routes, const Backends* backends, Admission* admission,
                         Metrics* metrics, std::string openapi_json, const ConsoleFiles* console)
    : routes_(routes),
      backends_(backends),
      admission_(admission),
      metrics_(metrics),
      openapi_json_(std::move(openapi_json)),
      console_(console) {}

void RestGateway::Handle(HttpRequest&& request, Respond respond) {
  auto call = std::make_shared<Call>();
  call->start = absl::Now();
  call->request = std::move(request);
  call->respond = std::move(respond);
  call->request_id = RequestIdOrNew(View(call->request["x-request-id"]));
  call->traceparent = ValidTraceparent(View(call->request["traceparent"]));
  Serve(std::move(call));
}

namespace {

HttpResponse JsonResponse(unsigned status, std::string body) {
  HttpResponse response{static_cast<http::status>(status), 11};
  response.set(http::field::content_type, "application/json");
  response.body() = std::move(body);
  return response;
}

}  // namespace

void RestGateway::Reply(const std::shared_ptr<Call>& call, HttpResponse response,
                        absl::StatusCode code) {
  absl::Duration latency = absl::Now() - call->start;
  response.set("X-Request-Id", call->request_id);
  metrics_->Rest(call->label).Observe(static_cast<int>(response.result_int()), latency);
  absl::string_view caller;
  if (call->caller != nullptr) caller = call->caller->principal.partner();
  log::Request({"gateway", call->label, call->request_id, caller, code, latency});
  call->respond(std::move(response));
}

void RestGateway::Fail(const std::shared_ptr<Call>& call, int http_status,
                       const grpc::Status& status, const Headers& headers) {
  HttpResponse response = JsonResponse(http_status, StatusJson(status));
  for (const auto& [name, value] : headers) response.set(name, value);
  Reply(call, std::move(response), static_cast<absl::StatusCode>(status.error_code()));
}

void RestGateway::Serve(std::shared_ptr<Call> call) {
  auto reply = [this, call](HttpResponse response, absl::StatusCode code) {
    Reply(call, std::move(response), code);
  };
  auto fail = [this, call](int http_status, const grpc::Status& status,
                           const Headers& headers = {}) {
    Fail(call, http_status, status, headers);
  };

  absl::string_view target = View(call->request.target());
  absl::string_view path = target.substr(0, target.find('?'));
  const bool is_get = call->request.method() == http::verb::get;
  if (is_get && path == "/healthz") {
    call->label = "GET /healthz";
    return reply(JsonResponse(200, R"({"status":"SERVING"})"), absl::StatusCode::kOk);
  }
  if (is_get && path == "/metrics") {
    // Metrics name partners (rate-limit labels): ADMIN keys only, as the API contract
    // leaves only /healthz, /readyz and /v1/openapi.json open.
    call->label = "GET /metrics";
    admission_->Admit(
        View(call->request[http::field::authorization]), [this, call, reply, fail](Admitted a) {
          call->caller = a.key;
          if (!a.status.ok()) {
            grpc::Status status = GatewayError(a.status);
            return fail(HttpStatusFor(status.error_code()), status);
          }
          if (admission_->options().require_auth &&
              a.principal().role() != membership::v1::Partner::ADMIN) {
            return fail(403, GatewayError(absl::PermissionDeniedError(
                                 "only an ADMIN key may read the metrics")));
          }
          HttpResponse response{http::status::ok, 11};
          response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
          response.body() = metrics_->Render();
          reply(std::move(response), absl::StatusCode::kOk);
        });
    return;
  }
  if (console_ != nullptr && ConsoleFiles::Handles(path)) {
    call->label = "GET /console/";
    HttpResponse response = console_->Serve(call->request);
    absl::StatusCode code = absl::StatusCode::kOk;  // For the access log.
    if (response.result() == http::status::not_found) code = absl::StatusCode::kNotFound;
    if (response.result() == http::status::method_not_allowed) {
      code = absl::StatusCode::kUnimplemented;
    }
    return reply(std::move(response), code);
  }
  if (is_get && path == "/v1/openapi.json") {
    call->label = "GET /v1/openapi.json";
    return reply(JsonResponse(200, openapi_json_), absl::StatusCode::kOk);
  }
  if (is_get && path == "/readyz") {
    call->label = "GET /readyz";
    if (draining_) {
      return reply(JsonResponse(503, R"({"status":"NOT_SERVING","draining":true})"),
                   absl::StatusCode::kUnavailable);
    }
    backends_->CheckHealth(
        absl::Seconds(1), [reply](std::vector<std::pair<std::string, bool>> results) {
          bool ready = true;
          std::vector<std::string> entries;
          for (const auto& [name, serving] : results) {
            ready &= serving;
            entries.push_back(
                absl::StrCat("\"", name, "\":\"", serving ? "SERVING" : "NOT_SERVING", "\""));
          }
          std::string body = absl::StrCat("{\"status\":\"", ready ? "SERVING" : "NOT_SERVING",
                                          "\",\"backends\":{", absl::StrJoin(entries, ","), "}}");
          reply(JsonResponse(ready ? 200 : 503, std::move(body)),
                ready ? absl::StatusCode::kOk : absl::StatusCode::kUnavailable);
        });
    return;
  }

  std::string method(View(call->request.method_string()));
  RouteMatch match = routes_->Match(method, path);
  if (match.outcome == RouteMatch::Outcome::kNotFound) {
    return fail(404, GatewayError(absl::NotFoundError(absl::StrCat(
                         "no REST route for ", SafeText(method), " ", SafeText(path)))));
  }
  if (match.outcome == RouteMatch::Outcome::kMethodNotAllowed) {
    return fail(405,
                GatewayError(absl::UnimplementedError(
                    absl::StrCat(method, " is not allowed here; allowed: ",
                                 absl::StrJoin(match.allowed_methods, ", ")))),
                {{"Allow", absl::StrJoin(match.allowed_methods, ", ")}});
  }
  call->route = match.route;
  call->label = match.route->label;
  call->bindings = std::move(match.bindings);
  call->backend = backends_->ForService(match.route->method->service()->full_name());
  if (call->backend == nullptr || call->backend->stub == nullptr) {
    return fail(503, GatewayError(absl::UnavailableError("the service is not available")));
  }
  admission_->Admit(
      View(call->request[http::field::authorization]), [this, call, fail](Admitted admitted) {
        call->caller = admitted.key;
        if (absl::IsResourceExhausted(admitted.status)) {
          int64_t seconds =
              static_cast<int64_t>(std::ceil(absl::ToDoubleSeconds(admitted.retry_after)));
          return fail(429, GatewayError(admitted.status),
                      {{"Retry-After", absl::StrCat(std::max<int64_t>(1, seconds))}});
        }
        if (!admitted.status.ok()) {
          grpc::Status status = GatewayError(admitted.status);
          std::vector<std::pair<std::string, std::string>> headers;
          if (absl::IsUnauthenticated(admitted.status)) {
            headers.emplace_back("WWW-Authenticate", "Bearer");
          }
          return fail(HttpStatusFor(status.error_code()), status, headers);
        }
        Forward(call, std::move(admitted));
      });
}

void RestGateway::Forward(std::shared_ptr<Call> call, Admitted admitted) {
  auto fail = [this, call](const grpc::Status& status) {
    Fail(call, HttpStatusFor(status.error_code()), status, {});
  };
  absl::string_view target = View(call->request.target());
  absl::string_view query;
  if (size_t q = target.find('?'); q != absl::string_view::npos) query = target.substr(q + 1);
  RestRequest rest{call->route, std::move(call->bindings), query, call->request.body(),
                   View(call->request[http::field::if_match])};
  auto message = BuildRequestMessage(rest);
  if (!message.ok()) return fail(GatewayError(message.status()));
  bool own_buffer;
  if (!grpc::SerializationTraits<google::protobuf::Message>::Serialize(
           **message, &call->request_bytes, &own_buffer)
           .ok()) {
    return fail(GatewayError(absl::InternalError("cannot serialize the request")));
  }

  absl::Duration requested = ParseRequestTimeout(View(call->request["x-request-timeout"]));
  if (requested == absl::ZeroDuration()) {
    requested = ParseGrpcTimeout(View(call->request["grpc-timeout"]));
  }
  admission_->PrepareBackendCall(*admitted.key, View(call->request[http::field::authorization]),
                                 call->request_id, call->traceparent,
                                 admission_->Deadline(call->start, requested), &call->context);
  call->backend_start = absl::Now();
  call->hold = backends_->Hold();
  call->backend->stub->UnaryCall(
      &call->context, call->route->grpc_path, grpc::StubOptions(), &call->request_bytes,
      &call->response_bytes, [this, call, fail](grpc::Status status) {
        absl::Duration backend_latency = absl::Now() - call->backend_start;
        metrics_->Backend(call->backend->name, call->route->grpc_path)
            .Observe(static_cast<absl::StatusCode>(status.error_code()), backend_latency);
        if (!status.ok()) return fail(ForCallers(status));
        const auto* prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(
            call->route->method->output_type());
        std::unique_ptr<google::protobuf::Message> response(prototype->New());
        grpc::ProtoBufferReader reader(&call->response_bytes);
        if (!response->ParseFromZeroCopyStream(&reader)) {
          return fail(GatewayError(absl::InternalError("malformed backend response")));
        }
        if (AcceptsCsv(View(call->request[http::field::accept]))) {
          // Count responses (the progress report) also render as CSV; others stay JSON.
          if (absl::optional<std::string> csv = RenderCountsCsv(*response)) {
            HttpResponse out{http::status::ok, 11};
            out.set(http::field::content_type, "text/csv; charset=utf-8");
            out.body() = *std::move(csv);
            return Reply(call, std::move(out), absl::StatusCode::kOk);
          }
        }
        std::string json;
        if (!RenderResponseJson(*call->route, *response, &json).ok()) {
          return fail(GatewayError(absl::InternalError("cannot render the response")));
        }
        HttpResponse out = JsonResponse(200, std::move(json));
        if (std::string etag = ResponseEtag(*response); !etag.empty()) {
          // Services may already quote their etags (an HTTP entity-tag is quoted).
          bool quoted = etag.front() == '"' || absl::StartsWith(etag, "W/\"");
          out.set(http::field::etag, quoted ? etag : absl::StrCat("\"", etag, "\""));
        }
        Reply(call, std::move(out), absl::StatusCode::kOk);
      });
}

}  // namespace metrocap::gateway
