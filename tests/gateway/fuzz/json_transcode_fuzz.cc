// libFuzzer target: JSON bodies and query strings into request messages. The first byte
// picks a route, the second splits the rest into a query string and a body. Nothing may
// crash; every failure must be a status.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gateway/core/transcoder.h"
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
  if (size < 2) return 0;
  const auto& routes = Table().routes();
  const metrocap::gateway::Route& route = *routes[data[0] % routes.size()];
  std::string rest(reinterpret_cast<const char*>(data + 2), size - 2);
  size_t split = std::min<size_t>(data[1], rest.size());
  metrocap::gateway::RestRequest request;
  request.route = &route;
  for (const auto& variable : route.path.variables()) {
    request.bindings.emplace_back(variable.field_path, "x/y");
  }
  std::string query = rest.substr(0, split);
  std::string body = rest.substr(split);
  request.query = query;
  request.body = body;
  auto message = metrocap::gateway::BuildRequestMessage(request);
  if (message.ok()) {
    std::string json;
    (void)metrocap::gateway::RenderResponseJson(route, **message, &json);
  }
  (void)metrocap::gateway::CheckJsonDepth(body, metrocap::gateway::kMaxJsonDepth);
  return 0;
}
