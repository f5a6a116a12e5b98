// metrocapctl: a small gRPC client for metrocap's services.
//
//   metrocapctl [--address=HOST:PORT] [--token=TOKEN] call Service/Method '<request JSON>'
//   metrocapctl [--address=HOST:PORT] [--token=TOKEN] load <data dir>
//   metrocapctl [--address=HOST:PORT] health
//
// `call` sends one request (canonical proto3 JSON) and prints the response as JSON.
// `load` creates every resource of <data dir>/ORDER's files (JSON arrays of resources with
// their names) through the public API, skipping those that already exist, so loading twice
// changes nothing. The Create method for each resource is found from the google.api.http
// annotations, so new services need no change here. The token defaults to
// $METROCAP_ADMIN_TOKEN; the address to 127.0.0.1:50051.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/api/annotations.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "tools/services.h"

namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

struct Options {
  std::string address = "127.0.0.1:50051";
  std::string token;
};

// One unary call with serialized bytes.
grpc::Status Invoke(grpc::GenericStub& stub, const Options& options, const MethodDescriptor& method,
                    const Message& request, Message* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!options.token.empty()) context.AddMetadata("authorization", "Bearer " + options.token);
  std::string bytes = request.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  grpc::CompletionQueue cq;
  std::string path = absl::StrCat("/", method.service()->full_name(), "/", method.name());
  auto call = stub.PrepareUnaryCall(&context, path, request_buffer, &cq);
  call->StartCall();
  grpc::Status status;
  call->Finish(&response_buffer, &status, reinterpret_cast<void*>(1));
  void* tag;
  bool ok;
  cq.Next(&tag, &ok);
  if (status.ok()) {
    std::vector<grpc::Slice> slices;
    response_buffer.Dump(&slices);
    std::string out;
    for (const grpc::Slice& s : slices)
      out.append(reinterpret_cast<const char*>(s.begin()), s.size());
    response->ParseFromString(out);
  }
  return status;
}

std::unique_ptr<Message> NewMessage(const Descriptor* descriptor) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor)->New());
}

const MethodDescriptor* FindMethod(absl::string_view spec) {
  std::vector<std::string> parts = absl::StrSplit(absl::StripPrefix(spec, "/"), '/');
  if (parts.size() != 2) return nullptr;
  for (const std::string& service_name : metrocap::tools::ServiceNames()) {
    const auto* service = DescriptorPool::generated_pool()->FindServiceByName(service_name);
    if (service == nullptr) continue;
    if (service->full_name() != parts[0] && service->name() != parts[0]) continue;
    if (const MethodDescriptor* m = service->FindMethodByName(parts[1])) return m;
  }
  return nullptr;
}

std::string ToJson(const Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

int Call(const Options& options, const std::string& method_spec, const std::string& json) {
  const MethodDescriptor* method = FindMethod(method_spec);
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
  grpc::GenericStub stub(grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials()));
  auto response = NewMessage(method->output_type());
  grpc::Status result = Invoke(stub, options, *method, *request, response.get());
  if (!result.ok()) {
    std::fprintf(stderr, "%d %s\n", static_cast<int>(result.error_code()),
                 result.error_message().c_str());
    return 1;
  }
  std::printf("%s\n", ToJson(*response).c_str());
  return 0;
}

// A Create method and how a resource name maps onto its request.
struct Creator {
  const MethodDescriptor* create = nullptr;
  const MethodDescriptor* get = nullptr;
  std::vector<std::string> pattern;  // "organisations", "*", "assessments"
  std::string body;                  // the request field holding the resource
  bool has_parent = false;
};

std::vector<Creator> Creators() {
  std::vector<Creator> out;
  for (const std::string& service_name : metrocap::tools::ServiceNames()) {
    const auto* service = DescriptorPool::generated_pool()->FindServiceByName(service_name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* m = service->method(i);
      if (!absl::StartsWith(m->name(), "Create")) continue;
      const google::api::HttpRule& rule = m->options().GetExtension(google::api::http);
      if (rule.post().empty()) continue;
      Creator c;
      c.create = m;
      c.get = service->FindMethodByName("Get" + m->name().substr(6));
      c.body = rule.body();
      std::string path(absl::StripPrefix(rule.post(), "/v1/"));
      if (absl::StartsWith(path, "{parent=")) {
        c.has_parent = true;
        size_t close = path.find('}');
        std::string parent = path.substr(8, close - 8);
        for (absl::string_view p : absl::StrSplit(parent, '/')) c.pattern.emplace_back(p);
        path = path.substr(close + 2);
      }
      c.pattern.push_back(path);
      c.pattern.push_back("*");
      out.push_back(c);
    }
  }
  return out;
}

const Creator* CreatorFor(const std::vector<Creator>& creators, const std::string& name) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  for (const Creator& c : creators) {
    if (c.pattern.size() != parts.size()) continue;
    bool match = true;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (c.pattern[i] != "*" && c.pattern[i] != parts[i]) match = false;
    }
    if (match) return &c;
  }
  return nullptr;
}

// Splits a JSON array of objects into the objects' texts (the data files are arrays).
bool SplitArray(const std::string& text, std::vector<std::string>* items) {
  int depth = 0;
  bool in_string = false, escaped = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '{' && depth++ == 0)
      start = i;
    else if (c == '}' && --depth == 0)
      items->push_back(text.substr(start, i - start + 1));
  }
  return depth == 0 && !in_string;
}

int Load(const Options& options, const std::string& dir) {
  std::ifstream order_file(dir + "/ORDER");
  if (!order_file) {
    std::fprintf(stderr, "%s/ORDER is missing\n", dir.c_str());
    return 2;
  }
  std::vector<Creator> creators = Creators();
  grpc::GenericStub stub(grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials()));
  int created = 0, existing = 0;
  std::string file;
  while (std::getline(order_file, file)) {
    file = std::string(absl::StripAsciiWhitespace(file));
    if (file.empty() || file[0] == '#') continue;
    std::ifstream in(dir + "/" + file);
    std::stringstream text;
    text << in.rdbuf();
    std::vector<std::string> items;
    if (!in || !SplitArray(text.str(), &items)) {
      std::fprintf(stderr, "%s/%s is not a JSON array\n", dir.c_str(), file.c_str());
      return 2;
    }
    for (const std::string& item : items) {
      // The name decides which Create method takes the item.
      size_t at = item.find("\"name\"");
      size_t q1 = item.find('"', item.find(':', at) + 1);
      size_t q2 = item.find('"', q1 + 1);
      if (at == std::string::npos || q1 == std::string::npos) {
        std::fprintf(stderr, "%s: an item has no name\n", file.c_str());
        return 2;
      }
      std::string name = item.substr(q1 + 1, q2 - q1 - 1);
      const Creator* creator = CreatorFor(creators, name);
      if (creator == nullptr) {
        std::fprintf(stderr, "%s: no Create method for %s\n", file.c_str(), name.c_str());
        return 2;
      }
      if (creator->get != nullptr) {
        auto get = NewMessage(creator->get->input_type());
        get->GetReflection()->SetString(get.get(), get->GetDescriptor()->FindFieldByName("name"),
                                        name);
        auto got = NewMessage(creator->get->output_type());
        grpc::Status status = Invoke(stub, options, *creator->get, *get, got.get());
        if (status.ok()) {
          ++existing;
          continue;
        }
        if (status.error_code() != grpc::StatusCode::NOT_FOUND) {
          std::fprintf(stderr, "%s: %s\n", name.c_str(), status.error_message().c_str());
          return 1;
        }
      }
      auto request = NewMessage(creator->create->input_type());
      const auto* d = request->GetDescriptor();
      const auto* r = request->GetReflection();
      Message* body = r->MutableMessage(request.get(), d->FindFieldByName(creator->body));
      auto parsed = google::protobuf::util::JsonStringToMessage(item, body);
      if (!parsed.ok()) {
        std::fprintf(stderr, "%s: %s\n", name.c_str(), parsed.ToString().c_str());
        return 2;
      }
      std::string id = name.substr(name.rfind('/') + 1);
      r->SetString(request.get(), d->FindFieldByName(creator->body + "_id"), id);
      if (creator->has_parent) {
        r->SetString(request.get(), d->FindFieldByName("parent"),
                     name.substr(0, name.rfind('/', name.rfind('/') - 1)));
      }
      auto response = NewMessage(creator->create->output_type());
      grpc::Status status = Invoke(stub, options, *creator->create, *request, response.get());
      if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
        ++existing;
        continue;
      }
      if (!status.ok()) {
        std::fprintf(stderr, "%s: %d %s\n", name.c_str(), static_cast<int>(status.error_code()),
                     status.error_message().c_str());
        return 1;
      }
      ++created;
    }
  }
  std::printf("%s: %d created, %d already present\n", dir.c_str(), created, existing);
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
  std::fprintf(stderr,
               "usage: metrocapctl [--address=HOST:PORT] [--token=TOKEN] call Service/Method "
               "'<json>'\n       metrocapctl [--address=HOST:PORT] [--token=TOKEN] load <dir>\n"
               "       metrocapctl [--address=HOST:PORT] health\n");
  return 2;
}
