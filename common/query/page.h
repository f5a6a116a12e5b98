#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "common/query/order_by.h"

namespace metrocap::query {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// The page size a List serves for the requested `pageSize`: 0 means 50, anything above
// 1000 is lowered to 1000. INVALID_ARGUMENT "pageSize must not be negative" below 0.
absl::StatusOr<int> EffectivePageSize(int requested);

// An opaque `nextPageToken` holding `cursor`, bound to one query. `fingerprint` is any
// string that identifies the query (callers pass table + parent + filter + orderBy + caller
// identity); the token carries its SHA-256 and the cursor, signed with HMAC-SHA256 under
// `key`, base64url-encoded without padding. `cursor` holds at most 64 values (ParseOrderBy
// yields at most 9 terms). `total_size`, when given, rides along: the count the first page
// made, so that later pages need not count again. Tokens do not expire: a cursor stays a
// valid position however the data changes.
std::string EncodePageToken(absl::string_view key, absl::string_view fingerprint,
                            const Cursor& cursor,
                            absl::optional<int64_t> total_size = absl::nullopt);

// The cursor in a token from EncodePageToken, and in `*total_size` (when not null) the
// total it carries, or nullopt for a token made without one (as every token was before
// totals rode along). INVALID_ARGUMENT "pageToken is invalid or belongs to another query"
// when the token is malformed, altered, signed under another key or made for another
// fingerprint. Callers should also CheckCursor() it against their order terms.
absl::StatusOr<Cursor> DecodePageToken(absl::string_view key, absl::string_view fingerprint,
                                       absl::string_view token,
                                       absl::optional<int64_t>* total_size = nullptr);

}  // namespace metrocap::query
