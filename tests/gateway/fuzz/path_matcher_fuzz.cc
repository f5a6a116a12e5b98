// libFuzzer target: path templates and request paths. The first line is parsed as a
// template and matched against the rest; the rest is also matched against the route table
// of the real services. Nothing may crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gateway/core/path_template.h"
#include "gateway/core/route_table.h"
#include "tests/gateway/probe_services.h"

namespace {

const metrocap::gateway::RouteTable& Table() {
  static const auto* table = [] {
    auto built = metrocap::gateway::RouteTable::Build(
        {metrocap::gateway::Service("metrocap.membership.v1.MembershipService"),
         metrocap::gateway::Service("metrocap.gatewaytest.v1.ProbeService")});
    return built->release();
  }();
  return *table;
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
      parsed->Match(*split, &bindings);
    }
  }
  for (const char* method : {"GET", "POST", "PATCH", "DELETE"}) Table().Match(method, path);
  return 0;
}
