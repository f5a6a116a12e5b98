// metrocapctl: a small gRPC client for metrocap's services.
//
//   metrocapctl [--address=HOST:PORT] [--token=TOKEN] call Service/Method '<request JSON>'
//   metrocapctl [--address=HOST:PORT] [--token=TOKEN] load <data dir>
//   metrocapctl [--address=HOST:PORT] health
//   metrocapctl errors
//
// `call` sends one request (canonical proto3 JSON) and prints the response as JSON.
// `load` creates every resource of <data dir>/ORDER's files (JSON arrays of resources with
// their names) through the public API and brings each to the state its file names with
// `transitions` (custom method calls such as ":publish"), skipping what is already there
// or already in its state, so loading twice changes nothing. The Create, Get and custom
// methods are found from the google.api.http annotations, so new services need no change
// here. `errors` prints the error-reason catalogue (docs/errors.md). The token defaults to $METROCAP_ADMIN_TOKEN; the address to 127.0.0.1:50051.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "tools/api_catalog.h"
#include "tools/data_loader.h"
#include "tools/error_catalogue.h"
#include "tools/rpc.h"

namespace {

using metrocap::tools::ApiCatalog;
using metrocap::tools::NewMessage;
using metrocap::tools::RpcClient;

struct Options {
  std::string address = "127.0.0.1:50051";
  std::string token;
};

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

RpcClient Client(const Options& options) {
  return RpcClient(grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials()),
                   options.token);
}

int Call(const Options& options, const std::string& method_spec, const std::string& json) {
  ApiCatalog catalog = ApiCatalog::FromGeneratedPool();
  const google::protobuf::MethodDescriptor* method = catalog.FindMethod(method_spec);
  if (method == nullptr) {
    std::fprintf(stderr, "unknown method %s (use Service/Method)\n", method_spec.c_str());
    return 2;
  }
  auto request = NewMessage(method->input_type());
  auto status = google::protobuf::util::JsonStringToMessage(json, request.get());
  if (!status.ok()) {
    std::fprintf(stderr, "bad request JSON: %s\n", status.ToString().c_str());
    return 2;
  }
  RpcClient client = Client(options);
  auto response = NewMessage(method->output_type());
  grpc::Status result = client.Call(*method, *request, response.get());
  if (!result.ok()) {
    std::fprintf(stderr, "%d %s\n", static_cast<int>(result.error_code()),
                 result.error_message().c_str());
    return 1;
  }
  std::printf("%s\n", ToJson(*response).c_str());
  return 0;
}

// Exit 1 at the first file that cannot be read or parsed, or call the server refuses.
int Load(const Options& options, const std::string& dir) {
  ApiCatalog catalog = ApiCatalog::FromGeneratedPool();
  RpcClient client = Client(options);
  metrocap::tools::DataLoader loader(&catalog, &client);
  absl::StatusOr<metrocap::tools::LoadReport> report = loader.LoadDirectory(dir, std::cout);
  if (!report.ok()) {
    std::fprintf(stderr, "%s\n", report.status().ToString().c_str());
    return 1;
  }
  std::printf("%s: %s\n", dir.c_str(), metrocap::tools::Summary(*report).c_str());
  return 0;
}

// Exit 0 when the server's grpc.health.v1 status is SERVING.
int Health(const Options& options) {
  auto channel = grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials());
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  grpc::Status status =
      grpc::health::v1::Health::NewStub(channel)->Check(&context, request, &response);
  bool serving = status.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  std::printf(
      "%s\n",
      status.ok()
          ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()).c_str()
          : status.error_message().c_str());
  return serving ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (const char* token = std::getenv("METROCAP_ADMIN_TOKEN")) options.token = token;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (absl::StartsWith(arg, "--address=")) {
      options.address = arg.substr(10);
    } else if (absl::StartsWith(arg, "--token=")) {
      options.token = arg.substr(8);
    } else {
      args.push_back(arg);
    }
  }
  if (args.size() == 3 && args[0] == "call") return Call(options, args[1], args[2]);
  if (args.size() == 2 && args[0] == "call") return Call(options, args[1], "{}");
  if (args.size() == 2 && args[0] == "load") return Load(options, args[1]);
  if (args.size() == 1 && args[0] == "health") return Health(options);
  if (args.size() == 1 && args[0] == "errors") {
    std::fputs(metrocap::tools::ErrorCatalogueMarkdown().c_str(), stdout);
    return 0;
  }
  std::fprintf(stderr,
               "usage: metrocapctl [--address=HOST:PORT] [--token=TOKEN] call Service/Method "
               "'<json>'\n       metrocapctl [--address=HOST:PORT] [--token=TOKEN] load <dir>\n"
               "       metrocapctl [--address=HOST:PORT] health\n"
               "       metrocapctl errors\n");
  return 2;
}
