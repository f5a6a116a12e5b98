#pragma once

// The fixture of the hubs service tests (service_*_test.cc): the hubs gRPC service in this
// process with the real membership, assessment and roadmaps services (each with its own
// store) for the reference checks, every store on SQLite and on PostgreSQL
// (service_references_test.cc instantiates every TEST_P of HubServiceTest on each backend).
// Also the base of tests/gateway/hubs_csv_test.cc's fixture (library hubs_service_fixture).
#include <memory>
#include <string>
#include <vector>

#include "common/cache/lookup_cache.h"
#include "common/cache/names.h"
#include "common/identity/caller.h"
#include "common/server/server.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "metrocap/assessment/v1/assessment.grpc.pb.h"
#include "metrocap/hubs/v1/hubs.grpc.pb.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "metrocap/roadmaps/v1/roadmaps.grpc.pb.h"
#include "services/assessment/organisations.h"
#include "services/assessment/service.h"
#include "services/hubs/peers.h"
#include "services/hubs/service.h"
#include "services/membership/service.h"
#include "services/roadmaps/peers.h"
#include "services/roadmaps/service.h"
#include "tests/services/hubs/core/fixtures.h"
#include "tests/support/store_backends.h"

namespace metrocap::hubs::testing {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::Pair;

inline constexpr char kCredential[] = "test-internal-credential";
// The hubs service's clock.
inline const absl::Time kNow = absl::FromUnixSeconds(1651363200);  // 2022-05-01T00:00:00Z

inline identity::Caller Admin() {
  return {"partners/secretariat", membership::v1::Partner::ADMIN, {}};
}
inline identity::Caller ChengduPartner() {
  return {"partners/chengdu-lab", membership::v1::Partner::PARTNER, {"organisations/chengdu"}};
}
inline identity::Caller MadridPartner() {
  return {"partners/madrid-lab", membership::v1::Partner::PARTNER, {"organisations/madrid"}};
}

class HubServiceTest : public ::testing::TestWithParam<::metrocap::testing::StoreBackend> {
 protected:
  // Starts the services (Start) and writes what every test starts from: a region and three
  // organisations; a taxonomy and plan metropolis-sap-2021-2023 (L2 > L2A2 > L2A2D3,
  // L2A2D4); frameworks micad and small; twin roadmaps of madrid and seoul; the hub
  // learning-hub-chengdu, hosted by chengdu.
  void SetUp() override;
  void TearDown() override;
  static ::testing::Matcher<absl::Status> IsOkStatus() {
    return ::testing::Property(&absl::Status::ok, true);
  }

  // Opens and migrates a store per service in a temporary directory and starts membership,
  // assessment, roadmaps and hubs (hubs' clock at kNow) on loopback ports.
  absl::Status Start();
  // A client context carrying `caller`'s identity, with a 10 s deadline.
  std::unique_ptr<grpc::ClientContext> As(const identity::Caller& caller);
  // Framework `id` in assessment with the capacities `capacities`, as ADMIN.
  absl::Status AddFramework(const std::string& id, const std::vector<std::string>& capacities);
  // The hubs methods, as ADMIN unless a caller is given.
  absl::StatusOr<v1::Session> GetSession(const std::string& name);
  absl::StatusOr<v1::Session> UpdateSession(const v1::Session& session,
                                            const std::vector<std::string>& paths);
  absl::StatusOr<v1::Insight> CreateInsight(const std::string& id, const v1::Insight& insight);
  // A pilot led by Chengdu, started and evaluated.
  absl::StatusOr<v1::Pilot> EvaluatedPilot();
  absl::StatusOr<v1::Pilot> Replicate(const std::string& name,
                                      const std::vector<std::string>& replications);
  absl::Status CreateHub(const std::string& id, const v1::Hub& hub,
                         const identity::Caller& caller = Admin());
  // A session of learning-hub-chengdu.
  absl::StatusOr<v1::Session> CreateSession(const std::string& id, const v1::Session& session,
                                            const identity::Caller& caller = Admin());
  // A webinar of 2022-03-01 organised by chengdu, with chengdu and madrid, on L2A2D3 and
  // L2A2D4.
  static v1::Session NetZero();

  std::string dir_;
  identity::IdentityConfig identity_;
  std::unique_ptr<store::Store> membership_store_;
  std::unique_ptr<membership::MembershipService> membership_;
  std::unique_ptr<server::GrpcServer> membership_server_;
  std::unique_ptr<membership::v1::MembershipService::Stub> membership_stub_;
  std::unique_ptr<store::Store> hubs_store_;
  std::unique_ptr<cache::CacheClient> cache_;
  std::unique_ptr<store::Store> assessment_store_;
  std::unique_ptr<assessment::MembershipDirectory> directory_;
  std::unique_ptr<assessment::AssessmentService> assessment_;
  std::unique_ptr<server::GrpcServer> assessment_server_;
  std::unique_ptr<assessment::v1::AssessmentService::Stub> assessment_stub_;
  std::unique_ptr<store::Store> roadmaps_store_;
  std::unique_ptr<roadmaps::GrpcPeers> roadmaps_peers_;
  std::unique_ptr<roadmaps::RoadmapService> roadmaps_;
  std::unique_ptr<server::GrpcServer> roadmaps_server_;
  std::unique_ptr<roadmaps::v1::RoadmapService::Stub> roadmaps_stub_;
  std::unique_ptr<Peers> peers_;
  std::unique_ptr<HubService> service_;
  std::unique_ptr<server::GrpcServer> hubs_server_;
  std::unique_ptr<v1::HubService::Stub> hubs_stub_;
};

}  // namespace metrocap::hubs::testing
