#include "gateway/core/transcoder.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/json/json_string.h"
#include "common/status/errors.h"
#include "gateway/core/proto_json.h"
#include "google/protobuf/util/json_util.h"

namespace metrocap::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The JSON name callers use for a field path: "organisation.countryCode".
std::string JsonPath(const std::vector<const FieldDescriptor*>& fields) {
  std::vector<std::string> names;
  for (const auto* field : fields) names.push_back(field->json_name());
  return absl::StrJoin(names, ".");
}

// The JSON token for one textual value of `field`: numbers and booleans bare when they read
// as such (the proto3 JSON parser accepts quoted integers too), dates as objects, the rest
// quoted.
std::string JsonValue(const FieldDescriptor* field, absl::string_view value) {
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
      field->message_type()->full_name() == "google.type.Date") {
    int year, month, day;
    std::vector<absl::string_view> parts = absl::StrSplit(value, '-');
    if (parts.size() == 3 && parts[0].size() == 4 && parts[1].size() == 2 && parts[2].size() == 2 &&
        absl::SimpleAtoi(parts[0], &year) && absl::SimpleAtoi(parts[1], &month) &&
        absl::SimpleAtoi(parts[2], &day)) {
      return absl::StrCat("{\"year\":", year, ",\"month\":", month, ",\"day\":", day, "}");
    }
    return json::Quote(value);
  }
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_BOOL:
      if (value == "true" || value == "false") return std::string(value);
      return json::Quote(value);
    case FieldDescriptor::CPPTYPE_ENUM:
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT64: {
      int64_t i;
      uint64_t u;
      if (absl::SimpleAtoi(value, &i) || absl::SimpleAtoi(value, &u)) return std::string(value);
      return json::Quote(value);
    }
    case FieldDescriptor::CPPTYPE_FLOAT:
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double d;
      if (absl::SimpleAtod(value, &d) && absl::ascii_isdigit(value.back())) {
        return std::string(value);
      }
      return json::Quote(value);
    }
    default:
      return json::Quote(value);
  }
}

absl::Status ParseJsonInto(absl::string_view json, Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), message, options);
  if (status.ok()) return absl::OkStatus();
  // The parser answers "<what>\n<input>\n<caret under the position>"; keep what, and a
  // short excerpt around the caret rather than echoing a large body back.
  std::vector<absl::string_view> lines =
      absl::StrSplit(absl::string_view(status.message().data(), status.message().size()), '\n');
  if (lines.size() < 3) return absl::InvalidArgumentError(SafeText(lines[0]));
  size_t caret = lines[2].find('^');
  if (caret == absl::string_view::npos || caret > lines[1].size()) {
    return absl::InvalidArgumentError(SafeText(lines[0]));
  }
  size_t start = caret > 24 ? caret - 24 : 0;
  return absl::InvalidArgumentError(absl::StrCat(
      SafeText(lines[0]), " At: ", json::Quote(SafeText(lines[1].substr(start, caret - start))),
      " <here> ", json::Quote(SafeText(lines[1].substr(caret, 24)))));
}

// Walks to the message that holds the last field of `fields`, creating the singular
// messages on the way.
Message* ParentOf(Message* root, const std::vector<const FieldDescriptor*>& fields) {
  Message* message = root;
  for (size_t i = 0; i + 1 < fields.size(); ++i) {
    message = message->GetReflection()->MutableMessage(message, fields[i]);
  }
  return message;
}

// Sets (or, for a repeated field, appends) the textual `values` of a field reached by
// `fields`, as a query parameter or path variable would.
absl::Status SetFieldFromText(Message* root, const std::vector<const FieldDescriptor*>& fields,
                              const std::vector<std::string>& values) {
  const FieldDescriptor* leaf = fields.back();
  Message* parent = ParentOf(root, fields);
  const Reflection* reflection = parent->GetReflection();
  // Which of two values was meant is the caller's to say: never pick one.
  if (!leaf->is_repeated() && values.size() > 1) {
    return InvalidField(JsonPath(fields), "is not repeated but was given more than once");
  }
  if (leaf->type() == FieldDescriptor::TYPE_STRING) {
    for (const auto& value : values) {
      if (!json::IsUtf8(value)) return InvalidField(JsonPath(fields), "is not valid UTF-8");
    }
    if (leaf->is_repeated()) {
      for (const auto& value : values) reflection->AddString(parent, leaf, value);
    } else {
      reflection->SetString(parent, leaf, values.front());
    }
    return absl::OkStatus();
  }
  std::string json = json::Quote(leaf->json_name()) + ":";
  if (leaf->is_repeated()) {
    std::vector<std::string> tokens;
    for (const auto& value : values) tokens.push_back(JsonValue(leaf, value));
    absl::StrAppend(&json, "[", absl::StrJoin(tokens, ","), "]");
  } else {
    absl::StrAppend(&json, JsonValue(leaf, values.front()));
  }
  std::unique_ptr<Message> scratch(parent->New());
  absl::Status status = ParseJsonInto(absl::StrCat("{", json, "}"), scratch.get());
  if (!status.ok()) {
    return InvalidField(JsonPath(fields),
                        SafeText(absl::StrCat("invalid value: ", status.message())));
  }
  if (!leaf->is_repeated()) reflection->ClearField(parent, leaf);
  parent->MergeFrom(*scratch);
  return absl::OkStatus();
}

absl::Status ParseBody(const Route& route, absl::string_view body, Message* message) {
  if (absl::StripAsciiWhitespace(body).empty()) return absl::OkStatus();
  if (route.body.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(route.label, " takes no request body; send parameters in the query"));
  }
  absl::Status depth = CheckJsonDepth(body, kMaxJsonDepth);
  if (!depth.ok()) return depth;
  absl::Status status;
  if (route.body == "*") {
    status = ParseJsonInto(body, message);
  } else {
    auto fields = ResolveFieldPath(message->GetDescriptor(), route.body);
    const FieldDescriptor* leaf = fields.back();
    if (leaf->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !leaf->is_repeated()) {
      Message* parent = ParentOf(message, fields);
      status = ParseJsonInto(body, parent->GetReflection()->MutableMessage(parent, leaf));
    } else {
      std::unique_ptr<Message> scratch(ParentOf(message, fields)->New());
      status = ParseJsonInto(absl::StrCat("{", json::Quote(leaf->json_name()), ":", body, "}"),
                             scratch.get());
      if (status.ok()) ParentOf(message, fields)->MergeFrom(*scratch);
    }
  }
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid JSON request body: ", status.message()));
  }
  return absl::OkStatus();
}

// Fills an empty `etag` (top level, or in the body message) from If-Match.
absl::Status ApplyIfMatch(const Route& route, absl::string_view if_match, Message* message) {
  absl::string_view etag = absl::StripAsciiWhitespace(if_match);
  if (etag.empty() || etag == "*") return absl::OkStatus();
  // metrocap etags are already HTTP entity-tags ("\"7\""): the header value is the etag.
  absl::ConsumePrefix(&etag, "W/");
  Message* target = message;
  const FieldDescriptor* field = message->GetDescriptor()->FindFieldByName("etag");
  if (field == nullptr && !route.body.empty() && route.body != "*") {
    auto fields = ResolveFieldPath(message->GetDescriptor(), route.body);
    const FieldDescriptor* body = fields.back();
    if (body->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !body->is_repeated()) {
      target = ParentOf(message, fields)
                   ->GetReflection()
                   ->MutableMessage(ParentOf(message, fields), body);
      field = target->GetDescriptor()->FindFieldByName("etag");
    }
  }
  if (field == nullptr || field->type() != FieldDescriptor::TYPE_STRING || field->is_repeated()) {
    return absl::OkStatus();
  }
  const Reflection* reflection = target->GetReflection();
  std::string current = reflection->GetString(*target, field);
  if (!json::IsUtf8(etag)) return InvalidField("etag", "the If-Match header is not valid UTF-8");
  if (current.empty()) {
    reflection->SetString(target, field, std::string(etag));
  } else if (current != etag) {
    return InvalidField("etag", "differs from the If-Match header");
  }
  return absl::OkStatus();
}

}  // namespace

std::string SafeText(absl::string_view text) {
  std::string out;
  for (char c : text.substr(0, 120)) {
    out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  if (text.size() > 120) out += "...";
  return out;
}

absl::Status CheckJsonDepth(absl::string_view json, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) {
        return absl::InvalidArgumentError(
            absl::StrCat("JSON request body nests deeper than ", max_depth, " levels at byte ", i));
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseQueryString(
    absl::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  auto decode = [](absl::string_view in, std::string* out) {
    out->clear();
    for (size_t i = 0; i < in.size(); ++i) {
      char c = in[i];
      if (c == '+') {
        out->push_back(' ');
      } else if (c == '%') {
        int value = 0;
        if (i + 2 >= in.size() || !absl::ascii_isxdigit(in[i + 1]) ||
            !absl::ascii_isxdigit(in[i + 2])) {
          return false;
        }
        for (int k = 1; k <= 2; ++k) {
          char h = absl::ascii_tolower(in[i + k]);
          value = value * 16 + (absl::ascii_isdigit(h) ? h - '0' : h - 'a' + 10);
        }
        out->push_back(static_cast<char>(value));
        i += 2;
      } else {
        out->push_back(c);
      }
    }
    return true;
  };
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    std::string name, value;
    if (!decode(kv.first, &name) || !decode(kv.second, &value)) {
      return absl::InvalidArgumentError("malformed percent-escape in the query string");
    }
    params.emplace_back(std::move(name), std::move(value));
  }
  return params;
}

absl::StatusOr<std::unique_ptr<Message>> BuildRequestMessage(const RestRequest& request) {
  const Route& route = *request.route;
  const Descriptor* input = route.method->input_type();
  std::unique_ptr<Message> message(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(input)->New());
  absl::Status status = ParseBody(route, request.body, message.get());
  if (!status.ok()) return status;

  for (const auto& [path, value] : request.bindings) {
    // Route building checked that every variable resolves to a singular scalar.
    status = SetFieldFromText(message.get(), ResolveFieldPath(input, path), {value});
    if (!status.ok()) return status;
  }

  if (!request.query.empty()) {
    auto params = ParseQueryString(request.query);
    if (!params.ok()) return params.status();
    // Grouped by the field they set, so `pageSize` and `page_size` are one parameter.
    std::map<std::string, std::vector<std::string>> grouped;
    for (auto& [name, value] : *params) {
      auto fields = ResolveFieldPath(input, name);
      if (fields.empty() || route.body == "*") {
        return InvalidField(SafeText(name), "is not a parameter of this method");
      }
      grouped[JsonPath(fields)].push_back(std::move(value));
    }
    for (const auto& [name, values] : grouped) {
      auto fields = ResolveFieldPath(input, name);
      for (const auto& [path, value] : request.bindings) {
        if (JsonPath(ResolveFieldPath(input, path)) == name) {
          return InvalidField(name, "is set by the request path; it cannot be a parameter too");
        }
      }
      if (fields.back()->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
          fields.back()->message_type()->file()->package() != "google.protobuf" &&
          fields.back()->message_type()->full_name() != "google.type.Date") {
        return InvalidField(name, "is a message; set its fields one by one (a.b=...)");
      }
      status = SetFieldFromText(message.get(), fields, values);
      if (!status.ok()) return status;
    }
  }
  status = ApplyIfMatch(route, request.if_match, message.get());
  if (!status.ok()) return status;
  return message;
}

absl::Status RenderResponseJson(const Route& route, const Message& response, std::string* json) {
  const Message* printed = &response;
  std::unique_ptr<Message> only_field;
  const FieldDescriptor* field = nullptr;
  if (!route.response_body.empty()) {
    field = ResolveFieldPath(response.GetDescriptor(), route.response_body).front();
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated()) {
      printed = &response.GetReflection()->GetMessage(response, field);
      field = nullptr;
    } else {
      only_field.reset(response.New());
      only_field->CopyFrom(response);
      std::vector<const FieldDescriptor*> set;
      only_field->GetReflection()->ListFields(*only_field, &set);
      for (const auto* other : set) {
        if (other != field) only_field->GetReflection()->ClearField(only_field.get(), other);
      }
      printed = only_field.get();
    }
  }
  if (!PrintJson(*printed, json)) return absl::InternalError("cannot render the response as JSON");
  if (field != nullptr) {
    // {"field":<value>} -> <value>; an unset field prints as {} and means the default.
    std::string prefix = absl::StrCat("{", json::Quote(field->json_name()), ":");
    if (absl::StartsWith(*json, prefix)) {
      *json = json->substr(prefix.size(), json->size() - prefix.size() - 1);
    } else {
      *json = field->is_repeated() ? "[]" : "null";
    }
  }
  return absl::OkStatus();
}

std::string ResponseEtag(const Message& response) {
  const FieldDescriptor* field = response.GetDescriptor()->FindFieldByName("etag");
  if (field == nullptr || field->type() != FieldDescriptor::TYPE_STRING || field->is_repeated()) {
    return "";
  }
  return response.GetReflection()->GetString(response, field);
}

}  // namespace metrocap::gateway
