#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/core/path_template.h"
#include "google/protobuf/descriptor.h"

namespace metrocap::gateway {

// One REST binding of an RPC, read from its google.api.http annotation (or one of its
// additional_bindings).
struct Route {
  std::string http_method;  // "GET", "POST", "PATCH", "PUT", "DELETE" or a custom kind.
  PathTemplate path;
  // "" (no body), "*" (the whole request message) or a request field path.
  std::string body;
  // "" (the whole response message) or the response field to return.
  std::string response_body;
  const google::protobuf::MethodDescriptor* method = nullptr;
  // The gRPC method path, "/metrocap.membership.v1.MembershipService/GetOrganisation".
  std::string grpc_path;
  // The HTTP method and template, e.g. "GET /v1/{name=organisations/*}": the route's name in
  // metrics and logs.
  std::string label;
};

// What matching a request against the table found.
struct RouteMatch {
  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };
  Outcome outcome = Outcome::kNotFound;
  const Route* route = nullptr;
  std::vector<PathBinding> bindings;
  // For kMethodNotAllowed: the methods the path does accept (the Allow header).
  std::vector<std::string> allowed_methods;
};

// The REST routes of a set of gRPC services, built once at start-up and read-only after,
// so it is safe to share between threads.
class RouteTable {
 public:
  // Builds the routes of every method of `services` that carries a google.api.http
  // annotation. INVALID_ARGUMENT when an annotation is malformed or names a field that the
  // request (or response) message does not have: a broken API must not start.
  static absl::StatusOr<std::unique_ptr<RouteTable>> Build(
      const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  // Finds the route for `http_method` and `path` (no query string). kNotFound when no
  // template matches the path (or the path is malformed), kMethodNotAllowed when one
  // matches for other methods only.
  RouteMatch Match(absl::string_view http_method, absl::string_view path) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
  // Routes without `**`, by (verb, segment count), most literal segments first.
  std::map<std::pair<std::string, size_t>, std::vector<const Route*>> fixed_;
  std::vector<const Route*> multi_;
};

// Resolves a dotted field path ("organisation.name") in `message`, accepting proto names and
// lowerCamelCase JSON names per segment. Returns the fields along the path, or an empty
// vector when a segment does not exist or a non-final segment is not a singular message.
std::vector<const google::protobuf::FieldDescriptor*> ResolveFieldPath(
    const google::protobuf::Descriptor* message, absl::string_view path);

}  // namespace metrocap::gateway
