#pragma once

// The fixture of the hubs service tests (service_*_test.cc): the hubs gRPC service in this
// process with the real membership, assessment and roadmaps services (each with its own
// store) for the reference checks, every store on SQLite and on PostgreSQL
// (service_references_test.cc instantiates every TEST_P of HubServiceTest on each backend).
// Also the base of tests/gateway/hubs_csv_test.cc's fixture (library hubs_service_fixture).
#include <memory>
#include <string>
#include <vector>

#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/services/hubs/core/fixtures.h"
#include "tests/services/service_env.h"

namespace metrocap::hubs::testing {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::Pair;

using ::metrocap::testing::AdminCaller;
using ::metrocap::testing::Service;
using ::metrocap::testing::ServiceEnv;

// The hubs service's clock.
inline const absl::Time kNow = absl::FromUnixSeconds(1651363200);  // 2022-05-01T00:00:00Z

inline identity::Caller ChengduPartner() {
  return ::metrocap::testing::PartnerCaller("organisations/chengdu");
}
inline identity::Caller MadridPartner() {
  return ::metrocap::testing::PartnerCaller("organisations/madrid");
}

class HubServiceTest : public ::testing::TestWithParam<::metrocap::testing::StoreBackend> {
 protected:
  // Starts the services and writes what every test starts from: a region and three
  // organisations; a taxonomy and plan metropolis-sap-2021-2023 (L2 > L2A2 > L2A2D3,
  // L2A2D4); frameworks micad and small; twin roadmaps of madrid and seoul; the hub
  // learning-hub-chengdu, hosted by chengdu.
  void SetUp() override;
  static ::testing::Matcher<absl::Status> IsOkStatus() {
    return ::testing::Property(&absl::Status::ok, true);
  }

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
                         const identity::Caller& caller = AdminCaller());
  // A session of learning-hub-chengdu.
  absl::StatusOr<v1::Session> CreateSession(const std::string& id, const v1::Session& session,
                                            const identity::Caller& caller = AdminCaller());
  // A webinar of 2022-03-01 organised by chengdu, with chengdu and madrid, on L2A2D3 and
  // L2A2D4.
  static v1::Session NetZero();

  static ::metrocap::testing::ServiceEnvOptions EnvOptions() {
    ::metrocap::testing::ServiceEnvOptions options;
    options.hubs_clock = [] { return kNow; };
    return options;
  }

  // Membership, assessment, roadmaps and hubs (on kNow).
  ServiceEnv env_{GetParam(), Service::kHubs, EnvOptions()};
};

}  // namespace metrocap::hubs::testing
