// The progress report's SQL (storage/report_query.h) against its C++ twin (core
// TallySessions): the same sessions, kept by the real store on SQLite and on PostgreSQL,
// give the same tally for every plan, period and hubs filter tried. The statement is run
// here with the database's own client library, as the store would run it.
#include "services/hubs/storage/report_query.h"

#include <libpq-fe.h>
#include <sqlite3.h>

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
#include "tests/support/test_databases.h"

namespace metrocap::hubs {
namespace {

using google::protobuf::util::TimeUtil;
using ::metrocap::testing::IsOk;
using ::metrocap::testing::StoreBackend;

constexpr char kPlan[] = "plans/metropolis-sap-2021-2023";

// Runs `statement` on the SQLite file at `path`.
absl::StatusOr<std::vector<ReportRow>> RunOnSqlite(const std::string& path,
                                                   const store::sql::Statement& statement) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return absl::UnavailableError(absl::StrCat("cannot open ", path));
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, statement.text.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    std::string error = sqlite3_errmsg(db);
    sqlite3_close(db);
    return absl::InternalError(error);
  }
  for (size_t i = 0; i < statement.params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (const int64_t* n = absl::get_if<int64_t>(&statement.params[i])) {
      sqlite3_bind_int64(stmt, index, *n);
    } else {
      const std::string& text = absl::get<std::string>(statement.params[i]);
      sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    }
  }
  std::vector<ReportRow> rows;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    rows.push_back({reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
                    reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)),
                    sqlite3_column_int64(stmt, 2), sqlite3_column_int64(stmt, 3)});
  }
  std::string error = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (!error.empty()) return absl::InternalError(error);
  return rows;
}

// Runs `statement` on the PostgreSQL database at `url`.
absl::StatusOr<std::vector<ReportRow>> RunOnPostgres(const std::string& url,
                                                     const store::sql::Statement& statement) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string error = PQerrorMessage(conn);
    PQfinish(conn);
    return absl::UnavailableError(error);
  }
  std::vector<std::string> values;
  for (const store::SqlValue& param : statement.params) {
    if (const int64_t* n = absl::get_if<int64_t>(&param)) {
      values.push_back(absl::StrCat(*n));
    } else {
      values.push_back(absl::get<std::string>(param));
    }
  }
  std::vector<const char*> pointers;
  for (const std::string& value : values) pointers.push_back(value.c_str());
  const std::string text = store::sql::NumberPlaceholders(statement.text);
  PGresult* result = PQexecParams(conn, text.c_str(), static_cast<int>(pointers.size()), nullptr,
                                  pointers.data(), nullptr, nullptr, 0);
  std::vector<ReportRow> rows;
  std::string error;
  if (PQresultStatus(result) != PGRES_TUPLES_OK) {
    error = PQresultErrorMessage(result);
  } else {
    for (int i = 0; i < PQntuples(result); ++i) {
      rows.push_back({PQgetvalue(result, i, 0), PQgetvalue(result, i, 1),
                      std::stoll(PQgetvalue(result, i, 2)), std::stoll(PQgetvalue(result, i, 3))});
    }
  }
  PQclear(result);
  PQfinish(conn);
  if (!error.empty()) return absl::InternalError(error);
  return rows;
}

class ReportQueryTest : public HubsStoreTest {
 protected:
  absl::StatusOr<std::vector<ReportRow>> Run(const store::sql::Statement& statement) {
    if (GetParam().name == "SQLite") return RunOnSqlite(dir_ + "/hubs.db", statement);
    ASSIGN_OR_RETURN(std::string url, metrocap::testing::TestDatabaseFor(dir_ + "/hubs"));
    return RunOnPostgres(url, statement);
  }

  void Insert(v1::Session session) {
    DeriveSessionFields(session);
    ASSERT_THAT(store_->RunInTransaction([&](store::Transaction& tx) {
      return tx.Insert(HubsSchemas().sessions, session.name(), session).status();
    }),
                IsOk());
  }
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

TEST_P(ReportQueryTest, TheSqlCountsAsTheRulesDo) {
  std::vector<v1::Session> sessions = RandomSessions(300);
  for (const v1::Session& session : sessions) Insert(session);

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

    auto rows = Run(ProgressReportStatement(c.plan, *period, c.hubs));
    ASSERT_THAT(rows, IsOk());
    auto sql = TallyFromRows(*rows);
    ASSERT_THAT(sql, IsOk());
    ExpectSameTally(*sql, TallySessions(sessions, c.plan, *period, c.hubs));
    // The generator gives every case but the last something to count.
    EXPECT_EQ(sql->sessions.empty(), &c == &cases.back());
  }
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
  auto rows = Run(ProgressReportStatement(kPlan, may, {}));
  ASSERT_THAT(rows, IsOk());
  EXPECT_TRUE(rows->empty());
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
