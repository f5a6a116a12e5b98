#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/cache/lookup_cache.h"
#include "common/identity/caller.h"
#include "common/server/server.h"
#include "common/status/status_macros.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "metrocap/assessment/v1/assessment.grpc.pb.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "services/assessment/organisations.h"
#include "services/assessment/service.h"
#include "services/assessment/storage/schemas.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

// The real membership service and the assessment service in this test process, each with
// its own store on `backend` (SQLite files or PostgreSQL databases of a fresh temporary
// directory), on loopback ports chosen by the OS.
namespace metrocap::assessment::testing {

inline constexpr char kCredential[] = "test-internal-credential";

inline identity::Caller AdminCaller() {
  return {"partners/secretariat", membership::v1::Partner::ADMIN, {}};
}
inline identity::Caller PartnerCaller(const std::string& organisation) {
  return {"partners/" + organisation.substr(organisation.find('/') + 1) + "-lab",
          membership::v1::Partner::PARTNER,
          {organisation}};
}
inline identity::Caller ViewerCaller() {
  return {"partners/observer", membership::v1::Partner::VIEWER, {}};
}

class ServiceEnv {
 public:
  explicit ServiceEnv(::metrocap::testing::StoreBackend backend) : backend_(std::move(backend)) {}

  // Opens and migrates both stores and starts both services. Call it once, from SetUp, after
  // METROCAP_REQUIRE_STORE_BACKEND. Returns what failed.
  absl::Status Start() {
    ASSIGN_OR_RETURN(dir_, ::metrocap::testing::MakeTempDir("metrocap-assessment"));
    identity_ = identity::IdentityConfig{kCredential, ""};
    server::ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.shutdown_grace = absl::Milliseconds(100);

    ASSIGN_OR_RETURN(membership_store_, backend_.Open(dir_, "membership"));
    RETURN_IF_ERROR(membership_store_->Migrate(membership::MembershipSchemas().All()));
    membership_ = std::make_unique<membership::MembershipService>(
        server::CallEnv{"membership", identity_}, membership_store_.get(), "membership-key");
    ASSIGN_OR_RETURN(membership_server_,
                     server::GrpcServer::Start("membership", options, {membership_.get()}));
    membership_server_->SetServing(true);

    ASSIGN_OR_RETURN(assessment_store_, backend_.Open(dir_, "assessment"));
    RETURN_IF_ERROR(assessment_store_->Migrate(AssessmentSchemas().All()));
    ASSIGN_OR_RETURN(cache_, cache::CacheClient::Create(cache::CacheConfig{}));
    directory_ = std::make_unique<MembershipDirectory>(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", membership_server_->port()),
                            grpc::InsecureChannelCredentials()),
        identity_, MembershipDirectoryOptions{absl::Seconds(2)},
        &cache_->Cache(kOrganisationsCache));
    service_ = std::make_unique<AssessmentService>(server::CallEnv{"assessment", identity_},
                                                   assessment_store_.get(), directory_.get(),
                                                   "assessment-key");
    ASSIGN_OR_RETURN(assessment_server_,
                     server::GrpcServer::Start("assessment", options, {service_.get()}));
    assessment_server_->SetServing(true);

    auto channel = [](int port) {
      return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                 grpc::InsecureChannelCredentials());
    };
    assessment_stub_ = v1::AssessmentService::NewStub(channel(assessment_server_->port()));
    membership_stub_ =
        membership::v1::MembershipService::NewStub(channel(membership_server_->port()));
    return absl::OkStatus();
  }

  ~ServiceEnv() {
    if (assessment_server_) assessment_server_->Shutdown();
    if (membership_server_) membership_server_->Shutdown();
    // The servers go before the services and stores they call.
    assessment_server_.reset();
    membership_server_.reset();
    service_.reset();
    assessment_store_.reset();
    membership_.reset();
    membership_store_.reset();
    if (!dir_.empty()) ::metrocap::testing::RemoveTree(dir_);
  }

  // A client context that speaks for `caller`, as the gateway would.
  std::unique_ptr<grpc::ClientContext> As(const identity::Caller& caller) {
    auto context = std::make_unique<grpc::ClientContext>();
    identity::AttachIdentity(caller, identity_, context.get());
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return context;
  }

  // Stops membership and forgets what the cache knows of `organisations`: their check
  // must then fail, not guess.
  void StopMembership(const std::vector<std::string>& organisations) {
    membership_server_->Shutdown();
    membership_server_.reset();
    for (const std::string& organisation : organisations) directory_->Forget(organisation);
  }

  // Stops membership but keeps the answers the assessment service remembers.
  void StopMembershipKeepingAnswers() {
    membership_server_->Shutdown();
    membership_server_.reset();
  }

  v1::AssessmentService::Stub& assessment() { return *assessment_stub_; }
  membership::v1::MembershipService::Stub& membership() { return *membership_stub_; }
  store::Store& assessment_store() { return *assessment_store_; }

 private:
  ::metrocap::testing::StoreBackend backend_;
  std::string dir_;
  identity::IdentityConfig identity_;
  std::unique_ptr<store::Store> membership_store_;
  std::unique_ptr<membership::MembershipService> membership_;
  std::unique_ptr<server::GrpcServer> membership_server_;
  std::unique_ptr<store::Store> assessment_store_;
  std::unique_ptr<cache::CacheClient> cache_;
  std::unique_ptr<MembershipDirectory> directory_;
  std::unique_ptr<AssessmentService> service_;
  std::unique_ptr<server::GrpcServer> assessment_server_;
  std::unique_ptr<v1::AssessmentService::Stub> assessment_stub_;
  std::unique_ptr<membership::v1::MembershipService::Stub> membership_stub_;
};

}  // namespace metrocap::assessment::testing
