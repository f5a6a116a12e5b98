// libFuzzer target: JSON bodies, query strings and If-Match into request messages, and
// responses back into JSON. Input: a byte that picks the route, the lengths of the query
// string and of If-Match (a byte each), then the query string, If-Match and the body.
// Nothing may crash; every failure must be a status.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "gateway/core/transcoder.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
#include "tests/gateway/probe_services.h"

namespace {

// Renders the body read as the route's response message, the way a backend's reply is
// rendered (RenderResponseJson takes a message of the method's output type only).
void RenderAsResponse(const metrocap::gateway::Route& route, const std::string& body) {
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          route.method->output_type());
  if (prototype == nullptr) return;
  std::unique_ptr<google::protobuf::Message> response(prototype->New());
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(body, response.get(), options).ok()) return;
  std::string json;
  // Its contract: INTERNAL never happens for a message that parsed.
  if (!metrocap::gateway::RenderResponseJson(route, *response, &json).ok()) std::abort();
  (void)metrocap::gateway::ResponseEtag(*response);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const auto& routes = metrocap::gateway::ProbeRouteTable().routes();
  const metrocap::gateway::Route& route = *routes[data[0] % routes.size()];
  std::string rest(reinterpret_cast<const char*>(data + 3), size - 3);
  std::string query = rest.substr(0, data[1]);
  rest.erase(0, query.size());
  std::string if_match = rest.substr(0, data[2]);
  std::string body = rest.substr(if_match.size());
  metrocap::gateway::RestRequest request;
  request.route = &route;
  for (const auto& variable : route.path.variables()) {
    request.bindings.emplace_back(variable.field_path, "x/y");
  }
  request.query = query;
  request.if_match = if_match;
  request.body = body;
  auto message = metrocap::gateway::BuildRequestMessage(request);
  if (message.ok()) {
    // The backend parses what the gateway sends: a request that transcoded must read back
    // (proto3 rejects, for one, strings that are not UTF-8).
    std::unique_ptr<google::protobuf::Message> received((*message)->New());
    if (!received->ParseFromString((*message)->SerializeAsString())) std::abort();
  }
  RenderAsResponse(route, body);
  (void)metrocap::gateway::CheckJsonDepth(body, metrocap::gateway::kMaxJsonDepth);
  return 0;
}
