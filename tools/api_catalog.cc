#include "tools/api_catalog.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/api/annotations.pb.h"
#include "tools/services.h"

namespace metrocap::tools {
namespace {

using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

constexpr absl::string_view kVersionPrefix = "/v1/";

// The Create method `m` as a ResourceMethods, or false when its path is not a collection
// (`/v1/<collection>` or `/v1/{parent=<pattern>}/<collection>`).
bool ReadCreate(const ServiceDescriptor& service, const MethodDescriptor& m, ResourceMethods* out) {
  const google::api::HttpRule& rule = m.options().GetExtension(google::api::http);
  absl::string_view path = rule.post();
  if (rule.body().empty() || !absl::ConsumePrefix(&path, kVersionPrefix)) return false;
  std::string parent;
  if (absl::ConsumePrefix(&path, "{parent=")) {
    size_t close = path.find("}/");
    if (close == absl::string_view::npos) return false;
    parent = std::string(path.substr(0, close));
    path.remove_prefix(close + 2);
  }
  if (path.empty() || absl::StrContains(path, '/') || absl::StrContains(path, ':')) return false;
  out->create = &m;
  out->get = service.FindMethodByName(absl::StrCat("Get", m.name().substr(6)));
  out->body = rule.body();
  out->has_parent = !parent.empty();
  out->pattern = parent.empty() ? absl::StrCat(path, "/*") : absl::StrCat(parent, "/", path, "/*");
  return true;
}

}  // namespace

bool MatchesPattern(absl::string_view pattern, absl::string_view name) {
  std::vector<absl::string_view> want = absl::StrSplit(pattern, '/');
  std::vector<absl::string_view> got = absl::StrSplit(name, '/');
  if (want.size() != got.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (got[i].empty() || absl::StrContains(got[i], ':')) return false;
    if (want[i] != "*" && want[i] != got[i]) return false;
  }
  return true;
}

ApiCatalog ApiCatalog::FromGeneratedPool() {
  std::vector<const ServiceDescriptor*> services;
  for (const std::string& name : ServiceNames()) {
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    if (service != nullptr) services.push_back(service);
  }
  return ApiCatalog(std::move(services));
}

ApiCatalog::ApiCatalog(std::vector<const ServiceDescriptor*> services)
    : services_(std::move(services)) {
  for (const ServiceDescriptor* service : services_) {
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* m = service->method(i);
      ResourceMethods r;
      if (absl::StartsWith(m->name(), "Create") && ReadCreate(*service, *m, &r)) {
        resources_.push_back(std::move(r));
      }
    }
  }
}

const MethodDescriptor* ApiCatalog::FindMethod(absl::string_view spec) const {
  std::vector<std::string> parts = absl::StrSplit(absl::StripPrefix(spec, "/"), '/');
  if (parts.size() != 2) return nullptr;
  for (const ServiceDescriptor* service : services_) {
    if (service->full_name() != parts[0] && service->name() != parts[0]) continue;
    if (const MethodDescriptor* m = service->FindMethodByName(parts[1])) return m;
  }
  return nullptr;
}

absl::StatusOr<ResourceMethods> ApiCatalog::ForResource(absl::string_view name) const {
  for (const ResourceMethods& r : resources_) {
    if (MatchesPattern(r.pattern, name)) return r;
  }
  return absl::NotFoundError(absl::StrCat("no Create method makes ", name));
}

absl::StatusOr<const MethodDescriptor*> ApiCatalog::CustomMethod(absl::string_view name,
                                                                 absl::string_view call) const {
  for (const ServiceDescriptor* service : services_) {
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* m = service->method(i);
      absl::string_view path = m->options().GetExtension(google::api::http).post();
      if (!absl::ConsumePrefix(&path, kVersionPrefix) || !absl::ConsumePrefix(&path, "{name=") ||
          !absl::ConsumeSuffix(&path, call) || !absl::ConsumeSuffix(&path, "}")) {
        continue;
      }
      if (MatchesPattern(path, name)) return m;
    }
  }
  return absl::NotFoundError(absl::StrCat("no custom method ", call, " for ", name));
}

}  // namespace metrocap::tools
