#include "services/roadmaps/core/dates.h"

#include "absl/strings/str_cat.h"

namespace metrocap::roadmaps {

bool IsUnset(const google::type::Date& date) {
  return date.year() == 0 && date.month() == 0 && date.day() == 0;
}

absl::optional<absl::CivilDay> DayOf(const google::type::Date& date) {
  if (date.year() < 1 || date.year() > 9999) return absl::nullopt;
  absl::CivilDay day(date.year(), date.month(), date.day());
  // CivilDay normalises out-of-range fields (month 13 -> next January): a real date is one
  // that comes back unchanged.
  if (day.year() != date.year() || day.month() != date.month() || day.day() != date.day()) {
    return absl::nullopt;
  }
  return day;
}

google::type::Date DateOf(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

absl::optional<absl::CivilDay> CheckDate(Violations& out, absl::string_view field,
                                         const google::type::Date& date, bool required) {
  if (IsUnset(date)) {
    if (required) out.Add(field, "is required");
    return absl::nullopt;
  }
  absl::optional<absl::CivilDay> day = DayOf(date);
  if (!day) out.Add(field, "is not a valid calendar date");
  return day;
}

void CheckOrder(Violations& out, absl::string_view later_field, absl::string_view earlier_field,
                const absl::optional<absl::CivilDay>& earlier,
                const absl::optional<absl::CivilDay>& later) {
  if (earlier && later && *later < *earlier) {
    out.Add(later_field, absl::StrCat("must not be before ", earlier_field));
  }
}

}  // namespace metrocap::roadmaps
