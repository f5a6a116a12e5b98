#pragma once

// The one way service tests start services: the real membership, assessment, roadmaps and
// hubs gRPC services in the test process, each with its own store on a store backend
// (SQLite files or PostgreSQL databases of a fresh temporary directory), on loopback ports
// chosen by the OS, each wired to the peers it calls.
//
// Usage (target metrocap_service_env):
//
//   class MyTest : public ::testing::TestWithParam<metrocap::testing::StoreBackend> {
//     void SetUp() override {
//       METROCAP_REQUIRE_STORE_BACKEND(GetParam());
//       ASSERT_OK(env_.Start());
//     }
//     metrocap::testing::ServiceEnv env_{GetParam(), metrocap::testing::Service::kRoadmaps};
//   };
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/identity/caller.h"
#include "grpcpp/client_context.h"
#include "metrocap/assessment/v1/assessment.grpc.pb.h"
#include "metrocap/hubs/v1/hubs.grpc.pb.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "metrocap/roadmaps/v1/roadmaps.grpc.pb.h"
#include "tests/support/store_backends.h"

namespace metrocap::cache {
class CacheClient;
}

namespace metrocap::testing {

// The internal credential the services of a ServiceEnv trust.
inline constexpr char kCredential[] = "test-internal-credential";

// partners/secretariat, an ADMIN.
identity::Caller AdminCaller();
// The PARTNER partners/<id>-lab of `organisation` ("organisations/<id>"), granted it.
identity::Caller PartnerCaller(const std::string& organisation);
// partners/observer, a VIEWER.
identity::Caller ViewerCaller();

// In the order they depend on each other: each calls only services before it.
enum class Service { kMembership, kAssessment, kRoadmaps, kHubs };

struct ServiceEnvOptions {
  using Clock = std::function<absl::Time()>;

  // Empty: one in-process cache client shared by assessment, roadmaps and hubs (as replicas
  // share Redis). Else each of them has a client of its own on that Redis, as separate
  // processes would. Membership has none: its reads would otherwise wait on a reader's miss
  // of the same key in a shared client (concurrent misses of one key share one load).
  std::string redis_url;
  // The clocks roadmaps (timeliness) and hubs judge by.
  Clock roadmaps_clock = absl::Now;
  Clock hubs_clock = absl::Now;
};

// Where AddOrganisation puts an organisation.
struct OrganisationProfile {
  std::string region = "europe";  // created, named after its id, the first time it is used
  membership::v1::Organisation::Kind kind = membership::v1::Organisation::METROPOLITAN_AREA;
  std::string country_code = "IT";
};

class ServiceEnv {
 public:
  // Will start `service` and the peers it calls: assessment membership; roadmaps membership
  // and assessment; hubs all three.
  ServiceEnv(StoreBackend backend, Service service, ServiceEnvOptions options = {});
  ~ServiceEnv();
  ServiceEnv(const ServiceEnv&) = delete;
  ServiceEnv& operator=(const ServiceEnv&) = delete;

  // Opens and migrates a store per service and starts the services. Call it once, from
  // SetUp, after METROCAP_REQUIRE_STORE_BACKEND. Returns what failed.
  absl::Status Start();

  // A client context that speaks for `caller`, as the gateway would, with a 10 s deadline.
  std::unique_ptr<grpc::ClientContext> As(const identity::Caller& caller) const;

  // Stubs of the started services (a service that was not started must not be asked for).
  // They stay valid after Stop(): their calls then fail UNAVAILABLE.
  membership::v1::MembershipService::Stub& membership() const;
  assessment::v1::AssessmentService::Stub& assessment() const;
  roadmaps::v1::RoadmapService::Stub& roadmaps() const;
  hubs::v1::HubService::Stub& hubs() const;
  // "127.0.0.1:<port>" of a started service (also after Stop()).
  std::string address(Service service) const;
  // The store of a started service.
  store::Store& store(Service service) const;

  // Stops `service`'s server and forgets `names` in every cache client's caches of that
  // service's resources (organisations; frameworks; plans, taxonomies and roadmaps): lookups
  // of them must then ask the stopped service, and fail rather than guess.
  void Stop(Service service, const std::vector<std::string>& names = {});

  // Creates organisation organisations/`id` (display name `id`) in membership as ADMIN,
  // and its region the first time.
  absl::Status AddOrganisation(const std::string& id, const OrganisationProfile& profile = {});
  // Creates framework `id` in assessment with `framework`'s fields, as ADMIN; publishes it
  // when `publish`. Returns it as assessment stored it.
  absl::StatusOr<assessment::v1::Framework> AddFramework(const std::string& id,
                                                         const assessment::v1::Framework& framework,
                                                         bool publish);
  // Adds capacity `id` to the DRAFT `framework` in assessment, as ADMIN (assessment then
  // invalidates it in the frameworks cache); `framework` becomes what assessment stored.
  absl::Status AddCapacity(assessment::v1::Framework& framework, const std::string& id);

 private:
  // A started service: its store, cache client, peers, service and server.
  struct Running;

  absl::Status StartOne(Service service);
  Running& running(Service service) const;
  // The cache client of `service`: its own on Redis, else the shared one.
  cache::CacheClient* CacheOf(Service service);

  StoreBackend backend_;
  Service service_;
  ServiceEnvOptions options_;
  identity::IdentityConfig identity_;
  std::string dir_;
  std::set<std::string> regions_;
  std::unique_ptr<cache::CacheClient> shared_cache_;
  std::unique_ptr<Running> running_[4];  // by Service
  std::unique_ptr<membership::v1::MembershipService::Stub> membership_stub_;
  std::unique_ptr<assessment::v1::AssessmentService::Stub> assessment_stub_;
  std::unique_ptr<roadmaps::v1::RoadmapService::Stub> roadmaps_stub_;
  std::unique_ptr<hubs::v1::HubService::Stub> hubs_stub_;
};

}  // namespace metrocap::testing
