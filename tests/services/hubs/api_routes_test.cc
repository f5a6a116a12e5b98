// The hubs API's REST routes as the gateway derives them from the google.api.http
// annotations: the proto builds a route table, and the paths API.md names reach the right
// methods with the right bindings.
#include "gateway/core/route_table.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metrocap/hubs/v1/hubs.pb.h"

namespace metrocap::hubs {
namespace {

using gateway::RouteMatch;
using gateway::RouteTable;
using ::testing::ElementsAre;
using ::testing::Pair;

class HubsRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto table =
        RouteTable::Build({v1::Hub::descriptor()->file()->FindServiceByName("HubService")});
    ASSERT_TRUE(table.ok()) << table.status();
    table_ = *std::move(table);
  }

  // The method a request reaches, with its path bindings.
  std::pair<std::string, std::vector<gateway::PathBinding>> Reach(const char* method,
                                                                  const char* path) {
    RouteMatch match = table_->Match(method, path);
    if (match.outcome != RouteMatch::Outcome::kFound) return {"", {}};
    return {match.route->method->name(), match.bindings};
  }

  std::unique_ptr<RouteTable> table_;
};

TEST_F(HubsRoutesTest, SessionsAcrossHubs) {
  EXPECT_THAT(Reach("GET", "/v1/hubs/-/sessions"),
              Pair("ListSessions", ElementsAre(Pair("parent", "hubs/-"))));
  EXPECT_THAT(
      Reach("GET", "/v1/hubs/learning-hub-chengdu/sessions/net-zero"),
      Pair("GetSession", ElementsAre(Pair("name", "hubs/learning-hub-chengdu/sessions/net-zero"))));
}

TEST_F(HubsRoutesTest, ProgressReportOnAPlan) {
  EXPECT_THAT(
      Reach("POST", "/v1/plans/metropolis-sap-2021-2023:progressReport"),
      Pair("GenerateProgressReport", ElementsAre(Pair("plan", "plans/metropolis-sap-2021-2023"))));
}

TEST_F(HubsRoutesTest, PilotTransitionsAndPublishAreCustomMethods) {
  for (auto [verb, method] :
       std::vector<std::pair<const char*, const char*>>{{"start", "StartPilot"},
                                                        {"evaluate", "EvaluatePilot"},
                                                        {"replicate", "ReplicatePilot"},
                                                        {"scale", "ScalePilot"},
                                                        {"stop", "StopPilot"}}) {
    EXPECT_EQ(Reach("POST", (std::string("/v1/hubs/h/pilots/p:") + verb).c_str()).first, method);
  }
  EXPECT_EQ(Reach("POST", "/v1/hubs/h/insights/i:publish").first, "PublishInsight");
  EXPECT_EQ(Reach("PATCH", "/v1/hubs/h/insights/i").first, "UpdateInsight");
  EXPECT_EQ(Reach("DELETE", "/v1/hubs/h").first, "DeleteHub");
}

}  // namespace
}  // namespace metrocap::hubs
