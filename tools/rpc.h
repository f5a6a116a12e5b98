#pragma once

#include <memory>
#include <string>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/impl/channel_interface.h"

namespace metrocap::tools {

// An empty message of `type`, from the generated factory (every type the tool calls with
// is compiled in).
std::unique_ptr<google::protobuf::Message> NewMessage(const google::protobuf::Descriptor* type);

// A channel to `address` and the bearer token its calls carry.
class RpcClient {
 public:
  RpcClient(std::shared_ptr<grpc::ChannelInterface> channel, std::string token)
      : stub_(std::move(channel)), token_(std::move(token)) {}

  // Calls `method` with `request` (of its input type) and parses the answer into
  // `response` (of its output type). The status is the server's, or DEADLINE_EXCEEDED
  // after 30 s, or INTERNAL when the answer does not parse.
  grpc::Status Call(const google::protobuf::MethodDescriptor& method,
                    const google::protobuf::Message& request, google::protobuf::Message* response);

 private:
  grpc::GenericStub stub_;
  std::string token_;
};

}  // namespace metrocap::tools
