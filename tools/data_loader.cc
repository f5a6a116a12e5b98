#include "tools/data_loader.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/json_util.h"

namespace metrocap::tools {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// `status` with `context` in front of its message.
absl::Status Annotate(const absl::Status& status, absl::string_view context) {
  return absl::Status(status.code(), absl::StrCat(context, ": ", status.message()));
}

absl::Status Refused(const grpc::Status& status, absl::string_view name, absl::string_view what) {
  return Annotate(FromGrpcStatus(status), absl::StrCat(name, ": ", what));
}

// The resource's `state` field as its enum value name. FAILED_PRECONDITION when the
// resource has no enum field called `state`: its data cannot name transitions.
absl::StatusOr<std::string> StateOf(const Message& resource) {
  const FieldDescriptor* field = resource.GetDescriptor()->FindFieldByName("state");
  if (field == nullptr || field->type() != FieldDescriptor::TYPE_ENUM || field->is_repeated()) {
    return absl::FailedPreconditionError(
        absl::StrCat(resource.GetDescriptor()->full_name(), " has no enum field `state`"));
  }
  return resource.GetReflection()->GetEnum(resource, field)->name();
}

void SetStringIfPresent(Message* message, absl::string_view field_name, const std::string& value) {
  const FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(std::string(field_name));
  if (field != nullptr && field->type() == FieldDescriptor::TYPE_STRING && !field->is_repeated()) {
    message->GetReflection()->SetString(message, field, value);
  }
}

std::string StringOf(const Message& message, absl::string_view field_name) {
  const FieldDescriptor* field = message.GetDescriptor()->FindFieldByName(std::string(field_name));
  if (field == nullptr || field->type() != FieldDescriptor::TYPE_STRING || field->is_repeated()) {
    return "";
  }
  return message.GetReflection()->GetString(message, field);
}

absl::Status ParseJson(const std::string& json, Message* message) {
  auto parsed = google::protobuf::util::JsonStringToMessage(json, message);
  if (parsed.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(parsed.message().ToString());
}

}  // namespace

std::string Summary(const LoadReport& r) {
  return absl::StrCat(r.created, " created, ", r.present, " already present; ", r.brought_to_state,
                      " brought to their state (", r.transition_calls, " calls), ", r.in_state,
                      " already in it");
}

absl::StatusOr<LoadReport> DataLoader::LoadDirectory(const std::string& dir, std::ostream& log) {
  auto read = [](const std::string& path) -> absl::StatusOr<std::string> {
    std::ifstream in(path);
    if (!in) return absl::NotFoundError(absl::StrCat(path, " cannot be read"));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  LoadReport report;
  ASSIGN_OR_RETURN(std::string order, read(dir + "/ORDER"));
  for (const std::string& file : ParseOrder(order)) {
    std::string path = absl::StrCat(dir, "/", file);
    ASSIGN_OR_RETURN(std::string text, read(path));
    absl::StatusOr<std::vector<DataItem>> items = ParseDataFile(text);
    if (!items.ok()) return Annotate(items.status(), path);
    for (const DataItem& item : *items) {
      absl::Status loaded = LoadItem(item, &report, log);
      if (!loaded.ok()) return Annotate(loaded, path);
    }
  }
  return report;
}

absl::Status DataLoader::LoadItem(const DataItem& item, LoadReport* report, std::ostream& log) {
  ASSIGN_OR_RETURN(ResourceMethods methods, catalog_.ForResource(item.name));
  std::unique_ptr<Message> resource;
  bool exists = false;
  if (methods.get != nullptr) {
    auto get = NewMessage(methods.get->input_type());
    SetStringIfPresent(get.get(), "name", item.name);
    resource = NewMessage(methods.get->output_type());
    grpc::Status status = client_.Call(*methods.get, *get, resource.get());
    if (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND) {
      return Refused(status, item.name, methods.get->name());
    }
    exists = status.ok();
  }
  if (exists) {
    ++report->present;
  } else {
    auto create = NewMessage(methods.create->input_type());
    const FieldDescriptor* body = create->GetDescriptor()->FindFieldByName(methods.body);
    if (body == nullptr || body->type() != FieldDescriptor::TYPE_MESSAGE) {
      return absl::InternalError(
          absl::StrCat(methods.create->full_name(), " has no message field ", methods.body));
    }
    absl::Status parsed =
        ParseJson(item.resource_json, create->GetReflection()->MutableMessage(create.get(), body));
    if (!parsed.ok()) return Annotate(parsed, item.name);
    SetStringIfPresent(create.get(), methods.body + "_id",
                       item.name.substr(item.name.rfind('/') + 1));
    if (methods.has_parent) {
      size_t collection = item.name.rfind('/', item.name.rfind('/') - 1);
      SetStringIfPresent(create.get(), "parent", item.name.substr(0, collection));
    }
    resource = NewMessage(methods.create->output_type());
    grpc::Status status = client_.Call(*methods.create, *create, resource.get());
    if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS && methods.get == nullptr &&
        item.transitions.empty() && item.state.empty()) {
      // Nothing more to learn of it: without a Get, "already exists" is all there is.
      ++report->present;
      return absl::OkStatus();
    }
    if (!status.ok()) return Refused(status, item.name, methods.create->name());
    ++report->created;
  }

  if (item.transitions.empty()) {
    // Without transitions the created state must already be the one the data gives.
    if (item.state.empty()) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::string state, StateOf(*resource));
    if (state == item.state) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(item.name, " is ", state, ", the data says ",
                                                      item.state, " but names no transitions"));
  }
  ASSIGN_OR_RETURN(std::string state, StateOf(*resource));
  std::vector<Transition> pending = PendingTransitions(item.transitions, state);
  if (pending.empty()) {
    ++report->in_state;
    return absl::OkStatus();
  }
  std::string steps;
  for (const Transition& t : pending) {
    ASSIGN_OR_RETURN(const google::protobuf::MethodDescriptor* method,
                     catalog_.CustomMethod(item.name, t.call));
    auto request = NewMessage(method->input_type());
    if (!t.request_json.empty()) {
      absl::Status parsed = ParseJson(t.request_json, request.get());
      if (!parsed.ok()) return Annotate(parsed, absl::StrCat(item.name, " ", t.call, " request"));
    }
    SetStringIfPresent(request.get(), "name", item.name);
    SetStringIfPresent(request.get(), "etag", StringOf(*resource, "etag"));
    auto response = NewMessage(method->output_type());
    grpc::Status status = client_.Call(*method, *request, response.get());
    if (!status.ok()) return Refused(status, item.name, t.call);
    ++report->transition_calls;
    if (response->GetDescriptor() == resource->GetDescriptor()) {
      resource = std::move(response);
    } else if (methods.get != nullptr) {
      auto get = NewMessage(methods.get->input_type());
      SetStringIfPresent(get.get(), "name", item.name);
      status = client_.Call(*methods.get, *get, resource.get());
      if (!status.ok()) return Refused(status, item.name, methods.get->name());
    }
    ASSIGN_OR_RETURN(state, StateOf(*resource));
    if (state != t.state) {
      return absl::FailedPreconditionError(absl::StrCat(item.name, ": after ", t.call, " it is ",
                                                        state, ", the data expects ", t.state));
    }
    absl::StrAppend(&steps, " ", t.call, " -> ", state);
  }
  log << item.name << ":" << steps << "\n";
  ++report->brought_to_state;
  return absl::OkStatus();
}

}  // namespace metrocap::tools
