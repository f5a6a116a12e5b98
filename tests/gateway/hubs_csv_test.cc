// The gateway's `Accept: text/csv` branch over HTTP, end to end: the REST gateway in this
// process in front of the real hubs, membership, assessment and roadmaps services (the hubs
// service tests' fixture, every store on SQLite and on PostgreSQL). The progress report
// answers CSV; a method whose response has no count lists answers JSON as usual.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/gateway.h"
#include "google/protobuf/util/json_util.h"
#include "tests/gateway/harness.h"
#include "tests/services/hubs/service_fixture.h"

namespace metrocap::hubs::testing {
namespace {

using ::metrocap::gateway::testing::Http;
using ::metrocap::gateway::testing::HttpResult;
using ::testing::Contains;
using ::testing::StartsWith;

constexpr char kAdminToken[] = "gateway-csv-admin-token";
constexpr char kReport[] = "/v1/plans/metropolis-sap-2021-2023:progressReport";
constexpr char kJanuaryToApril[] =
    R"({"startDate":{"year":2022,"month":1,"day":1},"endDate":{"year":2022,"month":4,"day":30}})";

class ProgressReportOverRestTest : public HubServiceTest {
 protected:
  void SetUp() override {
    HubServiceTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    auto created = CreateSession("net-zero", NetZero());  // 2022-03-01, L2A2D3 and L2A2D4
    ASSERT_TRUE(created.ok()) << created.status();

    gateway::GatewayConfig config =
        gateway::testing::TestConfig(env_.address(Service::kMembership), "");
    config.backends = gateway::StandardBackends(
        env_.address(Service::kMembership), env_.address(Service::kAssessment),
        env_.address(Service::kRoadmaps), env_.address(Service::kHubs));
    config.api_keys.internal_credential = ::metrocap::testing::kCredential;
    config.admission.internal_credential = ::metrocap::testing::kCredential;
    config.api_keys.admin_token = kAdminToken;
    auto gateway = gateway::Gateway::Start(config);
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = *std::move(gateway);
  }

  void TearDown() override {
    gateway_.reset();
    HubServiceTest::TearDown();
  }

  HttpResult Rest(const std::string& method, const std::string& target, const std::string& body,
                  const std::string& accept) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Authorization", absl::StrCat("Bearer ", kAdminToken)}};
    if (!accept.empty()) headers.emplace_back("Accept", accept);
    return Http(gateway_->http_port(), method, target, body, headers);
  }

  std::unique_ptr<gateway::Gateway> gateway_;
};

TEST_P(ProgressReportOverRestTest, AcceptTextCsvAnswersTheReportAsCsv) {
  HttpResult csv = Rest("POST", kReport, kJanuaryToApril, "text/csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_THAT(csv.headers["content-type"], StartsWith("text/csv"));
  ASSERT_TRUE(absl::EndsWith(csv.body, "\r\n")) << csv.body;
  std::vector<std::string> lines =
      absl::StrSplit(absl::string_view(csv.body).substr(0, csv.body.size() - 2), "\r\n");
  ASSERT_GE(lines.size(), 2u) << csv.body;
  EXPECT_EQ(lines[0], "section,code,title,activityCount");
  EXPECT_EQ(lines[1], "total,,,1");
  EXPECT_THAT(lines, Contains("actionLines,L2,Capacities,1"));
  EXPECT_THAT(lines, Contains("deliverables,L2A2D4,L2A2D4,1"));
  EXPECT_THAT(lines, Contains("challenges,2.3,Challenge 2.3,0"));
  EXPECT_THAT(lines, Contains("organisations,organisations/madrid,madrid,1"));
  EXPECT_THAT(lines, Contains("formats,WEBINAR,,1"));

  // The same numbers as the JSON answer: one row for each entry of its count lists.
  HttpResult json = Rest("POST", kReport, kJanuaryToApril, "");
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_THAT(json.headers["content-type"], StartsWith("application/json"));
  v1::GenerateProgressReportResponse report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.body, &report).ok()) << json.body;
  EXPECT_EQ(report.activity_count(), 1);
  const int rows = report.action_lines_size() + report.actions_size() + report.deliverables_size() +
                   report.challenges_size() + report.organisations_size() +
                   report.alliances_size() + report.formats_size();
  EXPECT_EQ(lines.size(), 2u + rows) << csv.body;
}

// rest_gateway.cc renders CSV only for responses with count lists; any other answers JSON,
// 200, whatever the Accept header asks for.
TEST_P(ProgressReportOverRestTest, AMethodWithoutCountsAnswersJsonWhenAskedForCsv) {
  HttpResult hub = Rest("GET", "/v1/hubs/learning-hub-chengdu", "", "text/csv");
  ASSERT_EQ(hub.status, 200) << hub.body;
  EXPECT_THAT(hub.headers["content-type"], StartsWith("application/json"));
  v1::Hub parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(hub.body, &parsed).ok()) << hub.body;
  EXPECT_EQ(parsed.name(), "hubs/learning-hub-chengdu");
  EXPECT_EQ(parsed.host(), "organisations/chengdu");
}

// An error stays an error in JSON: the report's bad request is not rendered as CSV.
TEST_P(ProgressReportOverRestTest, ABadReportRequestIsAJsonErrorEvenAskedForCsv) {
  HttpResult refused =
      Rest("POST", kReport, R"({"endDate":{"year":2022,"month":4,"day":30}})", "text/csv");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_THAT(refused.headers["content-type"], StartsWith("application/json"));
  EXPECT_THAT(refused.body, ::testing::HasSubstr("startDate"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ProgressReportOverRestTest,
                         ::testing::ValuesIn(::metrocap::testing::AllStoreBackends()),
                         ::metrocap::testing::StoreBackendName);

}  // namespace
}  // namespace metrocap::hubs::testing
