#include "services/roadmaps/core/revisions.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/roadmaps/core/progress.h"

namespace metrocap::roadmaps {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::util::MessageDifferencer;

// Only what callers write takes part in the comparison.
v1::Roadmap WrittenFields(const v1::Roadmap& roadmap) {
  v1::Roadmap copy = roadmap;
  ClearComputedOutputs(copy);
  copy.clear_name();
  copy.clear_organisation();
  copy.clear_revision();
  copy.clear_etag();
  copy.clear_create_time();
  copy.clear_update_time();
  return copy;
}

std::string Join(const std::string& prefix, const std::string& field) {
  return prefix.empty() ? field : absl::StrCat(prefix, ".", field);
}

void Diff(const Message& a, const Message& b, const std::string& prefix,
          std::vector<std::string>& out) {
  const Reflection* reflection = a.GetReflection();
  const auto* descriptor = a.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    const std::string path = Join(prefix, field->json_name());
    const bool is_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (field->is_repeated() && is_message) {
      const int size_a = reflection->FieldSize(a, field);
      const int size_b = reflection->FieldSize(b, field);
      const int common = std::min(size_a, size_b);
      for (int j = 0; j < common; ++j) {
        Diff(reflection->GetRepeatedMessage(a, field, j),
             reflection->GetRepeatedMessage(b, field, j), absl::StrCat(path, "[", j, "]"), out);
      }
      for (int j = common; j < std::max(size_a, size_b); ++j) {
        out.push_back(absl::StrCat(path, "[", j, "]"));
      }
    } else {
      // Scalars, repeated scalars and singular messages (dates) change as a whole.
      MessageDifferencer differencer;
      differencer.set_scope(MessageDifferencer::FULL);
      std::vector<const FieldDescriptor*> only = {field};
      if (!differencer.CompareWithFields(a, b, only, only)) out.push_back(path);
    }
  }
}

}  // namespace

std::vector<std::string> ChangedFields(const v1::Roadmap& before, const v1::Roadmap& after) {
  std::vector<std::string> out;
  Diff(WrittenFields(before), WrittenFields(after), "", out);
  return out;
}

}  // namespace metrocap::roadmaps
