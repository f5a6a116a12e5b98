#include "common/store/schema.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/timestamp.pb.h"

namespace metrocap::store {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

const Column kNameColumn{"name", "name", ColumnKind::kString};
const Column kCreateTimeColumn{"createTime", "create_time", ColumnKind::kTimestamp};
const Column kUpdateTimeColumn{"updateTime", "update_time", ColumnKind::kTimestamp};

std::string SnakeCase(absl::string_view camel) {
  std::string out;
  for (char c : camel) {
    if (c == '.') {
      out += '_';
    } else if (c >= 'A' && c <= 'Z') {
      out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

// Walks a lowerCamelCase dotted path to its field descriptors.
std::vector<const FieldDescriptor*> ResolvePath(const Descriptor* descriptor,
                                                absl::string_view path) {
  std::vector<const FieldDescriptor*> fields;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    const FieldDescriptor* field =
        descriptor == nullptr ? nullptr : descriptor->FindFieldByCamelcaseName(std::string(part));
    if (field == nullptr) {
      std::fprintf(stderr, "schema: no field %s in %s\n", std::string(path).c_str(),
                   descriptor ? descriptor->full_name().c_str() : "?");
      std::abort();
    }
    fields.push_back(field);
    descriptor = field->message_type();
  }
  return fields;
}

ColumnKind KindOf(const FieldDescriptor* field) {
  if (field->is_repeated()) {
    if (field->type() != FieldDescriptor::TYPE_STRING) {
      std::fprintf(stderr, "schema: repeated field %s must be string\n",
                   field->full_name().c_str());
      std::abort();
    }
    return ColumnKind::kStringList;
  }
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return ColumnKind::kString;
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
      return ColumnKind::kInteger;
    case FieldDescriptor::CPPTYPE_BOOL:
      return ColumnKind::kBool;
    case FieldDescriptor::CPPTYPE_ENUM:
      return ColumnKind::kEnum;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (field->message_type()->full_name() == "google.type.Date") return ColumnKind::kDate;
      if (field->message_type()->full_name() == "google.protobuf.Timestamp") {
        return ColumnKind::kTimestamp;
      }
      break;
    default:
      break;
  }
  std::fprintf(stderr, "schema: field %s cannot be indexed\n", field->full_name().c_str());
  std::abort();
}

int64_t IntegerOf(const Message& message, const FieldDescriptor* field) {
  const Reflection* r = message.GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return r->GetInt32(message, field);
    case FieldDescriptor::CPPTYPE_INT64:
      return r->GetInt64(message, field);
    case FieldDescriptor::CPPTYPE_UINT32:
      return r->GetUInt32(message, field);
    case FieldDescriptor::CPPTYPE_UINT64:
      return static_cast<int64_t>(r->GetUInt64(message, field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return r->GetBool(message, field) ? 1 : 0;
    default:
      return 0;
  }
}

}  // namespace

const Column* ResourceSchema::Find(absl::string_view field) const {
  if (field == kNameColumn.field) return &kNameColumn;
  if (field == kCreateTimeColumn.field) return &kCreateTimeColumn;
  if (field == kUpdateTimeColumn.field) return &kUpdateTimeColumn;
  for (const Column& column : columns) {
    if (column.field == field) return &column;
  }
  return nullptr;
}

ColumnValue ExtractColumn(const Message& message, const Column& column) {
  std::vector<const FieldDescriptor*> path = ResolvePath(message.GetDescriptor(), column.field);
  const Message* current = &message;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    current = &current->GetReflection()->GetMessage(*current, path[i]);
  }
  const FieldDescriptor* field = path.back();
  const Reflection* r = current->GetReflection();
  switch (column.kind) {
    case ColumnKind::kString:
      return r->GetString(*current, field);
    case ColumnKind::kInteger:
    case ColumnKind::kBool:
      return IntegerOf(*current, field);
    case ColumnKind::kEnum:
      return r->GetEnum(*current, field)->name();
    case ColumnKind::kDate: {
      if (!r->HasField(*current, field)) return std::string();
      const Message& date = r->GetMessage(*current, field);
      const Descriptor* d = date.GetDescriptor();
      const Reflection* dr = date.GetReflection();
      return absl::StrFormat("%04d-%02d-%02d", dr->GetInt32(date, d->FindFieldByName("year")),
                             dr->GetInt32(date, d->FindFieldByName("month")),
                             dr->GetInt32(date, d->FindFieldByName("day")));
    }
    case ColumnKind::kTimestamp: {
      if (!r->HasField(*current, field)) return int64_t{0};
      const Message& ts = r->GetMessage(*current, field);
      const Descriptor* d = ts.GetDescriptor();
      const Reflection* tr = ts.GetReflection();
      return tr->GetInt64(ts, d->FindFieldByName("seconds")) * 1000000 +
             tr->GetInt32(ts, d->FindFieldByName("nanos")) / 1000;
    }
    case ColumnKind::kStringList: {
      std::vector<std::string> values;
      int n = r->FieldSize(*current, field);
      for (int i = 0; i < n; ++i) values.push_back(r->GetRepeatedString(*current, field, i));
      return values;
    }
  }
  return std::string();
}

ResourceSchema MakeSchema(std::string table, const Descriptor* descriptor,
                          const std::vector<std::string>& fields) {
  ResourceSchema schema;
  schema.table = std::move(table);
  schema.descriptor = descriptor;
  for (const std::string& field : fields) {
    std::vector<const FieldDescriptor*> path = ResolvePath(descriptor, field);
    std::string sql_name = SnakeCase(field);
    // The store's own columns keep their names; a field that shares one gets a suffix.
    for (const char* reserved :
         {"name", "collection_parent", "data", "version", "create_time", "update_time"}) {
      if (sql_name == reserved) sql_name += "_field";
    }
    schema.columns.push_back(Column{field, sql_name, KindOf(path.back())});
  }
  return schema;
}

}  // namespace metrocap::store
