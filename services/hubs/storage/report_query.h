#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/store/sql.h"
#include "services/hubs/core/progress_report.h"

namespace metrocap::hubs {

// The progress report's counting as one SQL statement over the sessions table's indexed
// columns and side tables (storage/schemas.h), dialect-neutral ('?' placeholders; the
// PostgreSQL backend renumbers them). It selects the sessions that name `plan`, started in
// [period.from, period.until) (sessions.start_time, indexed) and, when `hubs` is not empty,
// belong to one of them (collection_parent, indexed), then groups them in one pass:
//
//   section         key                activity_count              organised_count
//   'session'       the session name   0                           0
//   'format'        the format name    sessions                    0
//   'code'          a plan code        sessions (outcome_scope)    0
//   'challenge'     a challenge code   sessions                    0
//   'alliance'      an alliance        sessions                    0
//   'organisation'  an organisation    sessions as participant     sessions as organiser
//                                      or organiser (once)
//
// outcome_scope already holds each session's deliverables, actions and lines once each, so
// "counts once for the action however many of its deliverables" is a plain COUNT(*) per
// value. No row is read as protobuf bytes and no other service is called.
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
