// The progress report's per-day counts and statement (storage/report_query.h) against
// their C++ twin (core TallySessions): the same sessions, kept by the real store on SQLite
// and on PostgreSQL with AdjustDayCounts in each write's transaction (as the service's
// also_write does), give the same tally for every plan, period and hubs filter tried, also
// after updates and deletes. The statement runs through Transaction::Select, as the
// service runs it (CountProgress).
#include "services/hubs/storage/report_query.h"

#include <filesystem>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "services/hubs/core/session_rules.h"
#include "services/hubs/storage/schemas.h"
#include "tests/services/hubs/storage/store_fixture.h"
#include "tests/support/store_backends.h"

namespace metrocap::hubs {
namespace {

using google::protobuf::util::TimeUtil;
using ::metrocap::testing::IsOk;
using ::metrocap::testing::StoreBackend;

constexpr char kPlan[] = "plans/metropolis-sap-2021-2023";

class ReportQueryTest : public HubsStoreTest {
 protected:
  // The tally the store counts, through Transaction::Select as the service runs it.
  absl::StatusOr<ProgressTally> Count(absl::string_view plan, const ReportPeriod& period,
                                      const std::vector<std::string>& hubs) {
    ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                     store_->Begin(store::Store::Access::kReadOnly));
    return CountProgress(*tx, plan, period, hubs);
  }

  void Insert(v1::Session session) {
    DeriveSessionFields(session);
    ASSERT_THAT(store_->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(AdjustDayCounts(tx, nullptr, &session));
      return tx.Insert(HubsSchemas().sessions, session.name(), session).status();
    }),
                IsOk());
  }

  // Replaces the stored session of `session`'s name (version 1) with `session`.
  void Replace(const v1::Session& before, v1::Session session) {
    DeriveSessionFields(session);
    ASSERT_THAT(store_->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(AdjustDayCounts(tx, &before, &session));
      return tx.Update(HubsSchemas().sessions, session.name(), session, 1).status();
    }),
                IsOk());
  }

  void Remove(const v1::Session& session) {
    ASSERT_THAT(store_->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(AdjustDayCounts(tx, &session, nullptr));
      return tx.Delete(HubsSchemas().sessions, session.name(), 1);
    }),
                IsOk());
  }

  // The cases every test checks, against TallySessions over `sessions`.
  void ExpectEveryCaseAgrees(const std::vector<v1::Session>& sessions);
};

// Sessions drawn from a seeded generator: three hubs, two plans and none, start times from
// a week before to a week after January-April 2022 (some exactly on its edges, some
// unset), overlapping codes, members in both roles, repeated alliances.
std::vector<v1::Session> RandomSessions(int count) {
  std::mt19937 random(20220430);
  auto pick = [&](int n) { return static_cast<int>(random() % n); };
  const char* hubs[] = {"hubs/metropolis", "hubs/learning-hub-chengdu", "hubs/miti-cairo"};
  const char* plans[] = {kPlan, "plans/micad", ""};
  const char* codes[] = {"L1",     "L1A1",   "L1A1D1", "L1A1D2", "L1A2D4",
                         "L2A2D3", "L2A2D4", "L3A1D3", "L10A1D1"};
  const char* challenges[] = {"1.1", "1.4", "2.3", "3.1", "4.2"};
  const char* members[] = {"organisations/rabat", "organisations/madrid", "organisations/seoul",
                           "organisations/metropolis", "organisations/chengdu"};
  const char* alliances[] = {"UCLG", "UCLG Africa", "UNDP"};
  const int64_t first = 1640995200;  // 2022-01-01T00:00:00Z
  const int64_t until = 1651363200;  // 2022-05-01T00:00:00Z
  std::vector<v1::Session> sessions;
  for (int i = 0; i < count; ++i) {
    v1::Session session;
    session.set_name(absl::StrCat(hubs[pick(3)], "/sessions/s", i));
    session.set_title(absl::StrCat("Session ", i));
    session.set_format(static_cast<v1::Session::Format>(1 + pick(9)));
    session.set_plan(plans[pick(3)]);
    switch (pick(8)) {
      case 0:
        break;  // undated
      case 1:
        *session.mutable_start_time() = TimeUtil::SecondsToTimestamp(first);
        break;
      case 2:
        *session.mutable_start_time() = TimeUtil::MicrosecondsToTimestamp(until * 1000000 - 1);
        break;
      case 3:
        *session.mutable_start_time() = TimeUtil::SecondsToTimestamp(until);
        break;
      default:
        *session.mutable_start_time() = TimeUtil::SecondsToTimestamp(
            first - 7 * 86400 + static_cast<int64_t>(random() % (134 * 86400)));
    }
    if (!session.plan().empty()) {
      for (int c = pick(4); c > 0; --c) *session.add_outcome_codes() = codes[pick(9)];
      for (int c = pick(3); c > 0; --c) *session.add_challenge_codes() = challenges[pick(5)];
    }
    for (int c = pick(4); c > 0; --c) *session.add_participants() = members[pick(5)];
    for (int c = pick(3); c > 0; --c) *session.add_organisers() = members[pick(5)];
    for (int c = pick(3); c > 0; --c) *session.add_alliances() = alliances[pick(3)];
    // Lists are sets, as validation makes them.
    for (auto* list : {session.mutable_outcome_codes(), session.mutable_challenge_codes(),
                       session.mutable_participants(), session.mutable_organisers(),
                       session.mutable_alliances()}) {
      std::sort(list->begin(), list->end());
      list->erase(std::unique(list->begin(), list->end()), list->end());
    }
    sessions.push_back(std::move(session));
  }
  return sessions;
}

void ExpectSameTally(const ProgressTally& sql, const ProgressTally& cc) {
  EXPECT_EQ(sql.sessions, cc.sessions);
  EXPECT_EQ(sql.plan_codes, cc.plan_codes);
  EXPECT_EQ(sql.challenges, cc.challenges);
  EXPECT_EQ(sql.formats, cc.formats);
  EXPECT_EQ(sql.alliances, cc.alliances);
  EXPECT_EQ(sql.organisations, cc.organisations);
}

void ReportQueryTest::ExpectEveryCaseAgrees(const std::vector<v1::Session>& sessions) {
  struct Case {
    const char* plan;
    const char* start;
    const char* end;
    std::vector<std::string> hubs;
  };
  const std::vector<Case> cases = {
      {kPlan, "2022-01-01", "2022-04-30", {}},
      {kPlan, "2022-01-01", "2022-04-30", {"hubs/learning-hub-chengdu"}},
      {kPlan, "2022-01-01", "2022-04-30", {"hubs/metropolis", "hubs/miti-cairo"}},
      {kPlan, "2022-04-30", "2022-04-30", {}},
      {"plans/micad", "2021-12-01", "2022-12-31", {}},
      {kPlan, "2023-01-01", "2023-12-31", {}},  // nothing
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrCat(c.plan, " ", c.start, "..", c.end, " hubs ", c.hubs.size()));
    v1::GenerateProgressReportRequest request;
    request.set_plan(c.plan);
    int y, m, d;
    sscanf(c.start, "%d-%d-%d", &y, &m, &d);
    request.mutable_start_date()->set_year(y);
    request.mutable_start_date()->set_month(m);
    request.mutable_start_date()->set_day(d);
    sscanf(c.end, "%d-%d-%d", &y, &m, &d);
    request.mutable_end_date()->set_year(y);
    request.mutable_end_date()->set_month(m);
    request.mutable_end_date()->set_day(d);
    for (const std::string& hub : c.hubs) request.add_hubs(hub);
    auto period = ValidateReportRequest(request);
    ASSERT_THAT(period, IsOk());

    auto sql = Count(c.plan, *period, c.hubs);
    ASSERT_THAT(sql, IsOk());
    ExpectSameTally(*sql, TallySessions(sessions, c.plan, *period, c.hubs));
    // The generator gives every case but the last something to count.
    EXPECT_EQ(sql->sessions.empty(), &c == &cases.back());
  }
}

TEST_P(ReportQueryTest, TheStoreCountsAsTheRulesDo) {
  std::vector<v1::Session> sessions = RandomSessions(300);
  for (const v1::Session& session : sessions) Insert(session);
  ExpectEveryCaseAgrees(sessions);
}

// Updates move sessions between days, plans and codes, and deletes take them out: the
// per-day counts follow, to the same tally as the rules over what is left.
TEST_P(ReportQueryTest, UpdatesAndDeletesKeepTheCountsInStep) {
  std::vector<v1::Session> sessions = RandomSessions(300);
  for (const v1::Session& session : sessions) Insert(session);
  std::vector<v1::Session> others = RandomSessions(600);
  std::vector<v1::Session> kept;
  for (size_t i = 0; i < sessions.size(); ++i) {
    if (i % 5 == 0) {
      Remove(sessions[i]);
      continue;
    }
    if (i % 3 == 0) {
      // Everything counted from another generated session, under this one's name.
      v1::Session changed = others[300 + i];
      changed.set_name(sessions[i].name());
      DeriveSessionFields(changed);
      Replace(sessions[i], changed);
      kept.push_back(changed);
      continue;
    }
    kept.push_back(sessions[i]);
  }
  ExpectEveryCaseAgrees(kept);
}

TEST_P(ReportQueryTest, AnEmptyPeriodHasNoRows) {
  v1::Session session;
  session.set_name("hubs/metropolis/sessions/retreat");
  session.set_title("UCLG-MEWA retreat");
  session.set_format(v1::Session::MEETING);
  session.set_plan(kPlan);
  *session.mutable_start_time() = TimeUtil::SecondsToTimestamp(1644883200);  // 2022-02-15
  session.add_outcome_codes("L1A1D2");
  Insert(session);
  ReportPeriod may{absl::FromUnixSeconds(1651363200), absl::FromUnixSeconds(1651449600)};
  auto tally = Count(kPlan, may, {});
  ASSERT_THAT(tally, IsOk());
  EXPECT_TRUE(tally->sessions.empty());
  EXPECT_TRUE(tally->plan_codes.empty());
  EXPECT_TRUE(tally->organisations.empty());
}

TEST(TallyFromRowsTest, RefusesAnUnknownSection) {
  EXPECT_EQ(TallyFromRows({{"deliverable", "L1A1D1", 1, 0}}).status().code(),
            absl::StatusCode::kInternal);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportQueryTest,
                         ::testing::ValuesIn(metrocap::testing::AllStoreBackends()),
                         metrocap::testing::StoreBackendName);

}  // namespace
}  // namespace metrocap::hubs
