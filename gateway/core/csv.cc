#include "gateway/core/csv.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace metrocap::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// A field's value as CSV text: strings as they are, enums by name, integers in decimal.
std::string TextOf(const Message& row, const FieldDescriptor* field) {
  const Reflection* reflection = row.GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return reflection->GetString(row, field);
    case FieldDescriptor::CPPTYPE_ENUM:
      return reflection->GetEnum(row, field)->name();
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(reflection->GetInt32(row, field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(reflection->GetInt64(row, field));
    default:
      return "";
  }
}

// Whether `field` is a count list: repeated rows with a scalar first field and an
// activity_count.
bool IsCountList(const FieldDescriptor* field) {
  if (!field->is_repeated() || field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return false;
  const Descriptor* row = field->message_type();
  return row->field_count() > 0 && !row->field(0)->is_repeated() &&
         row->field(0)->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE &&
         row->FindFieldByName("activity_count") != nullptr;
}

}  // namespace

bool AcceptsCsv(absl::string_view accept) {
  for (absl::string_view range : absl::StrSplit(accept, ',')) {
    absl::string_view type = absl::StripAsciiWhitespace(range.substr(0, range.find(';')));
    if (absl::EqualsIgnoreCase(type, "text/csv")) return true;
  }
  return false;
}

std::string CsvField(absl::string_view value) {
  if (value.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(value);
  return absl::StrCat("\"", absl::StrReplaceAll(value, {{"\"", "\"\""}}), "\"");
}

absl::optional<std::string> RenderCountsCsv(const Message& response) {
  const Descriptor* descriptor = response.GetDescriptor();
  const Reflection* reflection = response.GetReflection();
  std::string csv = "section,code,title,activityCount\r\n";
  bool any = false;
  if (const FieldDescriptor* total = descriptor->FindFieldByName("activity_count");
      total != nullptr && !total->is_repeated()) {
    absl::StrAppend(&csv, "total,,,", TextOf(response, total), "\r\n");
  }
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* list = descriptor->field(i);
    if (!IsCountList(list)) continue;
    any = true;
    const Descriptor* row_type = list->message_type();
    const FieldDescriptor* title = row_type->FindFieldByName("title");
    if (title == nullptr) title = row_type->FindFieldByName("display_name");
    const FieldDescriptor* count = row_type->FindFieldByName("activity_count");
    for (int r = 0; r < reflection->FieldSize(response, list); ++r) {
      const Message& row = reflection->GetRepeatedMessage(response, list, r);
      absl::StrAppend(
          &csv, CsvField(list->json_name()), ",", CsvField(TextOf(row, row_type->field(0))), ",",
          title == nullptr ? "" : CsvField(TextOf(row, title)), ",", TextOf(row, count), "\r\n");
    }
  }
  if (!any) return absl::nullopt;
  return csv;
}

}  // namespace metrocap::gateway
