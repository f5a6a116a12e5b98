#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "metrocap/hubs/v1/hubs.pb.h"

namespace metrocap::hubs {

// The progress report: how many sessions of a period count for each code of a plan, each
// challenge of its taxonomy, each organisation, alliance and format.
//
// Counting rules (API.md, hubs):
// - a session counts when it names the report's plan and its start_time falls in the period: from
// start_date 00:00 UTC up
//   to, not including, the day after end_date (both dates inclusive); a session without a
//   start_time counts in no period; with `hubs` given, only the sessions of those hubs;
// - a session counts once for each code of its outcome scope (OutcomeScope): once for a
//   deliverable, once for its action and once for its action line, however many of their
//   codes it carries; once for each challenge code;
// - an organisation counts a session once when it is a participant, an organiser or both
//   (`organised_count` counts the organiser role alone); an alliance and a format once.
//
// The store keeps each session's CountedKeys added up per day, in the same transaction as
// the session's writes (storage/day_counts.h), and the report adds up the period's days;
// TallySessions is its C++ twin, used by the tests to check the store and by nothing else.

// The period of a report, [from, until).
struct ReportPeriod {
  absl::Time from;
  absl::Time until;
};

// Checks a GenerateProgressReport request's shape: plan (a Plan name), start and end dates
// (real dates, start not after end), hubs (Hub names, none repeated, at most 1000).
// INVALID_ARGUMENT naming each bad field ("startDate", "hubs[2]"). Returns the period.
absl::StatusOr<ReportPeriod> ValidateReportRequest(
    const v1::GenerateProgressReportRequest& request);

// Per-key counts of the sessions counted.
struct ProgressTally {
  // The Session names counted, in name order.
  std::vector<std::string> sessions;
  // Plan codes of the outcome scopes, challenge codes, formats (enum names), alliances.
  absl::flat_hash_map<std::string, int> plan_codes;
  absl::flat_hash_map<std::string, int> challenges;
  absl::flat_hash_map<std::string, int> formats;
  absl::flat_hash_map<std::string, int> alliances;
  // Organisation name -> sessions it took part in or organised, and organised.
  struct Engagement {
    int activity_count = 0;
    int organised_count = 0;
    bool operator==(const Engagement& o) const {
      return activity_count == o.activity_count && organised_count == o.organised_count;
    }
  };
  absl::flat_hash_map<std::string, Engagement> organisations;
};

// The sections a session counts in, as the store keeps them (storage/day_counts.h).
inline constexpr char kFormatSection[] = "format";
inline constexpr char kCodeSection[] = "code";
inline constexpr char kChallengeSection[] = "challenge";
inline constexpr char kAllianceSection[] = "alliance";
inline constexpr char kOrganisationSection[] = "organisation";

// One thing a session counts once for: a section and its key (a format's enum name, a plan
// code, a challenge code, an alliance, an organisation name); `organised` for an
// organisation that organised it.
struct CountedKey {
  std::string section;
  std::string key;
  bool organised = false;
  bool operator==(const CountedKey& o) const {
    return section == o.section && key == o.key && organised == o.organised;
  }
};

// What `session` counts for by the rules above, whatever the period: its format, each
// code of OutcomeScope(outcome_codes), each distinct challenge code and alliance, each
// distinct participant or organiser. Empty when it names no plan or has no start_time
// (it counts in no report).
std::vector<CountedKey> CountedKeys(const v1::Session& session);

// Adds `activity` sessions (and `organised`, for an organisation) to `key` of `section` in
// `tally`. INTERNAL for an unknown section (a store and the rules out of step).
absl::Status AddCount(absl::string_view section, const std::string& key, int activity,
                      int organised, ProgressTally& tally);

// The tally of `sessions` (their names, plans, start times, formats, outcome scopes,
// challenge codes, participants, organisers and alliances) for the plan, the period and
// the hubs (empty: all).
ProgressTally TallySessions(const std::vector<v1::Session>& sessions, absl::string_view plan,
                            const ReportPeriod& period, const std::vector<std::string>& hubs);

// A code and its title, as the plan or the taxonomy gives them.
struct CodeTitle {
  std::string code;
  std::string title;
};

// What the report lists codes from: every code of the plan by level, and every challenge
// of the plan's taxonomy.
struct ReportCodes {
  std::vector<CodeTitle> action_lines;
  std::vector<CodeTitle> actions;
  std::vector<CodeTitle> deliverables;
  std::vector<CodeTitle> challenges;
};

// Builds the response from the tally: every code of `codes` listed (0 when untouched) in
// code order; organisations (with their display names from `display_names`, empty when
// unknown), alliances and formats by count, highest first, ties by name (organisation
// name, alliance name, format name); sessions as tallied. Codes in the tally that are not
// in `codes` are left out (the plan changed since the session was tagged). Copies plan,
// dates and hubs from the request.
v1::GenerateProgressReportResponse AssembleReport(
    const v1::GenerateProgressReportRequest& request, const ReportCodes& codes,
    const ProgressTally& tally, const std::map<std::string, std::string>& display_names);

}  // namespace metrocap::hubs
