#include "services/membership/core/validation.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/resource/names.h"
#include "common/status/errors.h"
#include "common/status/violations.h"
#include "google/protobuf/util/time_util.h"

namespace metrocap::membership {
namespace {

// ISO 3166-1 alpha-2, officially assigned codes (from Debian's iso-codes).
const std::set<std::string>& CountryCodes() {
  static const auto* codes = new std::set<std::string>{
      "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX",
      "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ",
      "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK",
      "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
      "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR",
      "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS",
      "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN",
      "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
      "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV",
      "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ",
      "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI",
      "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
      "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC",
      "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV",
      "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR",
      "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
      "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
  };
  return *codes;
}

// A reference to another resource: required or not, and a well-formed name in `collection`.
void CheckReference(Violations& v, absl::string_view field, const std::string& value,
                    absl::string_view collection, bool required) {
  if (value.empty()) {
    if (required) v.Add(field, "is required");
    return;
  }
  v.AddFrom(field, resource::CheckName(field, value, collection));
}

void CheckDate(Violations& v, absl::string_view field, const google::type::Date& date,
               bool present) {
  if (present && !IsValidDate(date)) v.Add(field, "is not a valid calendar date");
}

// The first control character of `value` that `lines` does not allow, as "U+XXXX at byte
// N", or "" when there is none.
std::string FirstControlCharacter(absl::string_view value, Lines lines) {
  for (size_t i = 0; i < value.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    int code = -1;
    if (c < 0x20 || c == 0x7F) {
      const bool line_break = c == '\t' || c == '\n' || c == '\r';
      if (!(line_break && lines == Lines::kMany)) code = c;
    } else if (c == 0xC2 && i + 1 < value.size()) {
      const unsigned char next = static_cast<unsigned char>(value[i + 1]);
      if (next >= 0x80 && next <= 0x9F) code = next;  // U+0080..U+009F in UTF-8
    }
    if (code >= 0) return absl::StrFormat("U+%04X at byte %d", code, i);
  }
  return "";
}

}  // namespace

void CheckText(Violations& v, absl::string_view field, absl::string_view value, size_t max,
               bool required, Lines lines) {
  if (value.empty()) {
    if (required) v.Add(field, "is required");
    return;
  }
  if (value.size() > max) {
    v.Add(field, absl::StrCat("must be at most ", max, " characters"));
    return;
  }
  const std::string control = FirstControlCharacter(value, lines);
  if (!control.empty()) {
    v.Add(field, absl::StrCat("must not contain control characters (",
                              lines == Lines::kMany ? "other than tab and line breaks" : "",
                              lines == Lines::kMany ? "; " : "", "found ", control, ")"));
  }
}

bool IsCountryCode(absl::string_view code) { return CountryCodes().count(std::string(code)) > 0; }

bool IsValidDate(const google::type::Date& date) {
  if (date.year() < 1 || date.year() > 9999 || date.month() < 1 || date.month() > 12 ||
      date.day() < 1) {
    return false;
  }
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y = date.year();
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int days = kDays[date.month() - 1] + (date.month() == 2 && leap ? 1 : 0);
  return date.day() <= days;
}

int CompareDates(const google::type::Date& a, const google::type::Date& b) {
  auto key = [](const google::type::Date& d) {
    return d.year() * 10000 + d.month() * 100 + d.day();
  };
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

google::protobuf::Timestamp TimestampOf(absl::Time time) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

absl::Status ValidateRegion(const v1::Region& region, absl::string_view prefix) {
  Violations v(prefix);
  CheckText(v, "displayName", region.display_name(), kMaxDisplayName, true, Lines::kOne);
  return v.ToStatus();
}

absl::Status ValidateOrganisation(const v1::Organisation& o, absl::string_view prefix) {
  Violations v(prefix);
  CheckText(v, "displayName", o.display_name(), kMaxDisplayName, true, Lines::kOne);
  if (o.kind() == v1::Organisation::KIND_UNSPECIFIED || !v1::Organisation::Kind_IsValid(o.kind())) {
    v.Add("kind", "is required: one of METROPOLITAN_AREA, CITY, MUNICIPALITY, ...");
  }
  if (o.country_code().empty()) {
    v.Add("countryCode", "is required");
  } else if (!IsCountryCode(o.country_code())) {
    v.Add("countryCode", absl::StrCat("\"", o.country_code(),
                                      "\" is not an ISO 3166-1 alpha-2 code (e.g. ES, IT)"));
  }
  CheckReference(v, "region", o.region(), "regions", /*required=*/true);
  if (o.population() < 0) v.Add("population", "must not be negative");
  CheckReference(v, "parent", o.parent(), "organisations", /*required=*/false);
  if (!o.name().empty() && o.parent() == o.name()) {
    v.Add("parent", "an organisation cannot be its own parent");
  }
  if (!v1::Organisation::MembershipState_IsValid(o.membership_state())) {
    v.Add("membershipState", "is not a known state");
  }
  CheckDate(v, "memberSince", o.member_since(), o.has_member_since());
  CheckText(v, "website", o.website(), kMaxText, false, Lines::kOne);
  CheckText(v, "description", o.description(), kMaxText, false, Lines::kMany);
  return v.ToStatus();
}

absl::Status ValidateBoardSeat(const v1::BoardSeat& s, absl::string_view prefix) {
  Violations v(prefix);
  CheckReference(v, "organisation", s.organisation(), "organisations", /*required=*/true);
  CheckText(v, "personName", s.person_name(), kMaxDisplayName, true, Lines::kOne);
  CheckText(v, "title", s.title(), kMaxText, false, Lines::kOne);
  if (s.role() == v1::BoardSeat::ROLE_UNSPECIFIED || !v1::BoardSeat::Role_IsValid(s.role())) {
    v.Add("role", "is required: one of PRESIDENCY, CO_PRESIDENCY, ...");
  }
  CheckReference(v, "region", s.region(), "regions", /*required=*/true);
  if (!s.has_term_start()) {
    v.Add("termStart", "is required");
  } else {
    CheckDate(v, "termStart", s.term_start(), true);
  }
  CheckDate(v, "termEnd", s.term_end(), s.has_term_end());
  if (s.has_term_start() && s.has_term_end() && IsValidDate(s.term_start()) &&
      IsValidDate(s.term_end()) && CompareDates(s.term_end(), s.term_start()) <= 0) {
    v.Add("termEnd", "must be after termStart");
  }
  return v.ToStatus();
}

absl::Status ValidatePartner(const v1::Partner& p, absl::string_view prefix) {
  Violations v(prefix);
  CheckText(v, "displayName", p.display_name(), kMaxDisplayName, true, Lines::kOne);
  CheckReference(v, "organisation", p.organisation(), "organisations", /*required=*/false);
  if (p.role() == v1::Partner::ROLE_UNSPECIFIED || !v1::Partner::Role_IsValid(p.role())) {
    v.Add("role", "is required: ADMIN, PARTNER or VIEWER");
  }
  if (p.grants_size() > 1000) v.Add("grants", "must hold at most 1000 organisations");
  for (int i = 0; i < p.grants_size(); ++i) {
    CheckReference(v, absl::StrCat("grants[", i, "]"), p.grants(i), "organisations", true);
  }
  return v.ToStatus();
}

absl::Status ValidateApiKey(const v1::ApiKey& key, absl::string_view prefix) {
  Violations v(prefix);
  CheckText(v, "displayName", key.display_name(), kMaxDisplayName, false, Lines::kOne);
  return v.ToStatus();
}

absl::Status ValidateDecision(const v1::Decision& d, absl::string_view prefix) {
  Violations v(prefix);
  if (!d.has_decision_date()) {
    v.Add("decisionDate", "is required");
  } else {
    CheckDate(v, "decisionDate", d.decision_date(), true);
  }
  if (d.votes_for() < 0) v.Add("votesFor", "must not be negative");
  if (d.votes_against() < 0) v.Add("votesAgainst", "must not be negative");
  if (d.abstentions() < 0) v.Add("abstentions", "must not be negative");
  CheckText(v, "note", d.note(), kMaxText, false, Lines::kMany);
  return v.ToStatus();
}

}  // namespace metrocap::membership
