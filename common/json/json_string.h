#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace metrocap::json {

// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF), which proto3 requires of string fields.
bool IsUtf8(absl::string_view text);

// `text` as a JSON string literal, quotes included, that every JSON parser accepts whatever
// the bytes: '"' and '\' are escaped, control characters (U+0000-U+001F and U+007F) are
// written as \u00XX, and each byte that does not belong to a well-formed UTF-8 sequence
// becomes U+FFFD (the replacement character), so an invalid sequence of n bytes reads as n
// replacement characters. Valid UTF-8 passes through unchanged.
std::string Quote(absl::string_view text);
// The same literal, appended to `*out` (no string of its own: for hot paths that reuse one).
void AppendQuoted(std::string* out, absl::string_view text);

}  // namespace metrocap::json
