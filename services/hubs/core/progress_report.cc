#include "services/hubs/core/progress_report.h"

#include <algorithm>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/resource/names.h"
#include "common/status/status_macros.h"
#include "common/status/violations.h"
#include "services/hubs/core/codes.h"
#include "services/hubs/core/hub_of.h"
#include "services/hubs/core/times.h"

namespace metrocap::hubs {
namespace {

// Maximum number of hubs one report may be restricted to.
constexpr int kMaxReportHubs = 1000;

// The day of a real calendar date in years 1-9999, or nullopt.
absl::optional<absl::CivilDay> DayOf(const google::type::Date& date) {
  if (date.year() < 1 || date.year() > 9999 || date.month() < 1 || date.month() > 12 ||
      date.day() < 1 || date.day() > 31) {
    return absl::nullopt;
  }
  // CivilDay normalises 2022-02-30 to 2022-03-02; a real date survives unchanged.
  absl::CivilDay day(date.year(), date.month(), date.day());
  if (day.month() != date.month() || day.day() != date.day()) return absl::nullopt;
  return day;
}

// Counts from `counts` sorted by count, highest first, then by key.
std::vector<std::pair<std::string, int>> ByCount(
    const absl::flat_hash_map<std::string, int>& counts) {
  std::vector<std::pair<std::string, int>> rows(counts.begin(), counts.end());
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return rows;
}

template <typename Less>
void AddCodes(const std::vector<CodeTitle>& listed,
              const absl::flat_hash_map<std::string, int>& counts, Less less,
              google::protobuf::RepeatedPtrField<v1::CodeCount>* out) {
  std::vector<const CodeTitle*> sorted;
  for (const CodeTitle& code : listed) sorted.push_back(&code);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const CodeTitle* a, const CodeTitle* b) { return less(a->code, b->code); });
  for (const CodeTitle* code : sorted) {
    v1::CodeCount* row = out->Add();
    row->set_code(code->code);
    row->set_title(code->title);
    auto it = counts.find(code->code);
    row->set_activity_count(it == counts.end() ? 0 : it->second);
  }
}

}  // namespace

absl::StatusOr<ReportPeriod> ValidateReportRequest(
    const v1::GenerateProgressReportRequest& request) {
  Violations out;
  out.AddFrom("plan", resource::CheckName("plan", request.plan(), "plans"));
  absl::optional<absl::CivilDay> start, end;
  if (!request.has_start_date()) {
    out.Add("startDate", "is required");
  } else if (!(start = DayOf(request.start_date()))) {
    out.Add("startDate", "must be a real calendar date");
  }
  if (!request.has_end_date()) {
    out.Add("endDate", "is required");
  } else if (!(end = DayOf(request.end_date()))) {
    out.Add("endDate", "must be a real calendar date");
  }
  if (start && end && *end < *start) out.Add("endDate", "must not be before startDate");
  if (request.hubs_size() > kMaxReportHubs) {
    out.Add("hubs", absl::StrCat("must have at most ", kMaxReportHubs, " entries"));
  } else {
    absl::flat_hash_set<absl::string_view> seen;
    for (int i = 0; i < request.hubs_size(); ++i) {
      const std::string field = absl::StrCat("hubs[", i, "]");
      out.AddFrom(field, resource::CheckName(field, request.hubs(i), "hubs"));
      if (!seen.insert(request.hubs(i)).second) out.Add(field, "is repeated");
    }
  }
  RETURN_IF_ERROR(out.ToStatus());
  return ReportPeriod{absl::FromCivil(*start, absl::UTCTimeZone()),
                      absl::FromCivil(*end + 1, absl::UTCTimeZone())};
}

std::vector<CountedKey> CountedKeys(const v1::Session& session) {
  std::vector<CountedKey> keys;
  if (session.plan().empty() || !session.has_start_time()) return keys;
  keys.push_back({kFormatSection, v1::Session::Format_Name(session.format())});
  for (std::string& code : OutcomeScope(session.outcome_codes())) {
    keys.push_back({kCodeSection, std::move(code)});
  }
  absl::btree_set<std::string> challenges(session.challenge_codes().begin(),
                                          session.challenge_codes().end());
  for (const std::string& code : challenges) keys.push_back({kChallengeSection, code});
  absl::btree_set<std::string> alliances(session.alliances().begin(), session.alliances().end());
  for (const std::string& alliance : alliances) keys.push_back({kAllianceSection, alliance});
  absl::btree_set<std::string> organisers(session.organisers().begin(), session.organisers().end());
  absl::btree_set<std::string> engaged(session.participants().begin(),
                                       session.participants().end());
  engaged.insert(organisers.begin(), organisers.end());
  for (const std::string& organisation : engaged) {
    keys.push_back({kOrganisationSection, organisation, organisers.contains(organisation)});
  }
  return keys;
}

absl::Status AddCount(absl::string_view section, const std::string& key, int activity,
                      int organised, ProgressTally& tally) {
  if (section == kFormatSection) {
    tally.formats[key] += activity;
  } else if (section == kCodeSection) {
    tally.plan_codes[key] += activity;
  } else if (section == kChallengeSection) {
    tally.challenges[key] += activity;
  } else if (section == kAllianceSection) {
    tally.alliances[key] += activity;
  } else if (section == kOrganisationSection) {
    ProgressTally::Engagement& row = tally.organisations[key];
    row.activity_count += activity;
    row.organised_count += organised;
  } else {
    return absl::InternalError(
        absl::StrCat("progress report count of unknown section \"", section, "\""));
  }
  return absl::OkStatus();
}

ProgressTally TallySessions(const std::vector<v1::Session>& sessions, absl::string_view plan,
                            const ReportPeriod& period, const std::vector<std::string>& hubs) {
  absl::flat_hash_set<absl::string_view> wanted(hubs.begin(), hubs.end());
  ProgressTally tally;
  for (const v1::Session& session : sessions) {
    if (session.plan() != plan || !session.has_start_time()) continue;
    const absl::Time start = ToTime(session.start_time());
    if (start < period.from || start >= period.until) continue;
    if (!wanted.empty() && !wanted.contains(HubOf(session.name()))) continue;
    tally.sessions.push_back(session.name());
    for (const CountedKey& counted : CountedKeys(session)) {
      // Every section CountedKeys makes is known.
      AddCount(counted.section, counted.key, 1, counted.organised ? 1 : 0, tally).IgnoreError();
    }
  }
  std::sort(tally.sessions.begin(), tally.sessions.end());
  return tally;
}

v1::GenerateProgressReportResponse AssembleReport(
    const v1::GenerateProgressReportRequest& request, const ReportCodes& codes,
    const ProgressTally& tally, const std::map<std::string, std::string>& display_names) {
  v1::GenerateProgressReportResponse report;
  report.set_plan(request.plan());
  *report.mutable_start_date() = request.start_date();
  *report.mutable_end_date() = request.end_date();
  *report.mutable_hubs() = request.hubs();
  report.set_activity_count(static_cast<int>(tally.sessions.size()));

  AddCodes(codes.action_lines, tally.plan_codes, PlanCodeLess, report.mutable_action_lines());
  AddCodes(codes.actions, tally.plan_codes, PlanCodeLess, report.mutable_actions());
  AddCodes(codes.deliverables, tally.plan_codes, PlanCodeLess, report.mutable_deliverables());
  AddCodes(codes.challenges, tally.challenges, ChallengeCodeLess, report.mutable_challenges());

  std::vector<std::pair<std::string, ProgressTally::Engagement>> organisations(
      tally.organisations.begin(), tally.organisations.end());
  std::sort(organisations.begin(), organisations.end(), [](const auto& a, const auto& b) {
    return a.second.activity_count != b.second.activity_count
               ? a.second.activity_count > b.second.activity_count
               : a.first < b.first;
  });
  for (const auto& [organisation, engagement] : organisations) {
    v1::OrganisationCount* row = report.add_organisations();
    row->set_organisation(organisation);
    auto name = display_names.find(organisation);
    if (name != display_names.end()) row->set_display_name(name->second);
    row->set_activity_count(engagement.activity_count);
    row->set_organised_count(engagement.organised_count);
  }
  for (const auto& [alliance, count] : ByCount(tally.alliances)) {
    v1::AllianceCount* row = report.add_alliances();
    row->set_name(alliance);
    row->set_activity_count(count);
  }
  for (const auto& [format, count] : ByCount(tally.formats)) {
    v1::FormatCount* row = report.add_formats();
    v1::Session::Format value = v1::Session::FORMAT_UNSPECIFIED;
    v1::Session::Format_Parse(format, &value);
    row->set_format(value);
    row->set_activity_count(count);
  }
  for (const std::string& session : tally.sessions) report.add_sessions(session);
  return report;
}

}  // namespace metrocap::hubs
