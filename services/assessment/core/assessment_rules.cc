#include "services/assessment/core/assessment_rules.h"

#include <cmath>
#include <string>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/status/violations.h"

namespace metrocap::assessment {
namespace {

constexpr size_t kMaxDisplayNameLength = 200;
constexpr size_t kMaxRespondentLength = 200;
constexpr size_t kMaxEvidenceLength = 4000;

bool IsSet(const google::type::Date& date) {
  return date.year() != 0 || date.month() != 0 || date.day() != 0;
}

// Orders two valid, set dates.
bool Before(const google::type::Date& a, const google::type::Date& b) {
  return std::make_tuple(a.year(), a.month(), a.day()) <
         std::make_tuple(b.year(), b.month(), b.day());
}

bool IsKnownSource(int source) {
  return v1::Assessment::Source_IsValid(source) && source != v1::Assessment::SOURCE_UNSPECIFIED;
}

void CheckPeriod(const v1::Assessment& assessment, const std::string& prefix, Violations& out) {
  bool dates_ok = true;
  if (!IsValidDateOrUnset(assessment.period_start())) {
    out.Add(prefix + "periodStart", "must be a real calendar date");
    dates_ok = false;
  }
  if (!IsValidDateOrUnset(assessment.period_end())) {
    out.Add(prefix + "periodEnd", "must be a real calendar date");
    dates_ok = false;
  }
  if (dates_ok && IsSet(assessment.period_start()) && IsSet(assessment.period_end()) &&
      Before(assessment.period_end(), assessment.period_start())) {
    out.Add(prefix + "periodEnd", "must not be before periodStart");
  }
}

}  // namespace

bool IsValidDateOrUnset(const google::type::Date& date) {
  if (!IsSet(date)) return true;
  if (date.year() < 1 || date.year() > 9999 || date.month() < 1 || date.month() > 12 ||
      date.day() < 1 || date.day() > 31) {
    return false;
  }
  // CivilDay normalises 2023-02-30 to 2023-03-02; a real date survives unchanged.
  absl::CivilDay day(date.year(), date.month(), date.day());
  return day.month() == date.month() && day.day() == date.day();
}

void CheckResponse(const v1::Response& response, const FrameworkIndex& framework,
                   absl::string_view field, Violations& out) {
  const std::string at = absl::StrCat(field, ".");
  const v1::Framework& f = framework.framework();
  if (response.indicator().empty()) {
    out.Add(at + "indicator", "is required");
  } else if (!framework.FindIndicator(response.indicator())) {
    out.Add(at + "indicator", absl::StrCat("\"", response.indicator(), "\" is not an indicator of ",
                                           f.name(), "; expected \"<capacityId>.<indicatorId>\""));
  }
  if (!response.dimension().empty() && !framework.FindDimension(response.dimension())) {
    out.Add(at + "dimension",
            absl::StrCat("\"", response.dimension(), "\" is not a dimension of ", f.name()));
  }
  if (!std::isfinite(response.score()) || response.score() < f.scale_min() ||
      response.score() > f.scale_max()) {
    out.Add(at + "score",
            absl::StrFormat("must be inside the scale [%g, %g]", f.scale_min(), f.scale_max()));
  }
  if (response.source() == v1::Assessment::SOURCE_UNSPECIFIED) {
    out.Add(at + "source", "is required");
  } else if (!IsKnownSource(response.source())) {
    out.Add(at + "source", absl::StrCat("unknown source ", response.source()));
  }
  if (response.respondent().size() > kMaxRespondentLength) {
    out.Add(at + "respondent",
            absl::StrCat("must be at most ", kMaxRespondentLength, " characters"));
  }
  if (response.evidence().size() > kMaxEvidenceLength) {
    out.Add(at + "evidence", absl::StrCat("must be at most ", kMaxEvidenceLength, " characters"));
  }
}

absl::Status ValidateAssessment(const v1::Assessment& assessment, const FrameworkIndex& framework,
                                absl::string_view field_prefix) {
  const std::string prefix = field_prefix.empty() ? "" : absl::StrCat(field_prefix, ".");
  Violations out;
  if (assessment.display_name().size() > kMaxDisplayNameLength) {
    out.Add(prefix + "displayName",
            absl::StrCat("must be at most ", kMaxDisplayNameLength, " characters"));
  }
  CheckPeriod(assessment, prefix, out);
  absl::flat_hash_set<int> methods;
  for (int m = 0; m < assessment.methods_size(); ++m) {
    const std::string at = absl::StrCat(prefix, "methods[", m, "]");
    if (!IsKnownSource(assessment.methods(m))) {
      out.Add(at, "must be one of DESK_RESEARCH, INTERVIEW, SURVEY, DATA, PEER_EXCHANGE");
    } else if (!methods.insert(assessment.methods(m)).second) {
      out.Add(at, "is listed twice");
    }
  }
  if (!v1::Assessment::Visibility_IsValid(assessment.visibility())) {
    out.Add(prefix + "visibility", "must be PRIVATE, NETWORK or PUBLIC");
  }
  if (assessment.responses_size() > kMaxResponses) {
    out.Add(prefix + "responses", absl::StrCat("must have at most ", kMaxResponses));
  } else {
    for (int r = 0; r < assessment.responses_size(); ++r) {
      CheckResponse(assessment.responses(r), framework, absl::StrCat(prefix, "responses[", r, "]"),
                    out);
    }
  }
  return out.ToStatus();
}

}  // namespace metrocap::assessment
