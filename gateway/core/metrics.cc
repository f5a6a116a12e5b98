#include "gateway/core/metrics.h"

#include <sstream>

#include "prometheus/text_serializer.h"

namespace metrocap::gateway {
namespace {

// HTTP statuses 100..599; gRPC codes 0..16.
constexpr int kFirstHttpStatus = 100;
constexpr int kHttpStatuses = 500;
constexpr int kGrpcCodes = 17;

prometheus::Family<prometheus::Counter>& CounterFamily(prometheus::Registry& registry,
                                                       const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

prometheus::Family<prometheus::Histogram>& HistogramFamily(prometheus::Registry& registry,
                                                           const char* name, const char* help) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(registry);
}

}  // namespace

Metrics::Request::Request(Metrics& metrics, const prometheus::Labels& labels, bool http)
    : http_(http),
      requests_(metrics.requests_, labels, "code", http ? kFirstHttpStatus : 0,
                http ? kHttpStatuses : kGrpcCodes,
                http ? metrics::HttpCodeName : metrics::GrpcCodeName),
      errors_(metrics.errors_, labels, "code", http ? kFirstHttpStatus : 0,
              http ? kHttpStatuses : kGrpcCodes,
              http ? metrics::HttpCodeName : metrics::GrpcCodeName),
      latency_(metrics.request_latency_.Add(labels, metrics::LatencyBuckets())) {}

void Metrics::Request::Observe(int code, absl::Duration latency) {
  requests_.Increment(code);
  const bool success = http_ ? code < 400 : code == 0;
  if (!success) errors_.Increment(code);
  latency_.Observe(absl::ToDoubleSeconds(latency));
}

Metrics::BackendCall::BackendCall(Metrics& metrics, const prometheus::Labels& labels)
    : calls_(metrics.backend_calls_, labels, "code", 0, kGrpcCodes, metrics::GrpcCodeName),
      latency_(metrics.backend_latency_.Add(labels, metrics::LatencyBuckets())) {}

void Metrics::BackendCall::Observe(absl::StatusCode code, absl::Duration latency) {
  calls_.Increment(static_cast<int>(code));
  latency_.Observe(absl::ToDoubleSeconds(latency));
}

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(CounterFamily(*registry_, "metrocap_gateway_requests_total",
                              "Requests served, by protocol, route and status.")),
      errors_(CounterFamily(
          *registry_, "metrocap_gateway_errors_total",
          "Requests that failed (HTTP 4xx/5xx, gRPC not OK), by protocol, route and status.")),
      request_latency_(
          HistogramFamily(*registry_, "metrocap_gateway_request_duration_seconds",
                          "Time from a request's arrival to its response, by protocol and route.")),
      backend_calls_(CounterFamily(*registry_, "metrocap_gateway_backend_calls_total",
                                   "Calls to backend services, by status.")),
      backend_latency_(
          HistogramFamily(*registry_, "metrocap_gateway_backend_duration_seconds",
                          "Time a backend service took to answer, by backend and method.")),
      rate_limited_(CounterFamily(*registry_, "metrocap_gateway_rate_limited_total",
                                  "Requests refused by the per-partner rate limit.")),
      key_lookups_(
          CounterFamily(*registry_, "metrocap_gateway_api_key_lookups_total",
                        "API key resolutions: cache hit, membership lookup (miss) or error.")),
      key_hits_(key_lookups_.Add({{"outcome", "hit"}})),
      key_misses_(key_lookups_.Add({{"outcome", "miss"}})),
      key_errors_(key_lookups_.Add({{"outcome", "error"}})) {}

Metrics::Request& Metrics::Rest(absl::string_view route) {
  return rest_.Get(route, [this](absl::string_view name) {
    return std::unique_ptr<Request>(
        new Request(*this, {{"protocol", "rest"}, {"route", std::string(name)}}, true));
  });
}

Metrics::Request& Metrics::Grpc(absl::string_view method) {
  return grpc_.Get(method, [this](absl::string_view name) {
    return std::unique_ptr<Request>(
        new Request(*this, {{"protocol", "grpc"}, {"route", std::string(name)}}, false));
  });
}

Metrics::BackendCall& Metrics::Backend(absl::string_view backend, absl::string_view method_path) {
  return backend_.Get(method_path, [this, backend](absl::string_view path) {
    absl::string_view method = path.substr(path.rfind('/') + 1);
    return std::unique_ptr<BackendCall>(new BackendCall(
        *this, {{"backend", std::string(backend)}, {"method", std::string(method)}}));
  });
}

void Metrics::CountRateLimited(absl::string_view partner) {
  // Refusals are the exception, and partners are many: the labelled lookup is fine here.
  rate_limited_.Add({{"partner", std::string(partner)}}).Increment();
}

void Metrics::CountKeyLookup(absl::string_view outcome) {
  if (outcome == "hit") {
    key_hits_.Increment();
  } else if (outcome == "miss") {
    key_misses_.Increment();
  } else {
    key_errors_.Increment();
  }
}

std::string Metrics::Render() const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry_->Collect());
  return out.str();
}

}  // namespace metrocap::gateway
