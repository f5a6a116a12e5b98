#include "gateway/core/route_table.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"

namespace metrocap::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

absl::Status AddRule(const MethodDescriptor* method, const google::api::HttpRule& rule,
                     std::vector<std::unique_ptr<Route>>* routes) {
  auto route = std::make_unique<Route>();
  std::string path;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      route->http_method = "GET", path = rule.get();
      break;
    case google::api::HttpRule::kPut:
      route->http_method = "PUT", path = rule.put();
      break;
    case google::api::HttpRule::kPost:
      route->http_method = "POST", path = rule.post();
      break;
    case google::api::HttpRule::kDelete:
      route->http_method = "DELETE", path = rule.delete_();
      break;
    case google::api::HttpRule::kPatch:
      route->http_method = "PATCH", path = rule.patch();
      break;
    case google::api::HttpRule::kCustom:
      route->http_method = rule.custom().kind(), path = rule.custom().path();
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(method->full_name(), ": google.api.http without a pattern"));
  }
  auto parsed = PathTemplate::Parse(path);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(method->full_name(), ": ", parsed.status().message()));
  }
  route->path = *std::move(parsed);
  route->body = rule.body();
  route->response_body = rule.response_body();
  route->method = method;
  route->grpc_path = absl::StrCat("/", method->service()->full_name(), "/", method->name());
  route->label = absl::StrCat(route->http_method, " ", path);

  const Descriptor* input = method->input_type();
  for (const auto& variable : route->path.variables()) {
    auto fields = ResolveFieldPath(input, variable.field_path);
    if (fields.empty() || fields.back()->is_repeated() ||
        fields.back()->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      return absl::InvalidArgumentError(absl::StrCat(method->full_name(), ": path variable '",
                                                     variable.field_path,
                                                     "' is not a singular scalar field"));
    }
  }
  if (!route->body.empty() && route->body != "*" && ResolveFieldPath(input, route->body).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(method->full_name(), ": body field '", route->body, "' does not exist"));
  }
  if (!route->response_body.empty() &&
      ResolveFieldPath(method->output_type(), route->response_body).size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(method->full_name(), ": response_body '",
                                                   route->response_body, "' does not exist"));
  }
  routes->push_back(std::move(route));
  return absl::OkStatus();
}

bool MoreSpecific(const Route* a, const Route* b) {
  if (a->path.literal_count() != b->path.literal_count()) {
    return a->path.literal_count() > b->path.literal_count();
  }
  return a->path.segments().size() > b->path.segments().size();
}

}  // namespace

std::vector<const FieldDescriptor*> ResolveFieldPath(const Descriptor* message,
                                                     absl::string_view path) {
  std::vector<const FieldDescriptor*> fields;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (message == nullptr) return {};
    std::string name(part);
    const FieldDescriptor* field = message->FindFieldByName(name);
    if (field == nullptr) field = message->FindFieldByCamelcaseName(name);
    if (field == nullptr) {
      for (int i = 0; i < message->field_count() && field == nullptr; ++i) {
        if (message->field(i)->json_name() == name) field = message->field(i);
      }
    }
    if (field == nullptr) return {};
    if (!fields.empty() && (fields.back()->is_repeated() ||
                            fields.back()->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE)) {
      return {};
    }
    fields.push_back(field);
    message =
        field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE ? field->message_type() : nullptr;
  }
  return fields;
}

absl::StatusOr<std::unique_ptr<RouteTable>> RouteTable::Build(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  auto table = std::unique_ptr<RouteTable>(new RouteTable());
  for (const auto* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* method = service->method(i);
      if (!method->options().HasExtension(google::api::http)) continue;
      const google::api::HttpRule& rule = method->options().GetExtension(google::api::http);
      absl::Status status = AddRule(method, rule, &table->routes_);
      for (const auto& extra : rule.additional_bindings()) {
        if (!status.ok()) break;
        status = AddRule(method, extra, &table->routes_);
      }
      if (!status.ok()) return status;
    }
  }
  for (const auto& route : table->routes_) {
    if (route->path.has_multi()) {
      table->multi_.push_back(route.get());
    } else {
      table->fixed_[{route->path.verb(), route->path.segments().size()}].push_back(route.get());
    }
  }
  for (auto& [key, bucket] : table->fixed_) {
    std::stable_sort(bucket.begin(), bucket.end(), MoreSpecific);
  }
  std::stable_sort(table->multi_.begin(), table->multi_.end(), MoreSpecific);
  return table;
}

RouteMatch RouteTable::Match(absl::string_view http_method, absl::string_view path) const {
  RouteMatch match;
  auto split = SplitRequestPath(path);
  if (!split.ok()) return match;
  std::vector<PathBinding> bindings;
  auto consider = [&](const Route* route) {
    if (match.route != nullptr && match.outcome == RouteMatch::Outcome::kFound) return;
    if (!route->path.Match(*split, &bindings)) return;
    if (route->http_method == http_method) {
      match.outcome = RouteMatch::Outcome::kFound;
      match.route = route;
      match.bindings = std::move(bindings);
      return;
    }
    if (std::find(match.allowed_methods.begin(), match.allowed_methods.end(), route->http_method) ==
        match.allowed_methods.end()) {
      match.allowed_methods.push_back(route->http_method);
    }
  };
  auto bucket = fixed_.find({split->verb, split->segments.size()});
  if (bucket != fixed_.end()) {
    for (const Route* route : bucket->second) consider(route);
  }
  for (const Route* route : multi_) consider(route);
  if (match.outcome != RouteMatch::Outcome::kFound && !match.allowed_methods.empty()) {
    match.outcome = RouteMatch::Outcome::kMethodNotAllowed;
  }
  return match;
}

}  // namespace metrocap::gateway
