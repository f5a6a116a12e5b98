#include "tests/services/service_env.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/cache/lookup_cache.h"
#include "common/cache/names.h"
#include "common/server/server.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "services/assessment/organisations.h"
#include "services/assessment/service.h"
#include "services/assessment/storage/schemas.h"
#include "services/hubs/peers.h"
#include "services/hubs/service.h"
#include "services/hubs/storage/schemas.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"
#include "services/roadmaps/peers.h"
#include "services/roadmaps/service.h"
#include "services/roadmaps/storage/schemas.h"
#include "tests/support/temp_dir.h"

namespace metrocap::testing {
namespace {

constexpr Service kAll[] = {Service::kMembership, Service::kAssessment, Service::kRoadmaps,
                            Service::kHubs};

int Index(Service service) { return static_cast<int>(service); }

const char* NameOf(Service service) {
  switch (service) {
    case Service::kMembership:
      return "membership";
    case Service::kAssessment:
      return "assessment";
    case Service::kRoadmaps:
      return "roadmaps";
    case Service::kHubs:
      return "hubs";
  }
  return "";
}

// The caches in which the peers of `service` keep its resources.
std::vector<const char*> CachesOf(Service service) {
  switch (service) {
    case Service::kMembership:
      return {cache::kOrganisationsCache};
    case Service::kAssessment:
      return {cache::kFrameworksCache};
    case Service::kRoadmaps:
      return {cache::kPlansCache, cache::kTaxonomiesCache, cache::kRoadmapsCache};
    case Service::kHubs:
      return {};
  }
  return {};
}

std::shared_ptr<grpc::Channel> Channel(int port) {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
}

}  // namespace

identity::Caller AdminCaller() {
  return {"partners/secretariat", membership::v1::Partner::ADMIN, {}};
}

identity::Caller PartnerCaller(const std::string& organisation) {
  return {"partners/" + organisation.substr(organisation.find('/') + 1) + "-lab",
          membership::v1::Partner::PARTNER,
          {organisation}};
}

identity::Caller ViewerCaller() {
  return {"partners/observer", membership::v1::Partner::VIEWER, {}};
}

// Members in the order they are built; destroyed in reverse, so the server goes before the
// service, the service before its peers, and those before the cache and store they use.
struct ServiceEnv::Running {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<cache::CacheClient> own_cache;  // with a Redis URL
  std::shared_ptr<void> peers;                    // what the service asks its peers through
  std::unique_ptr<grpc::Service> service;
  std::unique_ptr<server::GrpcServer> server;
  int port = 0;
};

ServiceEnv::ServiceEnv(StoreBackend backend, Service service, ServiceEnvOptions options)
    : backend_(std::move(backend)), service_(service), options_(std::move(options)) {}

ServiceEnv::~ServiceEnv() {
  for (auto& running : running_) {
    if (running && running->server) running->server->Shutdown();
  }
  // The callers go before what they call.
  for (int i = 3; i >= 0; --i) running_[i].reset();
  shared_cache_.reset();
  if (!dir_.empty()) RemoveTree(dir_);
}

absl::Status ServiceEnv::Start() {
  ASSIGN_OR_RETURN(dir_, MakeTempDir("metrocap-services"));
  identity_ = identity::IdentityConfig{kCredential, ""};
  cache::CacheConfig cache_config;
  cache_config.redis_url = options_.redis_url;
  ASSIGN_OR_RETURN(shared_cache_, cache::CacheClient::Create(cache_config));
  // The peers of a service are the ones before it in kAll, started first.
  for (Service service : kAll) {
    if (Index(service) > Index(service_)) break;
    RETURN_IF_ERROR(StartOne(service));
  }
  membership_stub_ = membership::v1::MembershipService::NewStub(Channel(running_[0]->port));
  if (running_[1])
    assessment_stub_ = assessment::v1::AssessmentService::NewStub(Channel(running_[1]->port));
  if (running_[2])
    roadmaps_stub_ = roadmaps::v1::RoadmapService::NewStub(Channel(running_[2]->port));
  if (running_[3]) hubs_stub_ = hubs::v1::HubService::NewStub(Channel(running_[3]->port));
  return absl::OkStatus();
}

absl::Status ServiceEnv::StartOne(Service service) {
  auto started = std::make_unique<Running>();
  const std::string name = NameOf(service);
  ASSIGN_OR_RETURN(started->store, backend_.Open(dir_, name));
  cache::CacheClient* cache = shared_cache_.get();
  if (service != Service::kMembership && !options_.redis_url.empty()) {
    cache::CacheConfig cache_config;
    cache_config.redis_url = options_.redis_url;
    ASSIGN_OR_RETURN(started->own_cache, cache::CacheClient::Create(cache_config));
    cache = started->own_cache.get();
  }
  server::CallEnv env{name, identity_};
  const std::string page_token_key = name + "-key";
  auto peer = [this](Service peer) { return Channel(running(peer).port); };
  switch (service) {
    case Service::kMembership:
      RETURN_IF_ERROR(started->store->Migrate(membership::MembershipSchemas().All()));
      started->service = std::make_unique<membership::MembershipService>(env, started->store.get(),
                                                                         page_token_key);
      break;
    case Service::kAssessment: {
      RETURN_IF_ERROR(started->store->Migrate(assessment::AssessmentSchemas().All()));
      auto directory = std::make_shared<assessment::MembershipDirectory>(
          peer(Service::kMembership), identity_,
          assessment::MembershipDirectoryOptions{absl::Seconds(2)},
          &cache->Cache(cache::kOrganisationsCache));
      started->service = std::make_unique<assessment::AssessmentService>(
          env, started->store.get(), directory.get(), page_token_key, absl::Now, cache);
      started->peers = std::move(directory);
      break;
    }
    case Service::kRoadmaps: {
      RETURN_IF_ERROR(started->store->Migrate(roadmaps::RoadmapSchemas().All()));
      auto peers = std::make_shared<roadmaps::GrpcPeers>(
          peer(Service::kMembership), peer(Service::kAssessment), identity_,
          roadmaps::PeerOptions{absl::Seconds(2)}, cache);
      started->service = std::make_unique<roadmaps::RoadmapService>(
          env, started->store.get(), peers.get(), page_token_key, options_.roadmaps_clock, cache);
      started->peers = std::move(peers);
      break;
    }
    case Service::kHubs: {
      RETURN_IF_ERROR(started->store->Migrate(hubs::HubsSchemas().All()));
      auto peers = std::make_shared<hubs::Peers>(
          peer(Service::kMembership), peer(Service::kAssessment), peer(Service::kRoadmaps),
          identity_, absl::Seconds(2), cache);
      started->service = std::make_unique<hubs::HubService>(
          env, started->store.get(), peers.get(), page_token_key, options_.hubs_clock, cache);
      started->peers = std::move(peers);
      break;
    }
  }
  server::ServerOptions server_options;
  server_options.listen_address = "127.0.0.1:0";
  server_options.shutdown_grace = absl::Milliseconds(100);
  ASSIGN_OR_RETURN(started->server,
                   server::GrpcServer::Start(name, server_options, {started->service.get()}));
  started->server->SetServing(true);
  started->port = started->server->port();
  running_[Index(service)] = std::move(started);
  return absl::OkStatus();
}

ServiceEnv::Running& ServiceEnv::running(Service service) const {
  return *running_[Index(service)];
}

cache::CacheClient* ServiceEnv::CacheOf(Service service) {
  const std::unique_ptr<Running>& running = running_[Index(service)];
  return running && running->own_cache ? running->own_cache.get() : shared_cache_.get();
}

std::unique_ptr<grpc::ClientContext> ServiceEnv::As(const identity::Caller& caller) const {
  auto context = std::make_unique<grpc::ClientContext>();
  identity::AttachIdentity(caller, identity_, context.get());
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

membership::v1::MembershipService::Stub& ServiceEnv::membership() const {
  return *membership_stub_;
}
assessment::v1::AssessmentService::Stub& ServiceEnv::assessment() const {
  return *assessment_stub_;
}
roadmaps::v1::RoadmapService::Stub& ServiceEnv::roadmaps() const { return *roadmaps_stub_; }
hubs::v1::HubService::Stub& ServiceEnv::hubs() const { return *hubs_stub_; }

std::string ServiceEnv::address(Service service) const {
  return absl::StrCat("127.0.0.1:", running(service).port);
}

store::Store& ServiceEnv::store(Service service) const { return *running(service).store; }

void ServiceEnv::Stop(Service service, const std::vector<std::string>& names) {
  Running& stopped = running(service);
  if (stopped.server) stopped.server->Shutdown();
  stopped.server.reset();
  for (Service reader : kAll) {
    if (reader == Service::kMembership || !running_[Index(reader)]) continue;
    for (const char* cache : CachesOf(service)) {
      for (const std::string& name : names) CacheOf(reader)->Cache(cache).Invalidate(name);
    }
  }
}

absl::Status ServiceEnv::AddOrganisation(const std::string& id,
                                         const OrganisationProfile& profile) {
  grpc::Status status;
  if (regions_.count(profile.region) == 0) {
    membership::v1::CreateRegionRequest region;
    region.set_region_id(profile.region);
    region.mutable_region()->set_display_name(profile.region);
    membership::v1::Region created;
    status = membership().CreateRegion(As(AdminCaller()).get(), region, &created);
    if (!status.ok()) return FromGrpcStatus(status);
    regions_.insert(profile.region);
  }
  membership::v1::CreateOrganisationRequest request;
  request.set_organisation_id(id);
  membership::v1::Organisation* o = request.mutable_organisation();
  o->set_display_name(id);
  o->set_kind(profile.kind);
  o->set_country_code(profile.country_code);
  o->set_region("regions/" + profile.region);
  membership::v1::Organisation created;
  return FromGrpcStatus(
      membership().CreateOrganisation(As(AdminCaller()).get(), request, &created));
}

absl::StatusOr<assessment::v1::Framework> ServiceEnv::AddFramework(
    const std::string& id, const assessment::v1::Framework& framework, bool publish) {
  assessment::v1::CreateFrameworkRequest create;
  create.set_framework_id(id);
  *create.mutable_framework() = framework;
  assessment::v1::Framework out;
  grpc::Status status = assessment().CreateFramework(As(AdminCaller()).get(), create, &out);
  if (!status.ok()) return FromGrpcStatus(status);
  if (!publish) return out;
  assessment::v1::PublishFrameworkRequest request;
  request.set_name(out.name());
  status = assessment().PublishFramework(As(AdminCaller()).get(), request, &out);
  if (!status.ok()) return FromGrpcStatus(status);
  return out;
}

absl::Status ServiceEnv::AddCapacity(assessment::v1::Framework& framework, const std::string& id) {
  assessment::v1::UpdateFrameworkRequest update;
  *update.mutable_framework() = framework;
  assessment::v1::Capacity* capacity = update.mutable_framework()->add_capacities();
  capacity->set_id(id);
  capacity->set_display_name(id);
  update.mutable_update_mask()->add_paths("capacities");
  return FromGrpcStatus(assessment().UpdateFramework(As(AdminCaller()).get(), update, &framework));
}

}  // namespace metrocap::testing
