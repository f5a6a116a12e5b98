#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/cache/lookup_cache.h"
#include "common/identity/caller.h"
#include "common/server/server.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "metrocap/assessment/v1/assessment.grpc.pb.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "metrocap/roadmaps/v1/roadmaps.grpc.pb.h"
#include "services/assessment/organisations.h"
#include "services/assessment/service.h"
#include "services/assessment/storage/schemas.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"
#include "services/roadmaps/peers.h"
#include "services/roadmaps/service.h"
#include "services/roadmaps/storage/schemas.h"
#include "tests/services/roadmaps/core/fixtures.h"
#include "tests/support/store_backends.h"

// The real membership, assessment and roadmaps services in this test process, each with
// its own store on `backend` (SQLite files or PostgreSQL databases of a fresh temporary
// directory), on loopback ports chosen by the OS. Assessment and roadmaps share one cache
// client (as replicas share Redis), or, with `redis_url`, each has a client of its own on
// that Redis, as separate processes would.
namespace metrocap::roadmaps::testing {

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

// A DRAFT framework of assessment with the one capacity "knowledge".
inline assessment::v1::Framework DraftFramework() {
  return Parse<assessment::v1::Framework>(R"pb(
    display_name: "Draft"
    scale_min: 1
    scale_max: 5
    need_threshold: 3
    potential_threshold: 4
    capacities { id: "knowledge" display_name: "Knowledge" }
  )pb");
}

class ServiceEnv {
 public:
  explicit ServiceEnv(::metrocap::testing::StoreBackend backend, std::string redis_url = "")
      : backend_(std::move(backend)), redis_url_(std::move(redis_url)) {}

  // The day the roadmaps service judges timeliness on.
  static absl::Time Now() {
    return absl::FromCivil(absl::CivilSecond(2026, 3, 15, 12, 0, 0), absl::UTCTimeZone());
  }

  // Opens and migrates the stores and starts the three services. Call it once, from SetUp,
  // after METROCAP_REQUIRE_STORE_BACKEND. Returns what failed.
  absl::Status Start() {
    const char* base = getenv("TEST_TMPDIR");
    std::string pattern = std::string(base ? base : "/tmp") + "/metrocap-roadmaps-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) return absl::InternalError("mkdtemp");
    dir_ = pattern;
    identity_ = identity::IdentityConfig{kCredential, ""};
    options_.listen_address = "127.0.0.1:0";
    options_.shutdown_grace = absl::Milliseconds(100);
    cache::CacheConfig cache_config;
    cache_config.redis_url = redis_url_;
    ASSIGN_OR_RETURN(cache_, cache::CacheClient::Create(cache_config));
    cache::CacheClient* roadmaps_cache = cache_.get();
    if (!redis_url_.empty()) {
      ASSIGN_OR_RETURN(roadmaps_cache_, cache::CacheClient::Create(cache_config));
      roadmaps_cache = roadmaps_cache_.get();
    }

    ASSIGN_OR_RETURN(membership_store_, backend_.Open(dir_, "membership"));
    RETURN_IF_ERROR(membership_store_->Migrate(membership::MembershipSchemas().All()));
    // Membership keeps a cache client of its own: its GetOrganisation reads through the
    // organisations cache, and sharing the client of a reader in this process would make
    // the reader's miss wait on itself (concurrent misses of one key share one load).
    membership_ = std::make_unique<membership::MembershipService>(
        server::CallEnv{"membership", identity_}, membership_store_.get(), "membership-key");
    ASSIGN_OR_RETURN(membership_server_,
                     server::GrpcServer::Start("membership", options_, {membership_.get()}));
    membership_server_->SetServing(true);

    ASSIGN_OR_RETURN(assessment_store_, backend_.Open(dir_, "assessment"));
    RETURN_IF_ERROR(assessment_store_->Migrate(assessment::AssessmentSchemas().All()));
    directory_ = std::make_unique<assessment::MembershipDirectory>(
        Channel(membership_server_->port()), identity_,
        assessment::MembershipDirectoryOptions{absl::Seconds(2)},
        &cache_->Cache(cache::kOrganisationsCache));
    assessment_ = std::make_unique<assessment::AssessmentService>(
        server::CallEnv{"assessment", identity_}, assessment_store_.get(), directory_.get(),
        "assessment-key", absl::Now, cache_.get());
    RETURN_IF_ERROR(StartAssessment());

    ASSIGN_OR_RETURN(roadmaps_store_, backend_.Open(dir_, "roadmaps"));
    RETURN_IF_ERROR(roadmaps_store_->Migrate(RoadmapSchemas().All()));
    peers_ = std::make_unique<GrpcPeers>(Channel(membership_server_->port()),
                                         Channel(assessment_server_->port()), identity_,
                                         PeerOptions{absl::Seconds(2)}, roadmaps_cache);
    roadmaps_ = std::make_unique<RoadmapService>(server::CallEnv{"roadmaps", identity_},
                                                 roadmaps_store_.get(), peers_.get(),
                                                 "roadmaps-key", &ServiceEnv::Now, roadmaps_cache);
    ASSIGN_OR_RETURN(roadmaps_server_,
                     server::GrpcServer::Start("roadmaps", options_, {roadmaps_.get()}));
    roadmaps_server_->SetServing(true);

    roadmaps_stub_ = v1::RoadmapService::NewStub(Channel(roadmaps_server_->port()));
    membership_stub_ =
        membership::v1::MembershipService::NewStub(Channel(membership_server_->port()));
    return absl::OkStatus();
  }

  ~ServiceEnv() {
    for (auto* server : {&roadmaps_server_, &assessment_server_, &membership_server_}) {
      if (*server) (*server)->Shutdown();
      server->reset();
    }
    roadmaps_.reset();
    peers_.reset();
    roadmaps_cache_.reset();
    roadmaps_store_.reset();
    assessment_.reset();
    directory_.reset();
    assessment_store_.reset();
    membership_.reset();
    membership_store_.reset();
    if (!dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
  }

  // A client context that speaks for `caller`, as the gateway would.
  std::unique_ptr<grpc::ClientContext> As(const identity::Caller& caller) {
    auto context = std::make_unique<grpc::ClientContext>();
    identity::AttachIdentity(caller, identity_, context.get());
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return context;
  }

  // Stops membership (or assessment) and forgets what the shared cache knows of `names`:
  // their lookups must then fail, not guess.
  void StopMembership(const std::vector<std::string>& names) {
    membership_server_->Shutdown();
    membership_server_.reset();
    for (const std::string& name : names) {
      cache_->Cache(cache::kOrganisationsCache).Invalidate(name);
    }
  }
  void StopAssessment(const std::vector<std::string>& names) {
    assessment_server_->Shutdown();
    assessment_server_.reset();
    for (const std::string& name : names) cache_->Cache(cache::kFrameworksCache).Invalidate(name);
    if (roadmaps_cache_) {
      for (const std::string& name : names) {
        roadmaps_cache_->Cache(cache::kFrameworksCache).Invalidate(name);
      }
    }
  }

  // Creates organisation `id` in membership (and its region, the first time), as ADMIN.
  absl::Status AddOrganisation(const std::string& id) {
    grpc::Status status;
    if (!region_created_) {
      membership::v1::CreateRegionRequest region;
      region.set_region_id("europe");
      region.mutable_region()->set_display_name("Europe");
      membership::v1::Region created;
      status = membership_stub_->CreateRegion(As(AdminCaller()).get(), region, &created);
      if (!status.ok()) return FromGrpcStatus(status);
      region_created_ = true;
    }
    membership::v1::CreateOrganisationRequest request;
    request.set_organisation_id(id);
    membership::v1::Organisation* o = request.mutable_organisation();
    o->set_display_name(id);
    o->set_kind(membership::v1::Organisation::METROPOLITAN_AREA);
    o->set_country_code("IT");
    o->set_region("regions/europe");
    membership::v1::Organisation created;
    status = membership_stub_->CreateOrganisation(As(AdminCaller()).get(), request, &created);
    return FromGrpcStatus(status);
  }

  // Creates framework `id` in assessment with `framework`'s fields, as ADMIN; publishes it
  // when `publish`. Returns it as assessment stored it.
  absl::StatusOr<assessment::v1::Framework> AddFramework(const std::string& id,
                                                         const assessment::v1::Framework& framework,
                                                         bool publish) {
    auto stub = assessment();
    assessment::v1::CreateFrameworkRequest create;
    create.set_framework_id(id);
    *create.mutable_framework() = framework;
    assessment::v1::Framework out;
    grpc::Status status = stub->CreateFramework(As(AdminCaller()).get(), create, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    if (!publish) return out;
    assessment::v1::PublishFrameworkRequest request;
    request.set_name(out.name());
    status = stub->PublishFramework(As(AdminCaller()).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  // Adds capacity `id` to a DRAFT framework in assessment (which then invalidates it in the
  // shared frameworks cache).
  absl::Status AddCapacity(assessment::v1::Framework& framework, const std::string& id) {
    assessment::v1::UpdateFrameworkRequest update;
    *update.mutable_framework() = framework;
    assessment::v1::Capacity* capacity = update.mutable_framework()->add_capacities();
    capacity->set_id(id);
    capacity->set_display_name(id);
    update.mutable_update_mask()->add_paths("capacities");
    return FromGrpcStatus(
        assessment()->UpdateFramework(As(AdminCaller()).get(), update, &framework));
  }

  v1::RoadmapService::Stub& roadmaps() { return *roadmaps_stub_; }
  membership::v1::MembershipService::Stub& membership() { return *membership_stub_; }
  // A stub for assessment (a new one: assessment may have been stopped and started).
  std::unique_ptr<assessment::v1::AssessmentService::Stub> assessment() {
    return assessment::v1::AssessmentService::NewStub(Channel(assessment_server_->port()));
  }
  store::Store& roadmaps_store() { return *roadmaps_store_; }

 private:
  static std::shared_ptr<grpc::Channel> Channel(int port) {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                               grpc::InsecureChannelCredentials());
  }

  absl::Status StartAssessment() {
    ASSIGN_OR_RETURN(assessment_server_,
                     server::GrpcServer::Start("assessment", options_, {assessment_.get()}));
    assessment_server_->SetServing(true);
    return absl::OkStatus();
  }

  ::metrocap::testing::StoreBackend backend_;
  std::string redis_url_;
  bool region_created_ = false;
  std::string dir_;
  identity::IdentityConfig identity_;
  server::ServerOptions options_;
  std::unique_ptr<cache::CacheClient> cache_;
  std::unique_ptr<cache::CacheClient> roadmaps_cache_;
  std::unique_ptr<store::Store> membership_store_;
  std::unique_ptr<membership::MembershipService> membership_;
  std::unique_ptr<server::GrpcServer> membership_server_;
  std::unique_ptr<store::Store> assessment_store_;
  std::unique_ptr<assessment::MembershipDirectory> directory_;
  std::unique_ptr<assessment::AssessmentService> assessment_;
  std::unique_ptr<server::GrpcServer> assessment_server_;
  std::unique_ptr<store::Store> roadmaps_store_;
  std::unique_ptr<GrpcPeers> peers_;
  std::unique_ptr<RoadmapService> roadmaps_;
  std::unique_ptr<server::GrpcServer> roadmaps_server_;
  std::unique_ptr<v1::RoadmapService::Stub> roadmaps_stub_;
  std::unique_ptr<membership::v1::MembershipService::Stub> membership_stub_;
};

}  // namespace metrocap::roadmaps::testing
