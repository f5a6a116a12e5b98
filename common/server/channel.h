#pragma once

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/channel.h"

// Channels from one component to another (the gateway to its backends, assessment to
// membership): one way to open them, so every peer call is balanced and heals the same way.
namespace metrocap::server {

// The gRPC channel target for a peer address. A plain host:port becomes
// "dns:///host:port", so that every address the name resolves to (every ready pod of a
// headless Kubernetes Service) is a candidate; a target that already names its resolver
// ("dns:", "ipv4:", "ipv6:", "unix:", "unix-abstract:") is kept as it is.
std::string PeerTarget(absl::string_view address);

// The service config of every peer channel: calls are spread round-robin over all
// resolved addresses (gRPC's own default, pick_first, would send every call of a replica
// to one pod).
inline constexpr char kPeerServiceConfig[] = R"({"loadBalancingConfig":[{"round_robin":{}}]})";

// An insecure, lazily connected channel to `address` (PeerTarget, kPeerServiceConfig) that
// reconnects within about a second after the peer restarts, accepting responses up to
// `max_receive_bytes`.
std::shared_ptr<grpc::Channel> OpenPeerChannel(absl::string_view address,
                                               int max_receive_bytes = 16 << 20);

}  // namespace metrocap::server
