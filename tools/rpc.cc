#include "tools/rpc.h"

#include <chrono>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/dynamic_message.h"
#include "grpcpp/support/byte_buffer.h"

namespace metrocap::tools {

std::unique_ptr<google::protobuf::Message> NewMessage(const google::protobuf::Descriptor* type) {
  return std::unique_ptr<google::protobuf::Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

grpc::Status RpcClient::Call(const google::protobuf::MethodDescriptor& method,
                             const google::protobuf::Message& request,
                             google::protobuf::Message* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!token_.empty()) context.AddMetadata("authorization", "Bearer " + token_);
  std::string bytes = request.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  grpc::CompletionQueue cq;
  std::string path = absl::StrCat("/", method.service()->full_name(), "/", method.name());
  auto call = stub_.PrepareUnaryCall(&context, path, request_buffer, &cq);
  call->StartCall();
  grpc::Status status;
  call->Finish(&response_buffer, &status, reinterpret_cast<void*>(1));
  void* tag;
  bool ok;
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  (void)response_buffer.Dump(&slices);
  std::string out;
  for (const grpc::Slice& s : slices)
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  if (!response->ParseFromString(out)) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        absl::StrCat("the answer of ", method.full_name(), " does not parse"));
  }
  return status;
}

}  // namespace metrocap::tools
