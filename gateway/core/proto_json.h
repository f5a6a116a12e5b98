#pragma once

#include <string>

#include "google/protobuf/message.h"

namespace metrocap::gateway {

// Appends `message` to `*json` as canonical proto3 JSON, byte for byte what protobuf 3.21's
// util::MessageToJsonString prints with default options (lowerCamelCase names, no default
// values, int64 as strings, enums by name, the same string escaping and number formatting),
// by walking the message's reflection directly: no re-serialization, no type resolver and
// no per-call type tables, which made protobuf's printer the REST path's largest cost.
//
// Returns false, with `*json` unspecified, when the message holds something it leaves to
// protobuf's printer: a map, bytes, a well-known type other than Timestamp and Empty
// (Duration, FieldMask, Any, Struct, Value, wrappers), a timestamp out of range or a string
// that is not UTF-8. Callers then print with protobuf instead (PrintJson does both).
bool AppendProtoJson(const google::protobuf::Message& message, std::string* json);

// The message as canonical proto3 JSON: AppendProtoJson, or protobuf's printer for what it
// leaves. False only when protobuf cannot print it either (an invalid well-known value).
bool PrintJson(const google::protobuf::Message& message, std::string* json);

}  // namespace metrocap::gateway
