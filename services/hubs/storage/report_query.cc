#include "services/hubs/storage/report_query.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/status_macros.h"
#include "services/hubs/storage/schemas.h"

namespace metrocap::hubs {
namespace {

// The side table of a list column of the sessions schema.
std::string Side(absl::string_view field) {
  const store::ResourceSchema& sessions = HubsSchemas().sessions;
  const store::Column* column = sessions.Find(field);
  return store::sql::SideTable(sessions, *column);
}

// Counts per value of a side table over the counted sessions.
std::string CountPerValue(absl::string_view section, absl::string_view field) {
  return absl::StrCat("SELECT '", section, "', v.value, COUNT(*), 0 FROM ", Side(field),
                      " v JOIN counted c ON c.name = v.name GROUP BY v.value");
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

}  // namespace

store::sql::Statement ProgressReportStatement(absl::string_view plan, const ReportPeriod& period,
                                              const std::vector<std::string>& hubs) {
  const store::ResourceSchema& sessions = HubsSchemas().sessions;
  store::sql::Statement s;
  std::string where = absl::StrCat(sessions.Find("plan")->sql_name, " = ? AND ",
                                   sessions.Find("startTime")->sql_name, " >= ? AND ",
                                   sessions.Find("startTime")->sql_name, " < ?");
  s.params = {std::string(plan), absl::ToUnixMicros(period.from), absl::ToUnixMicros(period.until)};
  if (!hubs.empty()) {
    std::vector<std::string> marks(hubs.size(), "?");
    absl::StrAppend(&where, " AND collection_parent IN (", absl::StrJoin(marks, ", "), ")");
    for (const std::string& hub : hubs) s.params.push_back(hub);
  }
  const std::string format = sessions.Find("format")->sql_name;
  s.text =
      absl::StrCat("WITH counted AS (SELECT name, ", format, " AS format FROM ", sessions.table,
                   " WHERE ", where,
                   ") "
                   "SELECT 'session', name, 0, 0 FROM counted "
                   "UNION ALL SELECT 'format', format, COUNT(*), 0 FROM counted GROUP BY format "
                   "UNION ALL ",
                   CountPerValue("code", "outcomeScope"), " UNION ALL ",
                   CountPerValue("challenge", "challengeCodes"), " UNION ALL ",
                   CountPerValue("alliance", "alliances"),
                   " UNION ALL SELECT 'organisation', e.value, COUNT(DISTINCT e.name), "
                   "COUNT(DISTINCT CASE WHEN e.organised = 1 THEN e.name END) FROM ("
                   "SELECT name, value, 0 AS organised FROM ",
                   Side("participants"), " UNION ALL SELECT name, value, 1 AS organised FROM ",
                   Side("organisers"), ") e JOIN counted c ON c.name = e.name GROUP BY e.value");
  return s;
}

absl::StatusOr<ProgressTally> TallyFromRows(const std::vector<ReportRow>& rows) {
  ProgressTally tally;
  for (const ReportRow& row : rows) {
    const int count = static_cast<int>(row.activity_count);
    if (row.section == "session") {
      tally.sessions.push_back(row.key);
    } else if (row.section == "format") {
      tally.formats[row.key] = count;
    } else if (row.section == "code") {
      tally.plan_codes[row.key] = count;
    } else if (row.section == "challenge") {
      tally.challenges[row.key] = count;
    } else if (row.section == "alliance") {
      tally.alliances[row.key] = count;
    } else if (row.section == "organisation") {
      tally.organisations[row.key] = {count, static_cast<int>(row.organised_count)};
    } else {
      return absl::InternalError(
          absl::StrCat("progress report row of unknown section \"", row.section, "\""));
    }
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
