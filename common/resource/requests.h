#pragma once

#include <map>
#include <string>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace metrocap::resource {

// The standard and custom methods of one resource type, found by reflection over the
// services of the type's proto file, with the request fields each one has. Built once per
// declared resource; a method whose messages do not have the shape the AIPs give it is a
// programmer's error and crashes the build of the table, never a request.
//
// A method belongs to resource type T when it returns T (Get*, Create*, Update*, and custom
// methods such as PublishFramework, which need a `name` field), returns a response with a
// repeated T field (List*), or is Delete<X> for the Get<X> above.
enum class Verb { kGet, kList, kCreate, kUpdate, kDelete, kCustom };

struct RequestFields {
  Verb verb;
  std::string method;  // "CreateFramework": logged, and the key of request ids
  std::string action;  // "create", "publish": the method's first word, lower case
  // Request fields; nullptr where the request has none.
  const google::protobuf::FieldDescriptor* name = nullptr;
  const google::protobuf::FieldDescriptor* parent = nullptr;
  const google::protobuf::FieldDescriptor* resource = nullptr;  // the T field of Create/Update
  const google::protobuf::FieldDescriptor* id = nullptr;        // "<resource>_id" of Create
  const google::protobuf::FieldDescriptor* update_mask = nullptr;
  const google::protobuf::FieldDescriptor* etag = nullptr;
  const google::protobuf::FieldDescriptor* request_id = nullptr;
  const google::protobuf::FieldDescriptor* page_size = nullptr;
  const google::protobuf::FieldDescriptor* page_token = nullptr;
  const google::protobuf::FieldDescriptor* filter = nullptr;
  const google::protobuf::FieldDescriptor* order_by = nullptr;
  // List response fields.
  const google::protobuf::FieldDescriptor* items = nullptr;
  const google::protobuf::FieldDescriptor* next_page_token = nullptr;
  const google::protobuf::FieldDescriptor* total_size = nullptr;
};

class RequestTable {
 public:
  explicit RequestTable(const google::protobuf::Descriptor* resource);

  // The fields of `request`, which must be the request of a `verb` method of the resource
  // (crashes otherwise: the gRPC override passed the wrong request).
  const RequestFields& Of(const google::protobuf::Message& request, Verb verb) const;

 private:
  std::map<const google::protobuf::Descriptor*, RequestFields> methods_;
};

// The value of a string field, "" for a null field.
std::string StringOf(const google::protobuf::Message& message,
                     const google::protobuf::FieldDescriptor* field);

}  // namespace metrocap::resource
