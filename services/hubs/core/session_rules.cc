#include "services/hubs/core/session_rules.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/resource/names.h"
#include "google/protobuf/util/time_util.h"
#include "services/hubs/core/codes.h"
#include "services/hubs/core/hub_of.h"

namespace metrocap::hubs {
namespace {

using google::protobuf::RepeatedPtrField;
using google::protobuf::util::TimeUtil;

std::string Path(absl::string_view prefix, absl::string_view field) {
  return prefix.empty() ? std::string(field) : absl::StrCat(prefix, ".", field);
}

std::string Item(absl::string_view field, int i) { return absl::StrCat(field, "[", i, "]"); }

// Adds "repeats <field>[j]" for every entry equal to an earlier one; true when `size`
// exceeded `max` (then nothing else is checked).
bool CheckRepeats(absl::string_view field, const RepeatedPtrField<std::string>& values, int max,
                  Violations& out) {
  if (values.size() > max) {
    out.Add(field, absl::StrCat("must have at most ", max, " entries"));
    return true;
  }
  absl::flat_hash_map<absl::string_view, int> first;
  for (int i = 0; i < values.size(); ++i) {
    auto [it, inserted] = first.emplace(values[i], i);
    if (!inserted) out.Add(Item(field, i), absl::StrCat("repeats ", Item(field, it->second)));
  }
  return false;
}

template <typename Check>
void CheckEach(absl::string_view field, const RepeatedPtrField<std::string>& values, int max,
               Violations& out, Check check) {
  if (CheckRepeats(field, values, max, out)) return;
  for (int i = 0; i < values.size(); ++i) check(Item(field, i), values[i]);
}

}  // namespace

bool IsValidTimestamp(const google::protobuf::Timestamp& time) {
  return time.seconds() >= TimeUtil::kTimestampMinSeconds &&
         time.seconds() <= TimeUtil::kTimestampMaxSeconds && time.nanos() >= 0 &&
         time.nanos() < 1000000000;
}

void CheckOrganisationList(absl::string_view field, const RepeatedPtrField<std::string>& names,
                           Violations& out) {
  CheckEach(field, names, kMaxOrganisations, out,
            [&](const std::string& item, const std::string& name) {
              out.AddFrom(item, resource::CheckName(item, name, "organisations"));
            });
}

void CheckCapacityList(absl::string_view field, const RepeatedPtrField<std::string>& ids,
                       Violations& out) {
  CheckEach(field, ids, kMaxCodes, out, [&](const std::string& item, const std::string& id) {
    if (!resource::IsValidId(id)) {
      out.Add(item, absl::StrCat("\"", id,
                                 "\" is not a capacity id ([a-z0-9-], starting "
                                 "with a letter)"));
    }
  });
}

absl::Status ValidateSession(const v1::Session& session, absl::string_view field_prefix) {
  Violations out;
  auto path = [&](absl::string_view field) { return Path(field_prefix, field); };

  out.RequireText(path("title"), session.title(), kMaxTitle);
  out.OptionalText(path("description"), session.description(), kMaxDescription);
  if (session.format() == v1::Session::FORMAT_UNSPECIFIED) {
    out.Add(path("format"), "is required");
  } else if (!v1::Session::Format_IsValid(session.format())) {
    out.Add(path("format"), "is not a known format");
  }
  if (!v1::Session::Mode_IsValid(session.mode())) out.Add(path("mode"), "is not a known mode");

  const bool has_start = session.has_start_time();
  const bool start_ok = has_start && IsValidTimestamp(session.start_time());
  if (has_start && !start_ok) out.Add(path("startTime"), "is not a valid time");
  if (session.has_end_time()) {
    if (!IsValidTimestamp(session.end_time())) {
      out.Add(path("endTime"), "is not a valid time");
    } else if (!has_start) {
      out.Add(path("endTime"), "needs a startTime");
    } else if (start_ok && session.end_time() < session.start_time()) {
      out.Add(path("endTime"), "must not be before startTime");
    }
  }

  CheckOrganisationList(path("organisers"), session.organisers(), out);
  CheckOrganisationList(path("participants"), session.participants(), out);
  CheckEach(path("alliances"), session.alliances(), kMaxAlliances, out,
            [&](const std::string& item, const std::string& alliance) {
              out.RequireText(item, alliance, kMaxAlliance);
            });

  const bool has_codes = !session.outcome_codes().empty() || !session.challenge_codes().empty();
  if (!session.plan().empty()) {
    out.AddFrom(path("plan"), resource::CheckName(path("plan"), session.plan(), "plans"));
  } else if (has_codes) {
    out.Add(path("plan"), "is required with outcomeCodes or challengeCodes");
  }
  CheckEach(path("outcomeCodes"), session.outcome_codes(), kMaxCodes, out,
            [&](const std::string& item, const std::string& code) {
              if (!ParsePlanCode(code)) {
                out.Add(item, absl::StrCat("\"", code,
                                           "\" is not a plan code (L1, L1A2 or "
                                           "L1A2D4)"));
              }
            });
  CheckEach(path("challengeCodes"), session.challenge_codes(), kMaxCodes, out,
            [&](const std::string& item, const std::string& code) {
              if (!IsChallengeCode(code)) {
                out.Add(item, absl::StrCat("\"", code, "\" is not a challenge code (e.g. 2.3)"));
              }
            });
  CheckCapacityList(path("capacities"), session.capacities(), out);
  return out.ToStatus();
}

void DeriveSessionFields(v1::Session& session) {
  session.set_hub(std::string(HubOf(session.name())));
  session.clear_outcome_scope();
  for (std::string& code : OutcomeScope(session.outcome_codes()))
    session.add_outcome_scope(std::move(code));
}

}  // namespace metrocap::hubs
