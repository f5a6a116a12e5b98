#pragma once

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/server/call.h"
#include "common/status/errors.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "metrocap/servertest/v1/probe.grpc.pb.h"

namespace metrocap::server::testing {

inline constexpr char kAdminToken[] = "admin-token-for-server-tests";
inline constexpr char kCredential[] = "internal-credential-for-server-tests";

// Ping goes through server::Serve like every real handler; Hold blocks until Release() or
// until the call is cancelled, so tests can have a call in flight.
class ProbeService final : public servertest::v1::Probe::Service {
 public:
  ProbeService() : env_{"probe", identity::IdentityConfig{kCredential, kAdminToken}} {}

  grpc::Status Ping(grpc::ServerContext* context, const servertest::v1::PingRequest* request,
                    servertest::v1::PingResponse* response) override {
    return Serve(env_, context, "Ping", [&](const Call& call) -> absl::Status {
      if (!request->fail_field().empty()) return InvalidField(request->fail_field(), "is bad");
      response->set_caller(call.caller.principal);
      response->set_role(call.caller.role);
      for (const std::string& grant : call.caller.grants) response->add_grants(grant);
      response->set_request_id(call.request_id);
      return absl::OkStatus();
    });
  }

  grpc::Status Hold(grpc::ServerContext* context, const servertest::v1::HoldRequest*,
                    servertest::v1::HoldResponse* response) override {
    absl::MutexLock lock(&mu_);
    ++entered_;
    changed_.SignalAll();
    // Wake up now and then to notice a cancellation, which has no callback here.
    while (!released_ && !context->IsCancelled()) {
      changed_.WaitWithTimeout(&mu_, absl::Milliseconds(20));
    }
    response->set_released(released_);
    return released_ ? grpc::Status::OK : grpc::Status::CANCELLED;
  }

  // Blocks until `n` Hold calls have started.
  void AwaitHolds(int n) {
    absl::MutexLock lock(&mu_);
    while (entered_ < n) changed_.Wait(&mu_);
  }

  void Release() {
    absl::MutexLock lock(&mu_);
    released_ = true;
    changed_.SignalAll();
  }

 private:
  CallEnv env_;
  absl::Mutex mu_;
  absl::CondVar changed_;
  int entered_ ABSL_GUARDED_BY(mu_) = 0;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
};

inline std::unique_ptr<servertest::v1::Probe::Stub> ProbeStub(int port) {
  return servertest::v1::Probe::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
}

}  // namespace metrocap::server::testing
