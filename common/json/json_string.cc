#include "common/json/json_string.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace metrocap::json {
namespace {

// The length of the well-formed UTF-8 sequence at the start of `text`, or 0 when its first
// byte does not start one.
size_t SequenceLength(absl::string_view text) {
  static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};  // No overlongs.
  unsigned char lead = text[0];
  size_t length = lead < 0x80           ? 1
                  : (lead >> 5) == 0x6  ? 2
                  : (lead >> 4) == 0xe  ? 3
                  : (lead >> 3) == 0x1e ? 4
                                        : 0;
  if (length == 0 || text.size() < length) return 0;
  uint32_t code = length == 1 ? lead : lead & (0x7f >> length);
  for (size_t k = 1; k < length; ++k) {
    unsigned char next = text[k];
    if ((next & 0xc0) != 0x80) return 0;
    code = (code << 6) | (next & 0x3f);
  }
  if (code < kSmallest[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    return 0;
  }
  return length;
}

}  // namespace

bool IsUtf8(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    size_t length = SequenceLength(text.substr(i));
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string Quote(absl::string_view text) {
  std::string out;
  AppendQuoted(&out, text);
  return out;
}

void AppendQuoted(std::string* out_ptr, absl::string_view text) {
  std::string& out = *out_ptr;
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  for (size_t i = 0; i < text.size();) {
    size_t length = SequenceLength(text.substr(i));
    if (length == 0) {
      out += "\xef\xbf\xbd";  // U+FFFD for the one byte that starts no sequence.
      ++i;
      continue;
    }
    if (length > 1) {
      out.append(text.data() + i, length);
      i += length;
      continue;
    }
    unsigned char c = text[i++];
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20 || c == 0x7f) {
      absl::StrAppend(&out, "\\u00", absl::Hex(c, absl::kZeroPad2));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
}

}  // namespace metrocap::json
