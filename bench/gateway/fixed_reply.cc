// metrocap-fixed-reply: the gateway benchmark's floor. A gRPC server on the callback API
// that answers GetOrganisation with one pre-built Organisation (the same fields
// bench/gateway/run.sh gives organisations/milan), no authentication, no store, no cache, no
// log: what a cached read costs when gRPC is the only work. Every other method is
// UNIMPLEMENTED. Prints the bound port on stdout, serves until SIGINT or SIGTERM.
//
//   metrocap-fixed-reply --listen=127.0.0.1:0
#include <signal.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"

namespace {

using metrocap::membership::v1::GetOrganisationRequest;
using metrocap::membership::v1::MembershipService;
using metrocap::membership::v1::Organisation;

Organisation Milan() {
  Organisation o;
  o.set_name("organisations/milan");
  o.set_display_name("Città metropolitana di Milano");
  o.set_kind(Organisation::METROPOLITAN_AREA);
  o.set_country_code("IT");
  o.set_region("regions/europe");
  o.set_population(3214630);
  o.set_membership_state(Organisation::NON_MEMBER);
  o.set_etag("\"1\"");
  o.mutable_create_time()->set_seconds(1796601600);
  o.mutable_update_time()->set_seconds(1796601600);
  return o;
}

class FixedReply final : public MembershipService::CallbackService {
 public:
  grpc::ServerUnaryReactor* GetOrganisation(grpc::CallbackServerContext* context,
                                            const GetOrganisationRequest*,
                                            Organisation* response) override {
    response->CopyFrom(reply_);
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  const Organisation reply_ = Milan();
};

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--listen=", 9) == 0) {
      listen = argv[i] + 9;
    } else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // As metrocap's servers do (server::RunService): Debian's Abseil is a debug build, and its
  // mutex deadlock graph would make this floor higher than it is.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  FixedReply service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "metrocap-fixed-reply: cannot listen on %s\n", listen.c_str());
    return 2;
  }
  std::printf("%d\n", port);
  std::fflush(stdout);
  int signal = 0;
  sigwait(&signals, &signal);
  server->Shutdown();
  return 0;
}
