#pragma once

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/optional.h"
#include "common/status/violations.h"
#include "google/type/date.pb.h"

// Calendar dates of plans and roadmaps (google.type.Date) as absl::CivilDay, so that
// comparing and ordering them is absl's arithmetic rather than ours.
namespace metrocap::roadmaps {

// True for an unset date (all fields zero).
bool IsUnset(const google::type::Date& date);

// The day a date names; nullopt when it is unset or not a real calendar date in years
// 1-9999 (2023-02-29, month 13).
absl::optional<absl::CivilDay> DayOf(const google::type::Date& date);

google::type::Date DateOf(absl::CivilDay day);

// Adds "is required" (when `required` and unset) or "is not a valid calendar date" under
// `field`. Returns the day when the date is set and valid.
absl::optional<absl::CivilDay> CheckDate(Violations& out, absl::string_view field,
                                         const google::type::Date& date, bool required);

// Adds "must not be before <earlier_field>" under `later_field` when both days are known
// and `later` comes first.
void CheckOrder(Violations& out, absl::string_view later_field, absl::string_view earlier_field,
                const absl::optional<absl::CivilDay>& earlier,
                const absl::optional<absl::CivilDay>& later);

}  // namespace metrocap::roadmaps
