#include "services/hubs/storage/report_query.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/status/status_macros.h"
#include "services/hubs/core/hub_of.h"
#include "services/hubs/core/times.h"
#include "services/hubs/storage/schemas.h"

namespace metrocap::hubs {
namespace {

// Days since 1970-01-01 of `time` in UTC.
int64_t DayNumber(absl::Time time) {
  return absl::ToCivilDay(time, absl::UTCTimeZone()) - absl::CivilDay(1970, 1, 1);
}

absl::StatusOr<ReportRow> ReportRowOf(const store::Transaction::Row& row) {
  const std::string* section = row.size() == 4 ? absl::get_if<std::string>(&row[0]) : nullptr;
  const std::string* key = row.size() == 4 ? absl::get_if<std::string>(&row[1]) : nullptr;
  const int64_t* activity = row.size() == 4 ? absl::get_if<int64_t>(&row[2]) : nullptr;
  const int64_t* organised = row.size() == 4 ? absl::get_if<int64_t>(&row[3]) : nullptr;
  if (section == nullptr || key == nullptr || activity == nullptr || organised == nullptr) {
    return absl::InternalError("progress report row is not (section, key, count, count)");
  }
  return ReportRow{*section, *key, *activity, *organised};
}

// "?, ?, ?" for `n` parameters.
std::string Marks(size_t n) { return absl::StrJoin(std::vector<std::string>(n, "?"), ", "); }

}  // namespace

absl::Status AdjustDayCounts(store::Transaction& tx, const v1::Session* before,
                             const v1::Session* after) {
  // (plan, hub, day, section, value) -> (activity, organised) to add.
  using Key = std::tuple<std::string, std::string, int64_t, std::string, std::string>;
  std::map<Key, std::pair<int64_t, int64_t>> deltas;
  auto add = [&](const v1::Session* session, int sign) {
    if (session == nullptr) return;
    const std::vector<CountedKey> counted = CountedKeys(*session);
    if (counted.empty()) return;
    const int64_t day = DayNumber(ToTime(session->start_time()));
    for (const std::string& hub : {std::string(), std::string(HubOf(session->name()))}) {
      for (const CountedKey& c : counted) {
        auto& delta = deltas[Key{session->plan(), hub, day, c.section, c.key}];
        delta.first += sign;
        delta.second += c.organised ? sign : 0;
      }
    }
  };
  add(before, -1);
  add(after, +1);
  const store::CounterSchema& counter = HubsSchemas().sessions.counters.front();
  for (const auto& [key, delta] : deltas) {
    if (delta.first == 0 && delta.second == 0) continue;
    const auto& [plan, hub, day, section, value] = key;
    RETURN_IF_ERROR(
        tx.AddCounts(counter, {plan, hub, day, section, value}, {delta.first, delta.second}));
  }
  return absl::OkStatus();
}

store::sql::Statement ProgressReportStatement(absl::string_view plan, const ReportPeriod& period,
                                              const std::vector<std::string>& hubs) {
  const store::ResourceSchema& sessions = HubsSchemas().sessions;
  const store::CounterSchema& days = sessions.counters.front();
  store::sql::Statement s;
  // The period is whole days: [from, until) at midnight UTC.
  s.params = {std::string(plan), DayNumber(period.from), DayNumber(period.until)};
  if (hubs.empty()) {
    s.params.push_back(std::string());
  } else {
    s.params.insert(s.params.end(), hubs.begin(), hubs.end());
  }
  s.params.insert(s.params.end(), {std::string(plan), absl::ToUnixMicros(period.from),
                                   absl::ToUnixMicros(period.until)});
  std::string names_where = absl::StrCat(sessions.Find("plan")->sql_name, " = ? AND ",
                                         sessions.Find("startTime")->sql_name, " >= ? AND ",
                                         sessions.Find("startTime")->sql_name, " < ?");
  if (!hubs.empty()) {
    absl::StrAppend(&names_where, " AND collection_parent IN (", Marks(hubs.size()), ")");
    s.params.insert(s.params.end(), hubs.begin(), hubs.end());
  }
  s.text = absl::StrCat(
      "SELECT section, value, CAST(SUM(activity_count) AS BIGINT), "
      "CAST(SUM(organised_count) AS BIGINT) FROM ",
      days.table, " WHERE plan = ? AND day >= ? AND day < ? AND hub IN (",
      Marks(hubs.empty() ? 1 : hubs.size()),
      ") GROUP BY section, value HAVING SUM(activity_count) <> 0 "
      "UNION ALL SELECT 'session', name, 0, 0 FROM ",
      sessions.table, " WHERE ", names_where);
  return s;
}

absl::StatusOr<ProgressTally> TallyFromRows(const std::vector<ReportRow>& rows) {
  ProgressTally tally;
  for (const ReportRow& row : rows) {
    if (row.section == "session") {
      tally.sessions.push_back(row.key);
      continue;
    }
    RETURN_IF_ERROR(AddCount(row.section, row.key, static_cast<int>(row.activity_count),
                             static_cast<int>(row.organised_count), tally));
  }
  std::sort(tally.sessions.begin(), tally.sessions.end());
  return tally;
}

absl::StatusOr<ProgressTally> CountProgress(store::Transaction& tx, absl::string_view plan,
                                            const ReportPeriod& period,
                                            const std::vector<std::string>& hubs) {
  const store::sql::Statement statement = ProgressReportStatement(plan, period, hubs);
  ASSIGN_OR_RETURN(std::vector<store::Transaction::Row> rows,
                   tx.Select(statement.text, statement.params));
  std::vector<ReportRow> report_rows;
  report_rows.reserve(rows.size());
  for (const store::Transaction::Row& row : rows) {
    ASSIGN_OR_RETURN(ReportRow report_row, ReportRowOf(row));
    report_rows.push_back(std::move(report_row));
  }
  return TallyFromRows(report_rows);
}

}  // namespace metrocap::hubs
