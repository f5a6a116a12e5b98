#include "tools/data_file.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace metrocap::tools {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr char kTransitionsKey[] = "transitions";

absl::Status Invalid(absl::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

// The string at `key`, or empty when the key is absent or not a string.
std::string StringAt(const Struct& object, const std::string& key) {
  auto it = object.fields().find(key);
  if (it == object.fields().end() || it->second.kind_case() != Value::kStringValue) return "";
  return it->second.string_value();
}

absl::StatusOr<Transition> ParseTransition(const Value& value, absl::string_view where) {
  if (value.kind_case() != Value::kStructValue) {
    return Invalid(where, "a transition must be an object {\"call\", \"state\"}");
  }
  const Struct& object = value.struct_value();
  for (const auto& [key, unused] : object.fields()) {
    if (key != "call" && key != "state" && key != "request") {
      return Invalid(where, absl::StrCat("unknown transition key \"", key, "\""));
    }
  }
  Transition t;
  t.call = StringAt(object, "call");
  t.state = StringAt(object, "state");
  if (t.call.size() < 2 || t.call[0] != ':' || absl::StrContains(t.call, '/')) {
    return Invalid(where, "\"call\" must be a custom method verb such as \":publish\"");
  }
  if (t.state.empty()) return Invalid(where, "\"state\" must name the state the call reaches");
  auto request = object.fields().find("request");
  if (request != object.fields().end()) {
    if (request->second.kind_case() != Value::kStructValue) {
      return Invalid(where, "\"request\" must be an object");
    }
    auto printed = google::protobuf::util::MessageToJsonString(request->second.struct_value(),
                                                               &t.request_json);
    if (!printed.ok()) return Invalid(where, printed.ToString());
  }
  return t;
}

absl::StatusOr<DataItem> ParseItem(const Value& value, int index) {
  std::string where = absl::StrCat("element ", index);
  if (value.kind_case() != Value::kStructValue) return Invalid(where, "not an object");
  Struct object = value.struct_value();
  DataItem item;
  item.name = StringAt(object, "name");
  if (item.name.empty()) return Invalid(where, "no \"name\"");
  where = item.name;
  item.state = StringAt(object, "state");
  auto transitions = object.fields().find(kTransitionsKey);
  if (transitions != object.fields().end()) {
    if (transitions->second.kind_case() != Value::kListValue) {
      return Invalid(where, "\"transitions\" must be an array");
    }
    int n = 0;
    for (const Value& t : transitions->second.list_value().values()) {
      auto parsed = ParseTransition(t, absl::StrCat(where, " transition ", n++));
      if (!parsed.ok()) return parsed.status();
      item.transitions.push_back(*std::move(parsed));
    }
    object.mutable_fields()->erase(kTransitionsKey);
    if (!item.state.empty() && !item.transitions.empty() &&
        item.transitions.back().state != item.state) {
      return Invalid(where,
                     absl::StrCat("\"state\" is ", item.state, " but the last transition reaches ",
                                  item.transitions.back().state));
    }
  }
  auto printed = google::protobuf::util::MessageToJsonString(object, &item.resource_json);
  if (!printed.ok()) return Invalid(where, printed.ToString());
  return item;
}

}  // namespace

absl::StatusOr<std::vector<DataItem>> ParseDataFile(absl::string_view json) {
  google::protobuf::ListValue list;
  auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &list);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a JSON array of resources: ", parsed.message().ToString()));
  }
  std::vector<DataItem> items;
  for (int i = 0; i < list.values_size(); ++i) {
    auto item = ParseItem(list.values(i), i);
    if (!item.ok()) return item.status();
    items.push_back(*std::move(item));
  }
  return items;
}

std::vector<std::string> ParseOrder(absl::string_view text) {
  std::vector<std::string> files;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    files.emplace_back(line);
  }
  return files;
}

std::vector<Transition> PendingTransitions(const std::vector<Transition>& transitions,
                                           absl::string_view current_state) {
  size_t first = 0;
  for (size_t i = 0; i < transitions.size(); ++i) {
    if (transitions[i].state == current_state) first = i + 1;
  }
  return {transitions.begin() + first, transitions.end()};
}

}  // namespace metrocap::tools
