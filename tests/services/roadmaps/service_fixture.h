#pragma once

#include <string>
#include <vector>

#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/roadmaps/core/fixtures.h"
#include "tests/services/service_env.h"

namespace metrocap::roadmaps::testing {

using ::metrocap::testing::AdminCaller;
using ::metrocap::testing::PartnerCaller;
using ::metrocap::testing::Service;
using ::metrocap::testing::ServiceEnv;
using ::metrocap::testing::ViewerCaller;

inline constexpr char kMilan[] = "organisations/milan";
inline constexpr char kTirana[] = "organisations/tirana";
inline constexpr char kNetwork[] = "organisations/metropolis";
inline constexpr char kPlan[] = "plans/sap";
inline constexpr char kTaxonomy[] = "taxonomies/challenges";
inline constexpr char kFramework[] = "frameworks/micad";

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

// Membership with three organisations; assessment with frameworks/micad (knowledge,
// learning) published; roadmaps with a taxonomy and a plan naming it; every store on the
// backend the test is instantiated for (service_fixture.cc instantiates every TEST_P of
// this suite on each).
class RoadmapServiceTest : public ::testing::TestWithParam<::metrocap::testing::StoreBackend> {
 protected:
  void SetUp() override;

  // Calls a RoadmapService method as `caller`.
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(grpc::Status (v1::RoadmapService::Stub::*method)(
                                    grpc::ClientContext*, const Request&, Response*),
                                const identity::Caller& caller, const Request& request) {
    Response out;
    grpc::Status status = (env_.roadmaps().*method)(env_.As(caller).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  // A roadmap of `organisation` against the plan and framework: objective "learning" with
  // actions "a1" (IN_PROGRESS 40, due 2026-01-31, so late on Now()) and "a2"
  // (DONE), and indicator "trained".
  static v1::Roadmap SampleRoadmap();

  absl::StatusOr<v1::Roadmap> CreateRoadmap(const identity::Caller& caller,
                                            const std::string& organisation, const std::string& id,
                                            const v1::Roadmap& roadmap);
  absl::StatusOr<v1::Roadmap> UpdateRoadmap(const identity::Caller& caller,
                                            const v1::Roadmap& roadmap,
                                            const std::vector<std::string>& paths);
  absl::StatusOr<v1::Roadmap> GetRoadmap(const std::string& name);
  absl::StatusOr<v1::RevisionProposal> Propose(const identity::Caller& caller,
                                               const std::string& roadmap, const std::string& id,
                                               const std::string& request_id = "");

  // The day the roadmaps service judges timeliness on.
  static absl::Time Now() {
    return absl::FromCivil(absl::CivilSecond(2026, 3, 15, 12, 0, 0), absl::UTCTimeZone());
  }
  static ::metrocap::testing::ServiceEnvOptions EnvOptions() {
    ::metrocap::testing::ServiceEnvOptions options;
    options.roadmaps_clock = &RoadmapServiceTest::Now;
    return options;
  }

  // Membership, assessment and roadmaps (on Now()).
  ServiceEnv env_{GetParam(), Service::kRoadmaps, EnvOptions()};
};

}  // namespace metrocap::roadmaps::testing
