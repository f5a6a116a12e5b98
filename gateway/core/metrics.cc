#include "gateway/core/metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace metrocap::gateway {
namespace {

// A label value escaped per the exposition format: backslash, quote and newline.
std::string Escape(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Number(double value) { return absl::StrFormat("%.9g", value); }

// The series of `map` with these label values, created (with copies of them) if new.
template <typename Map, typename... Views>
typename Map::mapped_type& Entry(Map& map, Views... views) {
  auto it = map.find(std::make_tuple(views...));
  if (it == map.end()) {
    it = map.emplace(typename Map::key_type(std::string(views)...), typename Map::mapped_type{})
             .first;
  }
  return it->second;
}

bool IsSuccess(absl::string_view protocol, absl::string_view code) {
  if (protocol == "grpc") return code == "OK";
  return !code.empty() && (code[0] == '2' || code[0] == '3');
}

}  // namespace

void Metrics::Histogram::Observe(double seconds) {
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++buckets[i];
  }
  ++count;
  sum += seconds;
}

void Metrics::ObserveRequest(absl::string_view protocol, absl::string_view route,
                             absl::string_view code, absl::Duration latency) {
  absl::MutexLock lock(&mu_);
  ++Entry(requests_, protocol, route, code);
  if (!IsSuccess(protocol, code)) ++Entry(errors_, protocol, route, code);
  Entry(request_latency_, protocol, route).Observe(absl::ToDoubleSeconds(latency));
}

void Metrics::ObserveBackendCall(absl::string_view backend, absl::string_view method,
                                 absl::string_view code, absl::Duration latency) {
  absl::MutexLock lock(&mu_);
  ++Entry(backend_calls_, backend, method, code);
  Entry(backend_latency_, backend, method).Observe(absl::ToDoubleSeconds(latency));
}

void Metrics::CountRateLimited(absl::string_view partner) {
  absl::MutexLock lock(&mu_);
  ++rate_limited_[std::string(partner)];
}

void Metrics::CountKeyLookup(absl::string_view outcome) {
  absl::MutexLock lock(&mu_);
  ++key_lookups_[std::string(outcome)];
}

std::string Metrics::Render() const {
  absl::MutexLock lock(&mu_);
  std::string out;
  auto counter3 = [&out](const char* name, const char* help, const char* l1, const char* l2,
                         const char* l3, const Series<Labels3, uint64_t>& values) {
    absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " counter\n");
    for (const auto& [labels, value] : values) {
      absl::StrAppend(&out, name, "{", l1, "=\"", Escape(std::get<0>(labels)), "\",", l2, "=\"",
                      Escape(std::get<1>(labels)), "\",", l3, "=\"", Escape(std::get<2>(labels)),
                      "\"} ", value, "\n");
    }
  };
  auto histogram = [&out](const char* name, const char* help, const char* l1, const char* l2,
                          const Series<Labels2, Histogram>& values) {
    absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " histogram\n");
    for (const auto& [labels, h] : values) {
      std::string base = absl::StrCat(l1, "=\"", Escape(std::get<0>(labels)), "\",", l2, "=\"",
                                      Escape(std::get<1>(labels)), "\"");
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        absl::StrAppend(&out, name, "_bucket{", base, ",le=\"", Number(kBuckets[i]), "\"} ",
                        h.buckets[i], "\n");
      }
      absl::StrAppend(&out, name, "_bucket{", base, ",le=\"+Inf\"} ", h.count, "\n");
      absl::StrAppend(&out, name, "_sum{", base, "} ", Number(h.sum), "\n");
      absl::StrAppend(&out, name, "_count{", base, "} ", h.count, "\n");
    }
  };
  auto counter1 = [&out](const char* name, const char* help, const char* l1,
                         const std::map<std::string, uint64_t>& values) {
    absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " counter\n");
    for (const auto& [label, value] : values) {
      absl::StrAppend(&out, name, "{", l1, "=\"", Escape(label), "\"} ", value, "\n");
    }
  };
  counter3("metrocap_gateway_requests_total", "Requests served, by protocol, route and status.",
           "protocol", "route", "code", requests_);
  counter3("metrocap_gateway_errors_total",
           "Requests that failed (HTTP 4xx/5xx, gRPC not OK), by protocol, route and status.",
           "protocol", "route", "code", errors_);
  histogram("metrocap_gateway_request_duration_seconds",
            "Time from a request's arrival to its response, by protocol and route.", "protocol",
            "route", request_latency_);
  counter3("metrocap_gateway_backend_calls_total", "Calls to backend services, by status.",
           "backend", "method", "code", backend_calls_);
  histogram("metrocap_gateway_backend_duration_seconds",
            "Time a backend service took to answer, by backend and method.", "backend", "method",
            backend_latency_);
  counter1("metrocap_gateway_rate_limited_total", "Requests refused by the per-partner rate limit.",
           "partner", rate_limited_);
  counter1("metrocap_gateway_api_key_lookups_total",
           "API key resolutions: cache hit, membership lookup (miss) or error.", "outcome",
           key_lookups_);
  return out;
}

}  // namespace metrocap::gateway
