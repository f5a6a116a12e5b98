#include "gateway/core/proto_json.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/json/json_string.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/strutil.h"
#include "google/protobuf/util/json_util.h"

namespace metrocap::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range proto3 JSON allows.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;

void AppendHex4(uint32_t unit, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  char text[6] = {'\\',
                  'u',
                  kHex[(unit >> 12) & 0xf],
                  kHex[(unit >> 8) & 0xf],
                  kHex[(unit >> 4) & 0xf],
                  kHex[unit & 0xf]};
  out->append(text, sizeof(text));
}

// Code points protobuf's printer writes as \uXXXX although JSON allows them raw: the C0 and
// C1 controls, '<' and '>' (for HTML), and invisible or formatting characters that
// JavaScript mishandles.
bool PrintedEscaped(uint32_t cp) {
  return cp < 0x20 || cp == '<' || cp == '>' || (cp >= 0x7f && cp < 0xa0) || cp == 0xad ||
         (cp >= 0x600 && cp <= 0x603) || cp == 0x6dd || cp == 0x70f || cp == 0x17b4 ||
         cp == 0x17b5 || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
         (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x206a && cp <= 0x206f) || cp == 0xfeff ||
         (cp >= 0xfff9 && cp <= 0xfffb) || cp == 0xe0001 || (cp >= 0x1d173 && cp <= 0x1d17a) ||
         (cp >= 0xe0020 && cp <= 0xe007f);
}

// `text` (well-formed UTF-8) as a JSON string literal, escaped as protobuf's printer does.
// Runs that need no escaping are copied whole.
void AppendString(absl::string_view text, std::string* out) {
  out->push_back('"');
  size_t copied = 0;  // text[copied, i) is pending, unescaped.
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead >= 0x20 && lead < 0x7f && lead != '"' && lead != '\\' && lead != '<' && lead != '>') {
      ++i;
      continue;
    }
    size_t length = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    uint32_t cp = length == 1   ? lead
                  : length == 2 ? lead & 0x1f
                  : length == 3 ? lead & 0x0f
                                : lead & 0x07;
    for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (text[i + k] & 0x3f);
    if (cp != '"' && cp != '\\' && !PrintedEscaped(cp)) {
      i += length;
      continue;
    }
    out->append(text.data() + copied, i - copied);
    if (cp == '"' || cp == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(cp));
    } else if (cp == '\b' || cp == '\t' || cp == '\n' || cp == '\f' || cp == '\r') {
      out->push_back('\\');
      out->push_back(cp == '\b'   ? 'b'
                     : cp == '\t' ? 't'
                     : cp == '\n' ? 'n'
                     : cp == '\f' ? 'f'
                                  : 'r');
    } else if (cp < 0x10000) {
      AppendHex4(cp, out);
    } else {  // A UTF-16 surrogate pair.
      AppendHex4(0xd800 + ((cp - 0x10000) >> 10), out);
      AppendHex4(0xdc00 + ((cp - 0x10000) & 0x3ff), out);
    }
    i += length;
    copied = i;
  }
  out->append(text.data() + copied, text.size() - copied);
  out->push_back('"');
}

// Finite numbers bare in protobuf's shortest round-trip form; the others as quoted names.
template <typename Float>
void AppendFloat(Float value, std::string* out) {
  if (std::isnan(value)) {
    out->append("\"NaN\"");
  } else if (std::isinf(value)) {
    out->append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else if constexpr (sizeof(Float) == sizeof(float)) {
    out->append(google::protobuf::SimpleFtoa(value));
  } else {
    out->append(google::protobuf::SimpleDtoa(value));
  }
}

bool AppendMessage(const Message& message, std::string* out);

// One value of `field` (index `index` when repeated).
bool AppendValue(const Message& message, const FieldDescriptor* field, int index,
                 std::string* out) {
  const Reflection* r = message.GetReflection();
  const bool repeated = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      absl::StrAppend(
          out, repeated ? r->GetRepeatedInt32(message, field, index) : r->GetInt32(message, field));
      return true;
    case FieldDescriptor::CPPTYPE_UINT32:
      absl::StrAppend(out, repeated ? r->GetRepeatedUInt32(message, field, index)
                                    : r->GetUInt32(message, field));
      return true;
    case FieldDescriptor::CPPTYPE_INT64:
      absl::StrAppend(
          out, "\"",
          repeated ? r->GetRepeatedInt64(message, field, index) : r->GetInt64(message, field),
          "\"");
      return true;
    case FieldDescriptor::CPPTYPE_UINT64:
      absl::StrAppend(
          out, "\"",
          repeated ? r->GetRepeatedUInt64(message, field, index) : r->GetUInt64(message, field),
          "\"");
      return true;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      AppendFloat(
          repeated ? r->GetRepeatedDouble(message, field, index) : r->GetDouble(message, field),
          out);
      return true;
    case FieldDescriptor::CPPTYPE_FLOAT:
      AppendFloat(
          repeated ? r->GetRepeatedFloat(message, field, index) : r->GetFloat(message, field), out);
      return true;
    case FieldDescriptor::CPPTYPE_BOOL:
      out->append(
          (repeated ? r->GetRepeatedBool(message, field, index) : r->GetBool(message, field))
              ? "true"
              : "false");
      return true;
    case FieldDescriptor::CPPTYPE_ENUM: {
      if (field->enum_type()->full_name() == "google.protobuf.NullValue") return false;
      int number = repeated ? r->GetRepeatedEnumValue(message, field, index)
                            : r->GetEnumValue(message, field);
      const auto* value = field->enum_type()->FindValueByNumber(number);
      if (value == nullptr) {
        absl::StrAppend(out, number);  // A number this binary does not know: as a number.
      } else {
        AppendString(value->name(), out);
      }
      return true;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      if (field->type() == FieldDescriptor::TYPE_BYTES) return false;
      std::string scratch;
      const std::string& text = repeated
                                    ? r->GetRepeatedStringReference(message, field, index, &scratch)
                                    : r->GetStringReference(message, field, &scratch);
      if (!json::IsUtf8(text)) return false;
      AppendString(text, out);
      return true;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return AppendMessage(
          repeated ? r->GetRepeatedMessage(message, field, index) : r->GetMessage(message, field),
          out);
  }
  return false;
}

void AppendDigits(int64_t value, int width, std::string* out) {
  char digits[20];
  for (int k = width - 1; k >= 0; --k, value /= 10) digits[k] = static_cast<char>('0' + value % 10);
  out->append(digits, width);
}

// RFC 3339 in UTC as protobuf prints it: "2026-12-07T09:30:00Z", with 3, 6 or 9 digits of
// fraction when there is one.
bool AppendTimestamp(const Message& message, std::string* out) {
  const Descriptor* descriptor = message.GetDescriptor();
  const Reflection* r = message.GetReflection();
  const int64_t seconds = r->GetInt64(message, descriptor->FindFieldByNumber(1));
  const int32_t nanos = r->GetInt32(message, descriptor->FindFieldByNumber(2));
  if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds || nanos < 0 ||
      nanos > 999999999) {
    return false;
  }
  // Civil-time arithmetic from the epoch: UTC without a time zone lookup.
  const absl::CivilSecond civil = absl::CivilSecond(1970, 1, 1) + seconds;
  out->push_back('"');
  AppendDigits(civil.year(), 4, out);
  out->push_back('-');
  AppendDigits(civil.month(), 2, out);
  out->push_back('-');
  AppendDigits(civil.day(), 2, out);
  out->push_back('T');
  AppendDigits(civil.hour(), 2, out);
  out->push_back(':');
  AppendDigits(civil.minute(), 2, out);
  out->push_back(':');
  AppendDigits(civil.second(), 2, out);
  if (nanos != 0) {
    out->push_back('.');
    if (nanos % 1000000 == 0) {
      AppendDigits(nanos / 1000000, 3, out);
    } else if (nanos % 1000 == 0) {
      AppendDigits(nanos / 1000, 6, out);
    } else {
      AppendDigits(nanos, 9, out);
    }
  }
  out->append("Z\"");
  return true;
}

bool AppendMessage(const Message& message, std::string* out) {
  const Descriptor* descriptor = message.GetDescriptor();
  if (descriptor->file()->package() == "google.protobuf") {
    if (descriptor->full_name() == "google.protobuf.Timestamp") {
      return AppendTimestamp(message, out);
    }
    if (descriptor->full_name() != "google.protobuf.Empty") return false;
  }
  // Fields in number order, as protobuf prints them; only those set (no defaults).
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  out->push_back('{');
  for (size_t i = 0; i < fields.size(); ++i) {
    const FieldDescriptor* field = fields[i];
    if (field->is_map() || field->is_extension()) return false;
    if (i > 0) out->push_back(',');
    AppendString(field->json_name(), out);
    out->push_back(':');
    if (!field->is_repeated()) {
      if (!AppendValue(message, field, 0, out)) return false;
      continue;
    }
    out->push_back('[');
    const int size = message.GetReflection()->FieldSize(message, field);
    for (int k = 0; k < size; ++k) {
      if (k > 0) out->push_back(',');
      if (!AppendValue(message, field, k, out)) return false;
    }
    out->push_back(']');
  }
  out->push_back('}');
  return true;
}

}  // namespace

bool AppendProtoJson(const Message& message, std::string* json) {
  return AppendMessage(message, json);
}

bool PrintJson(const Message& message, std::string* json) {
  json->clear();
  json->reserve(512);
  if (AppendProtoJson(message, json)) return true;
  json->clear();
  return google::protobuf::util::MessageToJsonString(message, json).ok();
}

}  // namespace metrocap::gateway
