// libFuzzer target: path templates and request paths. The first line is parsed as a
// template and matched against the rest; the rest is also matched against the route table
// of the real services. Nothing may crash, hang or read out of bounds, and a match must
// bind exactly the template's variables.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "gateway/core/path_template.h"
#include "gateway/core/route_table.h"
#include "tests/gateway/probe_services.h"

namespace {

// A broken invariant is a finding: abort so that libFuzzer keeps the input.
void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string path = newline == std::string::npos ? input : input.substr(newline + 1);
  if (newline != std::string::npos) {
    auto parsed = metrocap::gateway::PathTemplate::Parse(input.substr(0, newline));
    auto split = metrocap::gateway::SplitRequestPath(path);
    if (parsed.ok() && split.ok()) {
      std::vector<metrocap::gateway::PathBinding> bindings;
      if (parsed->Match(*split, &bindings)) {
        Require(bindings.size() == parsed->variables().size());
      }
    }
  }
  for (const char* method : {"GET", "POST", "PATCH", "DELETE"}) {
    metrocap::gateway::RouteMatch match = metrocap::gateway::ProbeRouteTable().Match(method, path);
    if (match.outcome == metrocap::gateway::RouteMatch::Outcome::kFound) {
      Require(match.route != nullptr && match.route->http_method == method);
      Require(match.bindings.size() == match.route->path.variables().size());
    }
  }
  return 0;
}
