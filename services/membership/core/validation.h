#pragma once

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/status/violations.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "metrocap/membership/v1/membership.pb.h"

// What makes each membership resource valid, free of gRPC and SQL.
namespace metrocap::membership {

namespace v1 = ::metrocap::membership::v1;

// The text limits, in bytes: display names and person names, and every longer free text
// (titles, descriptions, websites, notes).
inline constexpr size_t kMaxDisplayName = 200;
inline constexpr size_t kMaxText = 2000;

// Whether a text field may hold line breaks: descriptions and notes may (tab, newline and
// carriage return); names, titles and addresses are one line.
enum class Lines { kOne, kMany };

// The text rule every membership text field follows: "is required" when `required` and
// empty; "must be at most N characters" past `max` bytes; and no control character
// (C0, DEL or C1), except tab and line breaks in kMany text. Adds at most one violation.
void CheckText(Violations& v, absl::string_view field, absl::string_view value, size_t max,
               bool required, Lines lines);

// True for an ISO 3166-1 alpha-2 code currently assigned (upper case).
bool IsCountryCode(absl::string_view code);

// True for a real calendar date (year 1..9999).
bool IsValidDate(const google::type::Date& date);
// -1, 0, 1 as a is before, equal to, after b.
int CompareDates(const google::type::Date& a, const google::type::Date& b);

// A protobuf Timestamp for `time`, to the microsecond (the store's precision).
google::protobuf::Timestamp TimestampOf(absl::Time time);

// Field checks. Each returns INVALID_ARGUMENT with one field violation per bad field, the
// field paths prefixed with `prefix` (e.g. "organisation."). References to other resources
// are checked for form only; the service checks that they exist.
absl::Status ValidateRegion(const v1::Region& region, absl::string_view prefix);
absl::Status ValidateOrganisation(const v1::Organisation& organisation, absl::string_view prefix);
absl::Status ValidateBoardSeat(const v1::BoardSeat& seat, absl::string_view prefix);
absl::Status ValidatePartner(const v1::Partner& partner, absl::string_view prefix);
absl::Status ValidateApiKey(const v1::ApiKey& key, absl::string_view prefix);
absl::Status ValidateDecision(const v1::Decision& decision, absl::string_view prefix);

}  // namespace metrocap::membership
