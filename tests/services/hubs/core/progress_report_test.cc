#include "services/hubs/core/progress_report.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/services/hubs/core/fixtures.h"

namespace metrocap::hubs {
namespace {

using google::protobuf::util::TimeUtil;
using ::metrocap::testing::IsOk;
using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr char kPlan[] = "plans/metropolis-sap-2021-2023";

v1::GenerateProgressReportRequest Request(const char* start, const char* end) {
  v1::GenerateProgressReportRequest request;
  request.set_plan(kPlan);
  int y, m, d;
  sscanf(start, "%d-%d-%d", &y, &m, &d);
  request.mutable_start_date()->set_year(y);
  request.mutable_start_date()->set_month(m);
  request.mutable_start_date()->set_day(d);
  sscanf(end, "%d-%d-%d", &y, &m, &d);
  request.mutable_end_date()->set_year(y);
  request.mutable_end_date()->set_month(m);
  request.mutable_end_date()->set_day(d);
  return request;
}

ReportPeriod Period(const char* start, const char* end) {
  auto period = ValidateReportRequest(Request(start, end));
  EXPECT_THAT(period, IsOk());
  return *period;
}

v1::Session Session(const std::string& name, const char* start,
                    std::initializer_list<const char*> outcome_codes,
                    std::initializer_list<const char*> challenge_codes = {}) {
  v1::Session session;
  session.set_name(name);
  session.set_format(v1::Session::WEBINAR);
  session.set_plan(kPlan);
  if (start != nullptr) {
    google::protobuf::Timestamp time;
    EXPECT_TRUE(TimeUtil::FromString(start, &time)) << start;
    *session.mutable_start_time() = time;
  }
  for (const char* code : outcome_codes) session.add_outcome_codes(code);
  for (const char* code : challenge_codes) session.add_challenge_codes(code);
  return session;
}

TEST(ValidateReportRequestTest, ThePeriodCoversBothDatesWholeInUtc) {
  ReportPeriod period = Period("2022-01-01", "2022-04-30");
  EXPECT_EQ(period.from, absl::FromUnixSeconds(1640995200));   // 2022-01-01T00:00:00Z
  EXPECT_EQ(period.until, absl::FromUnixSeconds(1651363200));  // 2022-05-01T00:00:00Z
  ReportPeriod one_day = Period("2022-02-17", "2022-02-17");
  EXPECT_EQ(one_day.until - one_day.from, absl::Hours(24));
}

TEST(ValidateReportRequestTest, NamesEachBadField) {
  v1::GenerateProgressReportRequest request = Request("2022-02-30", "2022-01-01");
  request.set_plan("metropolis-sap");
  request.add_hubs("hubs/chengdu");
  request.add_hubs("Chengdu");
  request.add_hubs("hubs/chengdu");
  absl::Status status = ValidateReportRequest(request).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(BadFields(status), ElementsAre("plan", "startDate", "hubs[1]", "hubs[2]"));

  request = Request("2022-04-30", "2022-01-01");
  EXPECT_THAT(BadFields(ValidateReportRequest(request).status()), ElementsAre("endDate"));
  request.clear_start_date();
  request.clear_end_date();
  EXPECT_THAT(BadFields(ValidateReportRequest(request).status()),
              ElementsAre("startDate", "endDate"));
}

// A session tagged with two deliverables of one action counts once for each deliverable,
// once for the action and once for the line.
TEST(TallySessionsTest, TwoDeliverablesOfOneActionCountOnceForTheAction) {
  std::vector<v1::Session> sessions = {
      Session("hubs/a/sessions/retreat", "2022-02-15T09:00:00Z",
              {"L1A1D2", "L1A2D1", "L1A2D2", "L1A3D1", "L1A3D3"}),
  };
  ProgressTally tally = TallySessions(sessions, kPlan, Period("2022-01-01", "2022-04-30"), {});
  EXPECT_THAT(tally.plan_codes,
              UnorderedElementsAre(Pair("L1", 1), Pair("L1A1", 1), Pair("L1A2", 1), Pair("L1A3", 1),
                                   Pair("L1A1D2", 1), Pair("L1A2D1", 1), Pair("L1A2D2", 1),
                                   Pair("L1A3D1", 1), Pair("L1A3D3", 1)));
  EXPECT_THAT(tally.sessions, ElementsAre("hubs/a/sessions/retreat"));
}

TEST(TallySessionsTest, BothEndsOfThePeriodAreInclusive) {
  std::vector<v1::Session> sessions = {
      Session("hubs/a/sessions/before", "2021-12-31T23:59:59.999999Z", {"L1"}),
      Session("hubs/a/sessions/first", "2022-01-01T00:00:00Z", {"L1"}),
      Session("hubs/a/sessions/last", "2022-04-30T23:59:59.999999Z", {"L1"}),
      Session("hubs/a/sessions/after", "2022-05-01T00:00:00Z", {"L1"}),
      Session("hubs/a/sessions/undated", nullptr, {"L1"}),
  };
  ProgressTally tally = TallySessions(sessions, kPlan, Period("2022-01-01", "2022-04-30"), {});
  EXPECT_THAT(tally.sessions, ElementsAre("hubs/a/sessions/first", "hubs/a/sessions/last"));
  EXPECT_THAT(tally.plan_codes, UnorderedElementsAre(Pair("L1", 2)));
}

TEST(TallySessionsTest, OnlySessionsNamingThePlanCount) {
  std::vector<v1::Session> sessions = {
      Session("hubs/a/sessions/metropolis", "2022-03-01T00:00:00Z", {"L1"}),
      Session("hubs/a/sessions/other-plan", "2022-03-01T00:00:00Z", {"L1"}),
      Session("hubs/a/sessions/no-plan", "2022-03-01T00:00:00Z", {}),
  };
  sessions[1].set_plan("plans/micad");
  sessions[2].clear_plan();
  EXPECT_THAT(TallySessions(sessions, kPlan, Period("2022-01-01", "2022-04-30"), {}).sessions,
              ElementsAre("hubs/a/sessions/metropolis"));
}

TEST(TallySessionsTest, TheHubsFilterKeepsOnlyThoseHubs) {
  std::vector<v1::Session> sessions = {
      Session("hubs/chengdu/sessions/net-zero", "2022-03-01T00:00:00Z", {"L2A2D3"}),
      Session("hubs/chengdu-2/sessions/x", "2022-03-01T00:00:00Z", {"L2A2D3"}),
      Session("hubs/miti-cairo/sessions/post-pandemic", "2022-02-07T00:00:00Z", {"L2A2D3"}),
  };
  ReportPeriod period = Period("2022-01-01", "2022-04-30");
  EXPECT_THAT(TallySessions(sessions, kPlan, period, {"hubs/chengdu"}).sessions,
              ElementsAre("hubs/chengdu/sessions/net-zero"));
  EXPECT_THAT(
      TallySessions(sessions, kPlan, period, {"hubs/chengdu", "hubs/miti-cairo"}).sessions,
      ElementsAre("hubs/chengdu/sessions/net-zero", "hubs/miti-cairo/sessions/post-pandemic"));
  EXPECT_EQ(TallySessions(sessions, kPlan, period, {}).sessions.size(), 3);
}

TEST(TallySessionsTest, AnOrganisationCountsASessionOnceWhateverItsRoles) {
  v1::Session session = Session("hubs/a/sessions/s", "2022-03-17T00:00:00Z", {});
  session.add_participants("organisations/rosario");
  session.add_organisers("organisations/rosario");
  session.add_organisers("organisations/metropolis");
  session.add_alliances("UNDP");
  v1::Session other = Session("hubs/a/sessions/t", "2022-03-18T00:00:00Z", {});
  other.add_participants("organisations/rosario");
  other.add_alliances("UNDP");
  other.set_format(v1::Session::CAMPAIGN);
  ProgressTally tally =
      TallySessions({session, other}, kPlan, Period("2022-01-01", "2022-04-30"), {});
  EXPECT_EQ(tally.organisations["organisations/rosario"].activity_count, 2);
  EXPECT_EQ(tally.organisations["organisations/rosario"].organised_count, 1);
  EXPECT_EQ(tally.organisations["organisations/metropolis"].activity_count, 1);
  EXPECT_THAT(tally.alliances, UnorderedElementsAre(Pair("UNDP", 2)));
  EXPECT_THAT(tally.formats, UnorderedElementsAre(Pair("WEBINAR", 1), Pair("CAMPAIGN", 1)));
}

ReportCodes PlanCodes() {
  ReportCodes codes;
  // Deliberately out of order, with L10 after L9 in code order.
  codes.action_lines = {{"L10", "Ten"}, {"L2", "Two"}, {"L1", "One"}, {"L9", "Nine"}};
  codes.actions = {{"L1A2", "One-two"}, {"L1A1", "One-one"}, {"L2A1", "Two-one"}};
  codes.deliverables = {{"L1A2D4", "Voices"}, {"L1A1D1", "Policy"}, {"L1A2D1", "Champion"}};
  codes.challenges = {{"2.3", "Climate resilience"},
                      {"1.1", "Inequalities"},
                      {"10.1", "Tenth theme"},
                      {"2.10", "Tenth challenge"}};
  return codes;
}

TEST(AssembleReportTest, ListsEveryCodeInCodeOrderWithZeros) {
  ProgressTally tally;
  tally.sessions = {"hubs/a/sessions/s"};
  tally.plan_codes = {{"L1", 1}, {"L1A2", 1}, {"L1A2D4", 1}, {"L3A1D4", 1}};  // L3: not in plan
  tally.challenges = {{"2.3", 1}};
  v1::GenerateProgressReportResponse report =
      AssembleReport(Request("2022-01-01", "2022-04-30"), PlanCodes(), tally, {});
  EXPECT_EQ(report.plan(), "plans/metropolis-sap-2021-2023");
  EXPECT_EQ(report.activity_count(), 1);
  EXPECT_THAT(Rows(report.action_lines()),
              ElementsAre(Pair("L1", 1), Pair("L2", 0), Pair("L9", 0), Pair("L10", 0)));
  EXPECT_THAT(Rows(report.actions()),
              ElementsAre(Pair("L1A1", 0), Pair("L1A2", 1), Pair("L2A1", 0)));
  EXPECT_THAT(Rows(report.deliverables()),
              ElementsAre(Pair("L1A1D1", 0), Pair("L1A2D1", 0), Pair("L1A2D4", 1)));
  EXPECT_THAT(Rows(report.challenges()),
              ElementsAre(Pair("1.1", 0), Pair("2.3", 1), Pair("2.10", 0), Pair("10.1", 0)));
  EXPECT_EQ(report.deliverables(2).title(), "Voices");
  EXPECT_EQ(report.start_date().month(), 1);
  EXPECT_EQ(report.end_date().day(), 30);
  EXPECT_THAT(report.sessions(), ElementsAre("hubs/a/sessions/s"));
}

TEST(AssembleReportTest, OthersByCountHighestFirstTiesByName) {
  ProgressTally tally;
  tally.organisations = {{"organisations/seoul", {2, 0}},
                         {"organisations/madrid", {3, 1}},
                         {"organisations/amman", {2, 2}}};
  tally.alliances = {{"UNDP", 1}, {"UCLG Africa", 1}, {"UCLG", 4}};
  tally.formats = {{"WEBINAR", 2}, {"CAMPAIGN", 2}, {"PUBLICATION", 5}};
  v1::GenerateProgressReportResponse report =
      AssembleReport(Request("2022-01-01", "2022-04-30"), {}, tally,
                     {{"organisations/madrid", "Madrid"}, {"organisations/amman", "Amman"}});
  ASSERT_EQ(report.organisations_size(), 3);
  EXPECT_EQ(report.organisations(0).organisation(), "organisations/madrid");
  EXPECT_EQ(report.organisations(0).display_name(), "Madrid");
  EXPECT_EQ(report.organisations(0).organised_count(), 1);
  EXPECT_EQ(report.organisations(1).organisation(), "organisations/amman");
  EXPECT_EQ(report.organisations(2).organisation(), "organisations/seoul");
  EXPECT_EQ(report.organisations(2).display_name(), "");
  ASSERT_EQ(report.alliances_size(), 3);
  EXPECT_EQ(report.alliances(0).name(), "UCLG");
  EXPECT_EQ(report.alliances(1).name(), "UCLG Africa");
  EXPECT_EQ(report.alliances(2).name(), "UNDP");
  ASSERT_EQ(report.formats_size(), 3);
  EXPECT_EQ(report.formats(0).format(), v1::Session::PUBLICATION);
  EXPECT_EQ(report.formats(1).format(), v1::Session::CAMPAIGN);
  EXPECT_EQ(report.formats(2).format(), v1::Session::WEBINAR);
  EXPECT_THAT(report.action_lines(), IsEmpty());
}

}  // namespace
}  // namespace metrocap::hubs
