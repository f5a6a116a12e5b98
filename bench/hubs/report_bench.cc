// The progress report's counting over a large period: generated sessions (10 deliverable
// codes and 5 participants each, spread evenly over January-April 2022) kept by the real
// store, then the report's statement (CountProgress) and AssembleReport timed, as
// GenerateProgressReport runs them below gRPC. Prints p50 and p99 of the runs.
//
//   report_bench [sessions=100000] [runs=20] [backend=SQLite|PostgreSQL]
//
// Figures: docs/benchmarks.md, "## Hubs".
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "services/hubs/core/progress_report.h"
#include "services/hubs/core/session_rules.h"
#include "services/hubs/storage/report_query.h"
#include "services/hubs/storage/schemas.h"
#include "tests/services/hubs/core/fixtures.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

namespace metrocap::hubs {
namespace {

constexpr char kPlan[] = "plans/metropolis-sap-2021-2023";
constexpr int kHubs = 20;
constexpr int kOrganisations = 200;

// 5 action lines x 4 actions x 5 deliverables, and 12 challenges.
ReportCodes Codes() {
  ReportCodes codes;
  for (int l = 1; l <= 5; ++l) {
    codes.action_lines.push_back({absl::StrCat("L", l), "line"});
    for (int a = 1; a <= 4; ++a) {
      codes.actions.push_back({absl::StrCat("L", l, "A", a), "action"});
      for (int d = 1; d <= 5; ++d) {
        codes.deliverables.push_back({absl::StrCat("L", l, "A", a, "D", d), "deliverable"});
      }
    }
  }
  for (int t = 1; t <= 4; ++t) {
    for (int c = 1; c <= 3; ++c) codes.challenges.push_back({absl::StrCat(t, ".", c), "ch"});
  }
  return codes;
}

v1::Session Generated(int i, std::mt19937& random, const ReportCodes& codes) {
  auto pick = [&](size_t n) { return static_cast<int>(random() % n); };
  v1::Session session;
  session.set_name(absl::StrCat("hubs/hub-", i % kHubs, "/sessions/s-", i));
  session.set_title(absl::StrCat("Session ", i));
  session.set_format(static_cast<v1::Session::Format>(1 + pick(9)));
  session.set_plan(kPlan);
  const int64_t first = 1640995200;         // 2022-01-01T00:00:00Z
  const int64_t span = 1651363200 - first;  // to 2022-05-01
  *session.mutable_start_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
      first + static_cast<int64_t>(random() % span));
  std::vector<int> deliverables(codes.deliverables.size());
  for (size_t d = 0; d < deliverables.size(); ++d) deliverables[d] = static_cast<int>(d);
  std::shuffle(deliverables.begin(), deliverables.end(), random);
  for (int d = 0; d < 10; ++d) session.add_outcome_codes(codes.deliverables[deliverables[d]].code);
  std::sort(session.mutable_outcome_codes()->begin(), session.mutable_outcome_codes()->end());
  for (int c = 0; c < 2; ++c) {
    session.add_challenge_codes(codes.challenges[pick(codes.challenges.size())].code);
  }
  std::vector<int> members(kOrganisations);
  for (int m = 0; m < kOrganisations; ++m) members[m] = m;
  std::shuffle(members.begin(), members.end(), random);
  for (int p = 0; p < 5; ++p)
    session.add_participants(absl::StrCat("organisations/o-", members[p]));
  session.add_organisers(absl::StrCat("organisations/o-", members[pick(2)]));
  session.add_alliances(absl::StrCat("Alliance ", pick(10)));
  for (auto* list : {session.mutable_challenge_codes(), session.mutable_participants()}) {
    std::sort(list->begin(), list->end());
    list->erase(std::unique(list->begin(), list->end()), list->end());
  }
  DeriveSessionFields(session);
  return session;
}

double Percentile(std::vector<double> ms, double p) {
  std::sort(ms.begin(), ms.end());
  size_t i = static_cast<size_t>(p * (ms.size() - 1) + 0.5);
  return ms[std::min(i, ms.size() - 1)];
}

int Run(int sessions, int runs, const std::string& backend_name) {
  testing::StoreBackend backend = backend_name == "PostgreSQL" ? testing::PostgresStoreBackend()
                                                               : testing::SqliteStoreBackend();
  if (std::string why = backend.Unavailable(); !why.empty()) {
    std::fprintf(stderr, "%s unavailable: %s\n", backend.name.c_str(), why.c_str());
    return 2;
  }
  auto dir = testing::MakeTempDir("metrocap-report-bench");
  if (!dir.ok()) return 1;
  auto store = backend.Open(*dir, "hubs");
  if (!store.ok() || !(*store)->Migrate(HubsSchemas().All()).ok()) {
    std::fprintf(stderr, "cannot open the store\n");
    return 1;
  }
  const ReportCodes codes = Codes();
  std::mt19937 random(20220430);
  absl::Time load_start = absl::Now();
  for (int batch = 0; batch < sessions; batch += 10000) {
    absl::Status loaded = (*store)->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
      for (int i = batch; i < std::min(sessions, batch + 10000); ++i) {
        v1::Session session = Generated(i, random, codes);
        absl::Status inserted = tx.Insert(HubsSchemas().sessions, session.name(), session).status();
        if (!inserted.ok()) return inserted;
      }
      return absl::OkStatus();
    });
    if (!loaded.ok()) {
      std::fprintf(stderr, "load: %s\n", loaded.ToString().c_str());
      return 1;
    }
  }
  std::printf("%s: %d sessions loaded in %.1f s\n", backend.name.c_str(), sessions,
              absl::ToDoubleSeconds(absl::Now() - load_start));

  v1::GenerateProgressReportRequest request = JanuaryToApril2022(kPlan);
  for (const bool filtered : {false, true}) {
    request.clear_hubs();
    if (filtered) {
      request.add_hubs("hubs/hub-1");
      request.add_hubs("hubs/hub-2");
    }
    const ReportPeriod period = *ValidateReportRequest(request);
    const std::vector<std::string> hubs(request.hubs().begin(), request.hubs().end());
    // Whole run, and its parts: the store's statement with the tally, then the response.
    std::vector<double> ms, count_ms, assemble_ms;
    int counted = 0;
    for (int r = 0; r < runs; ++r) {
      absl::Time start = absl::Now();
      auto tx = (*store)->Begin(store::Store::Access::kReadOnly);
      if (!tx.ok()) return 1;
      absl::StatusOr<ProgressTally> tally = CountProgress(**tx, kPlan, period, hubs);
      if (!tally.ok()) {
        std::fprintf(stderr, "report: %s\n", tally.status().ToString().c_str());
        return 1;
      }
      absl::Time counted_at = absl::Now();
      v1::GenerateProgressReportResponse report = AssembleReport(request, codes, *tally, {});
      absl::Time end = absl::Now();
      ms.push_back(absl::ToDoubleMilliseconds(end - start));
      count_ms.push_back(absl::ToDoubleMilliseconds(counted_at - start));
      assemble_ms.push_back(absl::ToDoubleMilliseconds(end - counted_at));
      counted = report.activity_count();
    }
    std::printf(
        "%s report%s: %d sessions counted, %d runs, p50 %.0f ms, p99 %.0f ms "
        "(p50 counting %.0f ms, assembling %.0f ms)\n",
        backend.name.c_str(), filtered ? " (2 of 20 hubs)" : "", counted, runs, Percentile(ms, 0.5),
        Percentile(ms, 0.99), Percentile(count_ms, 0.5), Percentile(assemble_ms, 0.5));
  }
  testing::RemoveTree(*dir);
  return 0;
}

}  // namespace
}  // namespace metrocap::hubs

int main(int argc, char** argv) {
  int sessions = argc > 1 ? atoi(argv[1]) : 100000;
  int runs = argc > 2 ? atoi(argv[2]) : 20;
  std::string backend = argc > 3 ? argv[3] : "SQLite";
  if (sessions <= 0 || runs <= 0) {
    std::fprintf(stderr, "usage: report_bench [sessions] [runs] [SQLite|PostgreSQL]\n");
    return 2;
  }
  return metrocap::hubs::Run(sessions, runs, backend);
}
