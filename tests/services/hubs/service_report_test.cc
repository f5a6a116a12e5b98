// The hubs service, the progress report end to end (:generateProgressReport): its counts
// by the rules, the hubs filter and day bounds, reports after session updates and deletes,
// bad requests, roadmaps down.
#include "tests/services/hubs/service_fixture.h"

namespace metrocap::hubs::testing {
namespace {

// The progress report end to end: sessions written through the service, counted by the
// store's statement, codes and titles from roadmaps, display names from membership.
class ProgressReportServiceTest : public HubServiceTest {
 protected:
  void SetUp() override {
    HubServiceTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    v1::Hub hub;
    hub.set_display_name("Seoul Human Resources Development Center");
    hub.set_kind(v1::Hub::TRAINING_INSTITUTE);
    hub.set_host("organisations/seoul");
    ASSERT_THAT(CreateHub("seoul-hrdc", hub), IsOkStatus());

    v1::Session net_zero = NetZero();  // 2022-03-01, L2A2D3 and L2A2D4
    net_zero.add_challenge_codes("2.3");
    net_zero.add_alliances("UCLG");
    Add("hubs/learning-hub-chengdu", "net-zero", net_zero);
    // On the first instant of the period.
    Add("hubs/learning-hub-chengdu", "first-day",
        Dated("Kick-off", v1::Session::MEETING, "2022-01-01T00:00:00Z", {"L2A2D3"},
              {"organisations/seoul"}, {"organisations/madrid"}));
    // On the last instant of the period.
    Add("hubs/learning-hub-chengdu", "last-day",
        Dated("Newsletter", v1::Session::PUBLICATION, "2022-04-30T23:59:59.999999Z", {}, {}, {}));
    // Just after the period, and a session of no plan: neither counts.
    Add("hubs/learning-hub-chengdu", "after",
        Dated("Too late", v1::Session::WEBINAR, "2022-05-01T00:00:00Z", {"L2A2D4"},
              {"organisations/madrid"}, {}));
    v1::Session no_plan = Dated("Unplanned", v1::Session::WEBINAR, "2022-02-01T00:00:00Z", {},
                                {"organisations/madrid"}, {});
    no_plan.clear_plan();
    Add("hubs/learning-hub-chengdu", "no-plan", no_plan);
    // In the other hub.
    v1::Session training = Dated("Training", v1::Session::TRAINING, "2022-02-15T09:00:00Z",
                                 {"L2A2D4"}, {}, {"organisations/seoul"});
    training.add_alliances("UCLG");
    training.add_alliances("UNDP");
    Add("hubs/seoul-hrdc", "training", training);
  }

  static v1::Session Dated(const std::string& title, v1::Session::Format format,
                           const std::string& start, const std::vector<std::string>& codes,
                           const std::vector<std::string>& participants,
                           const std::vector<std::string>& organisers) {
    v1::Session session;
    session.set_title(title);
    session.set_format(format);
    google::protobuf::Timestamp time;
    EXPECT_TRUE(TimeUtil::FromString(start, &time)) << start;
    *session.mutable_start_time() = time;
    session.set_plan("plans/metropolis-sap-2021-2023");
    for (const std::string& code : codes) session.add_outcome_codes(code);
    for (const std::string& p : participants) session.add_participants(p);
    for (const std::string& o : organisers) session.add_organisers(o);
    return session;
  }

  void Add(const std::string& hub, const std::string& id, const v1::Session& session) {
    v1::CreateSessionRequest request;
    request.set_parent(hub);
    request.set_session_id(id);
    *request.mutable_session() = session;
    v1::Session out;
    grpc::Status status = env_.hubs().CreateSession(env_.As(AdminCaller()).get(), request, &out);
    ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
  }

  static v1::GenerateProgressReportRequest JanuaryToApril() {
    return JanuaryToApril2022("plans/metropolis-sap-2021-2023");
  }

  absl::StatusOr<v1::GenerateProgressReportResponse> Report(
      const v1::GenerateProgressReportRequest& request,
      const identity::Caller& caller = MadridPartner()) {
    v1::GenerateProgressReportResponse out;
    grpc::Status status = env_.hubs().GenerateProgressReport(env_.As(caller).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }
};

TEST_P(ProgressReportServiceTest, CountsThePlansSessionsOfThePeriodByTheRules) {
  auto report = Report(JanuaryToApril());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->plan(), "plans/metropolis-sap-2021-2023");
  EXPECT_EQ(report->activity_count(), 4);
  EXPECT_THAT(report->sessions(), ElementsAre("hubs/learning-hub-chengdu/sessions/first-day",
                                              "hubs/learning-hub-chengdu/sessions/last-day",
                                              "hubs/learning-hub-chengdu/sessions/net-zero",
                                              "hubs/seoul-hrdc/sessions/training"));
  // net-zero carries both deliverables of L2A2 and counts once for the action and the line.
  EXPECT_THAT(Rows(report->action_lines()), ElementsAre(Pair("L2", 3)));
  EXPECT_THAT(Rows(report->actions()), ElementsAre(Pair("L2A2", 3)));
  EXPECT_THAT(Rows(report->deliverables()), ElementsAre(Pair("L2A2D3", 2), Pair("L2A2D4", 2)));
  EXPECT_EQ(report->actions(0).title(), "Support");
  // Untouched challenges are listed with 0, with their titles from the taxonomy.
  EXPECT_THAT(Rows(report->challenges()), ElementsAre(Pair("1.1", 0), Pair("2.3", 1)));
  EXPECT_EQ(report->challenges(0).title(), "Challenge 1.1");

  // madrid: participant of net-zero, organiser of first-day; seoul: participant of
  // first-day, organiser of training; chengdu: organiser and participant of net-zero, once.
  ASSERT_EQ(report->organisations_size(), 3);
  EXPECT_EQ(report->organisations(0).organisation(), "organisations/madrid");
  EXPECT_EQ(report->organisations(0).display_name(), "madrid");
  EXPECT_EQ(report->organisations(0).activity_count(), 2);
  EXPECT_EQ(report->organisations(0).organised_count(), 1);
  EXPECT_EQ(report->organisations(1).organisation(), "organisations/seoul");
  EXPECT_EQ(report->organisations(1).activity_count(), 2);
  EXPECT_EQ(report->organisations(1).organised_count(), 1);
  EXPECT_EQ(report->organisations(2).organisation(), "organisations/chengdu");
  EXPECT_EQ(report->organisations(2).activity_count(), 1);
  EXPECT_EQ(report->organisations(2).organised_count(), 1);

  ASSERT_EQ(report->alliances_size(), 2);
  EXPECT_EQ(report->alliances(0).name(), "UCLG");
  EXPECT_EQ(report->alliances(0).activity_count(), 2);
  EXPECT_EQ(report->alliances(1).name(), "UNDP");
  ASSERT_EQ(report->formats_size(), 4);
  EXPECT_EQ(report->formats(0).format(), v1::Session::MEETING);
  EXPECT_EQ(report->formats(3).format(), v1::Session::WEBINAR);
}

TEST_P(ProgressReportServiceTest, TheHubsFilterAndTheDayBoundsSelectTheSessions) {
  v1::GenerateProgressReportRequest request = JanuaryToApril();
  request.add_hubs("hubs/learning-hub-chengdu");
  auto report = Report(request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->activity_count(), 3);
  EXPECT_THAT(report->hubs(), ElementsAre("hubs/learning-hub-chengdu"));
  EXPECT_THAT(Rows(report->deliverables()), ElementsAre(Pair("L2A2D3", 2), Pair("L2A2D4", 1)));

  // One day, both ends that day: only the session of its last instant.
  request = JanuaryToApril();
  request.mutable_start_date()->set_month(4);
  request.mutable_start_date()->set_day(30);
  report = Report(request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->sessions(), ElementsAre("hubs/learning-hub-chengdu/sessions/last-day"));
  // Nothing counted: every code still listed, with 0.
  EXPECT_THAT(Rows(report->deliverables()), ElementsAre(Pair("L2A2D3", 0), Pair("L2A2D4", 0)));
  EXPECT_EQ(report->organisations_size(), 0);
}

// The per-day counts change in each session write's transaction: a deleted session and
// one moved out of the period are gone from the next report.
TEST_P(ProgressReportServiceTest, UpdatesAndDeletesOfSessionsShowInTheNextReport) {
  v1::DeleteSessionRequest remove;
  remove.set_name("hubs/learning-hub-chengdu/sessions/net-zero");
  google::protobuf::Empty empty;
  grpc::Status status = env_.hubs().DeleteSession(env_.As(AdminCaller()).get(), remove, &empty);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::UpdateSessionRequest update;
  update.mutable_session()->set_name("hubs/seoul-hrdc/sessions/training");
  *update.mutable_session()->mutable_start_time() =
      TimeUtil::SecondsToTimestamp(1651363200);  // 2022-05-01
  update.mutable_update_mask()->add_paths("start_time");
  v1::Session updated;
  status = env_.hubs().UpdateSession(env_.As(AdminCaller()).get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();

  auto report = Report(JanuaryToApril());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->sessions(), ElementsAre("hubs/learning-hub-chengdu/sessions/first-day",
                                              "hubs/learning-hub-chengdu/sessions/last-day"));
  EXPECT_THAT(Rows(report->deliverables()), ElementsAre(Pair("L2A2D3", 1), Pair("L2A2D4", 0)));
  EXPECT_THAT(Rows(report->challenges()), ElementsAre(Pair("1.1", 0), Pair("2.3", 0)));
  ASSERT_EQ(report->organisations_size(), 2);
  EXPECT_EQ(report->organisations(0).organisation(), "organisations/madrid");
  EXPECT_EQ(report->organisations(0).activity_count(), 1);
  EXPECT_EQ(report->organisations(0).organised_count(), 1);
  EXPECT_EQ(report->organisations(1).organisation(), "organisations/seoul");
  EXPECT_EQ(report->organisations(1).organised_count(), 0);
  EXPECT_EQ(report->alliances_size(), 0);
}

TEST_P(ProgressReportServiceTest, ABadRequestNamesTheFieldAndAnUnknownPlanIsNotFound) {
  v1::GenerateProgressReportRequest request = JanuaryToApril();
  request.clear_start_date();
  request.add_hubs("hubs/learning-hub-chengdu");
  request.add_hubs("elsewhere/x");
  absl::Status status = Report(request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status), ElementsAre("startDate", "hubs[1]"));

  request = JanuaryToApril();
  request.mutable_end_date()->set_year(2021);
  status = Report(request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(status), ElementsAre("endDate"));

  request = JanuaryToApril();
  request.set_plan("plans/elsewhere");
  EXPECT_EQ(Report(request).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(ProgressReportServiceTest, RoadmapsDownIsUnavailable) {
  // The session writes cached the plan: drop it so the report has to ask roadmaps.
  env_.Stop(Service::kRoadmaps, {"plans/metropolis-sap-2021-2023"});
  EXPECT_EQ(Report(JanuaryToApril()).status().code(), absl::StatusCode::kUnavailable);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProgressReportServiceTest,
                         ::testing::ValuesIn(::metrocap::testing::AllStoreBackends()),
                         ::metrocap::testing::StoreBackendName);

}  // namespace
}  // namespace metrocap::hubs::testing
