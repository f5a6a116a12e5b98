#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"

namespace metrocap::gateway {

// Where one backend service runs.
struct BackendConfig {
  std::string name;     // "membership": the label in metrics and /readyz.
  std::string service;  // "metrocap.membership.v1.MembershipService".
  std::string address;  // host:port; empty: not configured (reported not ready).
};

// One backend: its channel and generic stub. Calls on it are asynchronous.
struct Backend {
  std::string name;
  std::string address;
  const google::protobuf::ServiceDescriptor* service = nullptr;
  std::shared_ptr<grpc::Channel> channel;   // null when not configured
  std::unique_ptr<grpc::GenericStub> stub;  // null when not configured
};

// The backends the gateway fronts, found by gRPC service name. Built at start-up; read-only
// after, so it is shared between threads without locks.
class Backends {
 public:
  // Opens a channel (server::OpenPeerChannel: lazily connected, round-robin) to every
  // configured backend. A service whose descriptor is not linked into the binary is skipped
  // and listed in `missing()`.
  explicit Backends(const std::vector<BackendConfig>& configs);

  // The backend serving the gRPC service `service` (full name), or null.
  const Backend* ForService(absl::string_view service) const;
  // The backend for a gRPC method path "/pkg.Service/Method", or null.
  const Backend* ForMethodPath(absl::string_view path) const;

  const std::vector<std::unique_ptr<Backend>>& all() const { return backends_; }
  const std::vector<std::string>& missing() const { return missing_; }
  std::vector<const google::protobuf::ServiceDescriptor*> Services() const;

  // Asks every backend's grpc.health.v1 Check (overall status) with `timeout`; calls `done`
  // once, from a gRPC thread, with (backend name, serving) for each backend in order.
  void CheckHealth(absl::Duration timeout,
                   std::function<void(std::vector<std::pair<std::string, bool>>)> done) const;

  // Marks a backend call as in flight until the returned handle is released: shutdown
  // waits for these, so no completion runs against a gateway being torn down.
  std::shared_ptr<void> Hold() const;
  // Waits until no call is in flight or `deadline` passes; false if calls remain.
  bool WaitIdle(absl::Time deadline) const;

 private:
  std::vector<std::unique_ptr<Backend>> backends_;
  absl::flat_hash_map<std::string, const Backend*> by_service_;
  std::vector<std::string> missing_;
  std::shared_ptr<std::atomic<int>> in_flight_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace metrocap::gateway
