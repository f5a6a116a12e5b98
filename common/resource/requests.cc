#include "common/resource/requests.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/field_mask.pb.h"

namespace metrocap::resource {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

[[noreturn]] void Crash(const std::string& what) {
  std::fprintf(stderr, "resource: %s\n", what.c_str());
  std::abort();
}

// The field `name` of `message` when it has the type `type`; nullptr when absent; crashes
// when present with another type (or required and absent).
const FieldDescriptor* FieldOf(const Descriptor* message, const std::string& name,
                               FieldDescriptor::CppType type, bool required) {
  const FieldDescriptor* field = message->FindFieldByName(name);
  if (field == nullptr) {
    if (required) Crash(absl::StrCat(message->full_name(), " has no field ", name));
    return nullptr;
  }
  if (field->cpp_type() != type || field->is_repeated()) {
    Crash(absl::StrCat(message->full_name(), ".", name, " has an unexpected type"));
  }
  return field;
}

const FieldDescriptor* StringField(const Descriptor* message, const std::string& name,
                                   bool required = false) {
  return FieldOf(message, name, FieldDescriptor::CPPTYPE_STRING, required);
}

// The singular field of message type `type` in `message`, or nullptr.
const FieldDescriptor* MessageField(const Descriptor* message, const Descriptor* type) {
  for (int i = 0; i < message->field_count(); ++i) {
    const FieldDescriptor* f = message->field(i);
    if (!f->is_repeated() && f->message_type() == type) return f;
  }
  return nullptr;
}

const FieldDescriptor* RepeatedField(const Descriptor* message, const Descriptor* type) {
  for (int i = 0; i < message->field_count(); ++i) {
    const FieldDescriptor* f = message->field(i);
    if (f->is_repeated() && f->message_type() == type) return f;
  }
  return nullptr;
}

std::string ActionOf(const std::string& method) {
  size_t end = 1;
  while (end < method.size() && !std::isupper(static_cast<unsigned char>(method[end]))) ++end;
  std::string action = method.substr(0, end);
  action[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(action[0])));
  return action;
}

RequestFields FieldsOf(const MethodDescriptor* method, Verb verb, const Descriptor* resource) {
  const Descriptor* in = method->input_type();
  RequestFields f;
  f.verb = verb;
  f.method = method->name();
  f.action = ActionOf(f.method);
  f.request_id = StringField(in, "request_id");
  f.parent = StringField(in, "parent");
  switch (verb) {
    case Verb::kGet:
    case Verb::kDelete:
    case Verb::kCustom:
      f.name = StringField(in, "name", /*required=*/true);
      f.etag = StringField(in, "etag");
      break;
    case Verb::kList:
      f.page_size = FieldOf(in, "page_size", FieldDescriptor::CPPTYPE_INT32, true);
      f.page_token = StringField(in, "page_token", true);
      f.filter = StringField(in, "filter");
      f.order_by = StringField(in, "order_by");
      f.items = RepeatedField(method->output_type(), resource);
      f.next_page_token = StringField(method->output_type(), "next_page_token", true);
      f.total_size =
          FieldOf(method->output_type(), "total_size", FieldDescriptor::CPPTYPE_INT32, false);
      break;
    case Verb::kCreate:
    case Verb::kUpdate:
      f.resource = MessageField(in, resource);
      if (f.resource == nullptr) {
        Crash(absl::StrCat(in->full_name(), " has no ", resource->full_name(), " field"));
      }
      if (verb == Verb::kCreate) f.id = StringField(in, f.resource->name() + "_id");
      if (verb == Verb::kUpdate) {
        f.update_mask = MessageField(in, google::protobuf::FieldMask::descriptor());
      }
      break;
  }
  return f;
}

}  // namespace

RequestTable::RequestTable(const Descriptor* resource) {
  const google::protobuf::FileDescriptor* file = resource->file();
  for (int s = 0; s < file->service_count(); ++s) {
    const google::protobuf::ServiceDescriptor* service = file->service(s);
    std::string get_suffix;
    for (int m = 0; m < service->method_count(); ++m) {
      const MethodDescriptor* method = service->method(m);
      const std::string& name = method->name();
      if (method->output_type() == resource) {
        Verb verb = absl::StartsWith(name, "Get")      ? Verb::kGet
                    : absl::StartsWith(name, "Create") ? Verb::kCreate
                    : absl::StartsWith(name, "Update") ? Verb::kUpdate
                                                       : Verb::kCustom;
        if (verb == Verb::kGet) get_suffix = name.substr(3);
        if (verb == Verb::kCustom && method->input_type()->FindFieldByName("name") == nullptr) {
          continue;  // not a method on one resource of this type
        }
        methods_[method->input_type()] = FieldsOf(method, verb, resource);
      } else if (absl::StartsWith(name, "List") &&
                 RepeatedField(method->output_type(), resource) != nullptr) {
        methods_[method->input_type()] = FieldsOf(method, Verb::kList, resource);
      }
    }
    if (get_suffix.empty()) continue;
    if (const MethodDescriptor* del = service->FindMethodByName("Delete" + get_suffix)) {
      methods_[del->input_type()] = FieldsOf(del, Verb::kDelete, resource);
    }
  }
}

const RequestFields& RequestTable::Of(const google::protobuf::Message& request, Verb verb) const {
  auto it = methods_.find(request.GetDescriptor());
  if (it == methods_.end() || it->second.verb != verb) {
    Crash(absl::StrCat(request.GetDescriptor()->full_name(),
                       " is not the request of that method of the declared resource"));
  }
  return it->second;
}

std::string StringOf(const google::protobuf::Message& message, const FieldDescriptor* field) {
  if (field == nullptr) return "";
  return message.GetReflection()->GetString(message, field);
}

}  // namespace metrocap::resource
