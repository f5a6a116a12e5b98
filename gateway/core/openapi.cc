#include "gateway/core/openapi.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/api/field_behavior.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"

namespace metrocap::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::ListValue;
using google::protobuf::Struct;
using google::protobuf::Value;

Value Str(absl::string_view s) {
  Value v;
  v.set_string_value(std::string(s));
  return v;
}
Value Bool(bool b) {
  Value v;
  v.set_bool_value(b);
  return v;
}
Value Obj(std::initializer_list<std::pair<const char*, Value>> fields) {
  Value v;
  auto* s = v.mutable_struct_value()->mutable_fields();
  for (const auto& [key, value] : fields) (*s)[key] = value;
  return v;
}
Value Ref(absl::string_view schema) {
  return Obj({{"$ref", Str(absl::StrCat("#/components/schemas/", schema))}});
}
Struct* Fields(Value* v) { return v->mutable_struct_value(); }
Value& At(Value* v, const std::string& key) { return (*Fields(v)->mutable_fields())[key]; }

// Generates component schemas for messages on demand; `pending` holds those referenced but
// not yet written, so recursive messages terminate.
class SchemaWriter {
 public:
  explicit SchemaWriter(Value* schemas) : schemas_(schemas) {}

  Value ForMessage(const Descriptor* message) {
    const std::string& name = message->full_name();
    if (name == "google.protobuf.Timestamp") {
      return Obj({{"type", Str("string")}, {"format", Str("date-time")}});
    }
    if (name == "google.protobuf.Duration") {
      return Obj({{"type", Str("string")}, {"example", Str("1.5s")}});
    }
    if (name == "google.protobuf.FieldMask") {
      return Obj({{"type", Str("string")},
                  {"description", Str("Comma-separated lowerCamelCase field paths.")}});
    }
    if (name == "google.protobuf.Empty" || name == "google.protobuf.Struct") {
      return Obj({{"type", Str("object")}});
    }
    if (name == "google.protobuf.Value") return Obj({});
    if (name == "google.protobuf.ListValue") {
      return Obj({{"type", Str("array")}, {"items", Obj({})}});
    }
    if (name == "google.protobuf.Any") {
      Value any = Obj({{"type", Str("object")}, {"additionalProperties", Bool(true)}});
      At(&any, "properties") = Obj({{"@type", Obj({{"type", Str("string")}})}});
      return any;
    }
    if (message->file()->name() == "google/protobuf/wrappers.proto") {
      return ForField(message->FindFieldByName("value"), /*ignore_repeated=*/false);
    }
    if (written_.insert(name).second) Write(message);
    return Ref(name);
  }

  Value ForField(const FieldDescriptor* field, bool ignore_repeated) {
    if (field->is_map()) {
      return Obj({{"type", Str("object")},
                  {"additionalProperties",
                   ForField(field->message_type()->FindFieldByName("value"), false)}});
    }
    Value item;
    switch (field->type()) {
      case FieldDescriptor::TYPE_STRING:
        item = Obj({{"type", Str("string")}});
        break;
      case FieldDescriptor::TYPE_BYTES:
        item = Obj({{"type", Str("string")}, {"format", Str("byte")}});
        break;
      case FieldDescriptor::TYPE_BOOL:
        item = Obj({{"type", Str("boolean")}});
        break;
      case FieldDescriptor::TYPE_FLOAT:
        item = Obj({{"type", Str("number")}, {"format", Str("float")}});
        break;
      case FieldDescriptor::TYPE_DOUBLE:
        item = Obj({{"type", Str("number")}, {"format", Str("double")}});
        break;
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_SFIXED32:
        item = Obj({{"type", Str("integer")}, {"format", Str("int32")}});
        break;
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32:
        item = Obj({{"type", Str("integer")}, {"format", Str("uint32")}});
        break;
      case FieldDescriptor::TYPE_ENUM: {
        item = Obj({{"type", Str("string")}});
        ListValue* names = At(&item, "enum").mutable_list_value();
        for (int i = 0; i < field->enum_type()->value_count(); ++i) {
          *names->add_values() = Str(field->enum_type()->value(i)->name());
        }
        break;
      }
      case FieldDescriptor::TYPE_MESSAGE:
      case FieldDescriptor::TYPE_GROUP:
        item = ForMessage(field->message_type());
        break;
      default:  // 64-bit integers: strings in the canonical JSON mapping.
        item =
            Obj({{"type", Str("string")},
                 {"format",
                  Str(field->cpp_type() == FieldDescriptor::CPPTYPE_UINT64 ? "uint64" : "int64")}});
    }
    if (field->is_repeated() && !ignore_repeated) {
      return Obj({{"type", Str("array")}, {"items", item}});
    }
    return item;
  }

 private:
  // Output-only fields (google.api.field_behavior) are readOnly: a client may send them
  // back, and the server ignores them (AIP-203). Required ones are listed in `required`.
  void Write(const Descriptor* message) {
    Value schema = Obj({{"type", Str("object")}});
    Value properties = Obj({});
    ListValue required;
    for (int i = 0; i < message->field_count(); ++i) {
      const FieldDescriptor* field = message->field(i);
      Value property = ForField(field, false);
      if (HasBehavior(field, google::api::OUTPUT_ONLY)) {
        // A $ref cannot carry siblings in OpenAPI 3.0: wrap it in allOf.
        if (Fields(&property)->fields().count("$ref") != 0) {
          Value wrapped;
          *At(&wrapped, "allOf").mutable_list_value()->add_values() = property;
          property = wrapped;
        }
        At(&property, "readOnly") = Bool(true);
      }
      if (HasBehavior(field, google::api::REQUIRED)) {
        *required.add_values() = Str(field->json_name());
      }
      At(&properties, field->json_name()) = property;
    }
    At(&schema, "properties") = properties;
    if (required.values_size() > 0) *At(&schema, "required").mutable_list_value() = required;
    At(schemas_, message->full_name()) = schema;
  }

  static bool HasBehavior(const FieldDescriptor* field, google::api::FieldBehavior behavior) {
    const auto& behaviors = field->options().GetRepeatedExtension(google::api::field_behavior);
    return std::find(behaviors.begin(), behaviors.end(), behavior) != behaviors.end();
  }

  Value* schemas_;
  std::set<std::string> written_;
};

std::string Singular(absl::string_view collection) {
  std::string s(collection);
  if (absl::EndsWith(s, "ies")) return s.substr(0, s.size() - 3) + "y";
  if (absl::EndsWith(s, "sses")) return s.substr(0, s.size() - 2);
  if (absl::EndsWith(s, "s") && s.size() > 1) return s.substr(0, s.size() - 1);
  return s + "Id";
}

std::string JsonFieldPath(const Descriptor* message, absl::string_view path) {
  std::vector<std::string> names;
  for (const auto* field : ResolveFieldPath(message, path)) names.push_back(field->json_name());
  return absl::StrJoin(names, ".");
}

// The OpenAPI path of a template and its path parameters.
std::string OpenApiPath(const Route& route, std::vector<Value>* parameters) {
  const auto& segments = route.path.segments();
  std::vector<std::string> parts;
  std::set<std::string> used;
  for (size_t i = 0; i < segments.size(); ++i) {
    const auto& segment = segments[i];
    if (segment.kind == PathTemplate::Segment::Kind::kLiteral) {
      parts.push_back(segment.literal);
      continue;
    }
    std::string variable;
    for (const auto& v : route.path.variables()) {
      size_t first = static_cast<size_t>(v.first_segment);
      size_t end = v.segment_count < 0 ? segments.size() : first + v.segment_count;
      if (i >= first && i < end) variable = v.field_path;
    }
    std::string name;
    if (!variable.empty() && route.path.variables().size() == 1 && segments.size() > 0 && i > 0 &&
        segments[i - 1].kind == PathTemplate::Segment::Kind::kLiteral &&
        segments[i - 1].literal != "v1") {
      name = Singular(segments[i - 1].literal);
    } else if (!variable.empty()) {
      name = JsonFieldPath(route.method->input_type(), variable);
    } else {
      name = absl::StrCat("segment", i);
    }
    while (!used.insert(name).second) name += "_";
    parts.push_back(absl::StrCat("{", name, "}"));
    std::string description =
        variable.empty() ? "A path segment."
                         : absl::StrCat("Part of the request field `",
                                        JsonFieldPath(route.method->input_type(), variable), "`.");
    if (segment.kind == PathTemplate::Segment::Kind::kMulti) {
      description += " May span several segments.";
    }
    parameters->push_back(Obj({{"name", Str(name)},
                               {"in", Str("path")},
                               {"required", Bool(true)},
                               {"description", Str(description)},
                               {"schema", Obj({{"type", Str("string")}})}}));
  }
  std::string path = absl::StrCat("/", absl::StrJoin(parts, "/"));
  if (!route.path.verb().empty()) absl::StrAppend(&path, ":", route.path.verb());
  return path;
}

// Query parameters: every scalar (or repeated scalar) leaf not bound by the path or body.
void QueryParameters(const Descriptor* message, const std::string& prefix,
                     const std::set<std::string>& bound, SchemaWriter* writer, int depth,
                     std::vector<Value>* parameters) {
  for (int i = 0; i < message->field_count(); ++i) {
    const FieldDescriptor* field = message->field(i);
    std::string name = prefix + field->json_name();
    if (bound.count(name) > 0 || field->is_map()) continue;
    bool plain_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                         field->message_type()->file()->package() != "google.protobuf" &&
                         field->message_type()->full_name() != "google.type.Date";
    if (plain_message) {
      if (!field->is_repeated() && depth < 3) {
        QueryParameters(field->message_type(), name + ".", bound, writer, depth + 1, parameters);
      }
      continue;
    }
    Value parameter = Obj(
        {{"name", Str(name)}, {"in", Str("query")}, {"schema", writer->ForField(field, false)}});
    if (field->message_type() != nullptr &&
        field->message_type()->full_name() == "google.type.Date") {
      At(&parameter, "schema") = Obj({{"type", Str("string")}, {"format", Str("date")}});
    }
    if (field->is_repeated()) {
      At(&parameter, "explode") = Bool(true);
      At(&parameter, "style") = Str("form");
    }
    parameters->push_back(parameter);
  }
}

}  // namespace

std::string OpenApiDocument(const RouteTable& routes, absl::string_view title) {
  google::rpc::Status::descriptor();
  Value document = Obj(
      {{"openapi", Str("3.0.3")}, {"info", Obj({{"title", Str(title)}, {"version", Str("v1")}})}});
  Value schemas = Obj({});
  SchemaWriter writer(&schemas);
  Value error_schema = writer.ForMessage(google::rpc::Status::descriptor());
  Value paths = Obj({});
  std::map<std::string, int> operation_ids;

  for (const auto& route_ptr : routes.routes()) {
    const Route& route = *route_ptr;
    const Descriptor* input = route.method->input_type();
    std::vector<Value> parameters;
    std::string path = OpenApiPath(route, &parameters);

    Value operation = Obj({});
    std::string id = absl::StrCat(route.method->service()->name(), "_", route.method->name());
    int seen = operation_ids[id]++;
    if (seen > 0) absl::StrAppend(&id, "_", seen + 1);
    At(&operation, "operationId") = Str(id);
    *At(&operation, "tags").mutable_list_value()->add_values() =
        Str(route.method->service()->name());

    std::set<std::string> bound;
    for (const auto& v : route.path.variables()) bound.insert(JsonFieldPath(input, v.field_path));
    if (route.body.empty() || route.body != "*") {
      if (!route.body.empty()) bound.insert(JsonFieldPath(input, route.body));
      QueryParameters(input, "", bound, &writer, 0, &parameters);
    }
    ListValue* parameter_list = At(&operation, "parameters").mutable_list_value();
    for (auto& parameter : parameters) *parameter_list->add_values() = parameter;

    if (!route.body.empty()) {
      Value body_schema = route.body == "*"
                              ? writer.ForMessage(input)
                              : writer.ForField(ResolveFieldPath(input, route.body).back(), false);
      At(&operation, "requestBody") =
          Obj({{"required", Bool(route.body != "*")},
               {"content", Obj({{"application/json", Obj({{"schema", body_schema}})}})}});
    }
    const Descriptor* output = route.method->output_type();
    Value response_schema =
        route.response_body.empty()
            ? writer.ForMessage(output)
            : writer.ForField(ResolveFieldPath(output, route.response_body).back(), false);
    At(&operation, "responses") =
        Obj({{"200",
              Obj({{"description", Str("OK")},
                   {"content", Obj({{"application/json", Obj({{"schema", response_schema}})}})}})},
             {"default",
              Obj({{"description", Str("An error, as google.rpc.Status.")},
                   {"content", Obj({{"application/json", Obj({{"schema", error_schema}})}})}})}});

    Value& path_item = At(&paths, path);
    if (path_item.kind_case() != Value::kStructValue) path_item = Obj({});
    At(&path_item, absl::AsciiStrToLower(route.http_method)) = operation;
  }

  At(&document, "paths") = paths;
  Value security_scheme = Obj({{"type", Str("http")},
                               {"scheme", Str("bearer")},
                               {"description", Str("A metrocap API key.")}});
  At(&document, "components") =
      Obj({{"schemas", schemas}, {"securitySchemes", Obj({{"apiKey", security_scheme}})}});
  *At(&document, "security").mutable_list_value()->add_values() = Obj({{"apiKey", Value()}});
  // An empty scope list: [] rather than null.
  At(&At(&document, "security").mutable_list_value()->mutable_values()->at(0), "apiKey")
      .mutable_list_value();

  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  google::protobuf::util::MessageToJsonString(document, &json, options);
  return json;
}

}  // namespace metrocap::gateway
