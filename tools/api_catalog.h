#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace metrocap::tools {

// The standard methods that create and read one kind of resource, found from their
// google.api.http annotations: `POST /v1/[{parent=<pattern>}/]<collection>` with the
// resource in `body`, and the matching `Get<Resource>`.
struct ResourceMethods {
  const google::protobuf::MethodDescriptor* create = nullptr;
  const google::protobuf::MethodDescriptor* get = nullptr;  // null when the service has none
  std::string pattern;  // the resource name pattern, "organisations/*/assessments/*"
  std::string body;     // the request field holding the resource, "assessment"
  bool has_parent = false;
};

// Whether `name` matches a resource name pattern, where `*` stands for one non-empty
// segment ("organisations/*/assessments/*").
bool MatchesPattern(absl::string_view pattern, absl::string_view name);

// What metrocapctl can call, read from the google.api.http annotations of the services it
// is given, so a new service or method needs no change in the tool.
class ApiCatalog {
 public:
  // The services of ServiceNames() that are linked into this binary.
  static ApiCatalog FromGeneratedPool();
  explicit ApiCatalog(std::vector<const google::protobuf::ServiceDescriptor*> services);

  // A method by "Service/Method" (short or full service name); null when unknown.
  const google::protobuf::MethodDescriptor* FindMethod(absl::string_view spec) const;

  // The Create and Get methods for the resource `name`. NOT_FOUND when no Create method's
  // path matches it.
  absl::StatusOr<ResourceMethods> ForResource(absl::string_view name) const;

  // The custom method `POST /v1/{name=<pattern>}:<verb>` whose pattern matches `name`;
  // `call` is ":verb". NOT_FOUND when there is none.
  absl::StatusOr<const google::protobuf::MethodDescriptor*> CustomMethod(
      absl::string_view name, absl::string_view call) const;

 private:
  std::vector<const google::protobuf::ServiceDescriptor*> services_;
  std::vector<ResourceMethods> resources_;
};

}  // namespace metrocap::tools
