#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/store/sql.h"
#include "common/store/store.h"
#include "metrocap/hubs/v1/hubs.pb.h"
#include "services/hubs/core/progress_report.h"

namespace metrocap::hubs {

// The progress report's counts as the store keeps them: per day, added up when read.
//
// Every session counts on exactly one day (its start_time's, UTC) and a report's period is
// whole days, so counts kept per day add up exactly over any period. The sessions schema's
// counter table (storage/schemas.h, `sessions__report_days`) holds, for each (plan, hub,
// day, section, value), how many of the plan's sessions starting that day count for the
// value (core CountedKeys: a format, a plan code of the outcome scope, a challenge, an
// alliance, an organisation) and, for organisations, how many they organised. Hub "" holds
// every hub's counts (the report without a hubs filter); "hubs/h" one hub's.
//
// AdjustDayCounts keeps the table in step: called in the write transaction of every
// session Create (before null), Update and Delete (after null), it subtracts what `before`
// counted and adds what `after` counts, writing only the rows that change (both the hub's
// and the "" rows). An update that changes no counted field writes nothing.
absl::Status AdjustDayCounts(store::Transaction& tx, const v1::Session* before,
                             const v1::Session* after);

// The report's statement, dialect-neutral ('?' placeholders): the period's day rows of the
// plan (hub "" or the `hubs`) summed per (section, value) — a range scan of the counter
// table's primary key (plan, hub, day, ...) — and the names of the sessions counted (the
// sessions table's plan and start_time columns; collection_parent for the hubs filter).
// Rows: (section, key, activity_count, organised_count), section "session" for a name.
store::sql::Statement ProgressReportStatement(absl::string_view plan, const ReportPeriod& period,
                                              const std::vector<std::string>& hubs);

// One row of that statement.
struct ReportRow {
  std::string section;
  std::string key;
  int64_t activity_count = 0;
  int64_t organised_count = 0;
};

// The tally from the statement's rows; the sessions in name order. INTERNAL for a row of
// an unknown section (a statement and parser out of step).
absl::StatusOr<ProgressTally> TallyFromRows(const std::vector<ReportRow>& rows);

// Runs ProgressReportStatement in `tx` (Transaction::Select) and returns its tally. INTERNAL
// for a row not shaped (text, text, integer, integer) or of an unknown section; the store's
// statuses otherwise (UNAVAILABLE when the database cannot be reached).
absl::StatusOr<ProgressTally> CountProgress(store::Transaction& tx, absl::string_view plan,
                                            const ReportPeriod& period,
                                            const std::vector<std::string>& hubs);

}  // namespace metrocap::hubs
