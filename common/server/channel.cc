#include "common/server/channel.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace metrocap::server {

std::string PeerTarget(absl::string_view address) {
  for (absl::string_view scheme : {"dns:", "ipv4:", "ipv6:", "unix:", "unix-abstract:"}) {
    if (absl::StartsWith(address, scheme)) return std::string(address);
  }
  return absl::StrCat("dns:///", address);
}

std::shared_ptr<grpc::Channel> OpenPeerChannel(absl::string_view address, int max_receive_bytes) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(max_receive_bytes);
  // Reconnect quickly after a peer restarts, so "down and back" heals in about a second
  // rather than gRPC's default backoff of up to two minutes.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetServiceConfigJSON(kPeerServiceConfig);
  return grpc::CreateCustomChannel(PeerTarget(address), grpc::InsecureChannelCredentials(), args);
}

}  // namespace metrocap::server
