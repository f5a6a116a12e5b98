#include "services/roadmaps/core/revisions.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"

namespace metrocap::roadmaps {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::util::MessageDifferencer;

// Only what callers write takes part in the comparison: output and bookkeeping fields are
// passed over where they are, rather than cleared on copies (a large roadmap is ~200 kB,
// and copying it twice per change was most of an update's cost).
bool IsOutput(const FieldDescriptor* field) {
  static const auto* outputs = new absl::flat_hash_set<const FieldDescriptor*>([] {
    absl::flat_hash_set<const FieldDescriptor*> set;
    auto add = [&set](const google::protobuf::Descriptor* type,
                      std::initializer_list<const char*> names) {
      for (const char* name : names) set.insert(type->FindFieldByName(name));
    };
    add(v1::Roadmap::descriptor(),
        {"name", "organisation", "revision", "progress_percent", "progress_basis",
         "late_action_count", "as_of", "etag", "create_time", "update_time"});
    add(v1::Objective::descriptor(), {"progress_percent", "progress_basis", "late_action_count"});
    add(v1::RoadmapAction::descriptor(), {"late"});
    add(v1::RoadmapIndicator::descriptor(),
        {"progress_percent", "latest", "judged_milestone", "off_track"});
    return set;
  }());
  return outputs->contains(field);
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
    if (IsOutput(field)) continue;
    const std::string path = Join(prefix, field->json_name());
    const bool is_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (field->is_repeated() && is_message) {
      const int size_a = reflection->FieldSize(a, field);
      const int size_b = reflection->FieldSize(b, field);
      const int common = std::min(size_a, size_b);
      for (int j = 0; j < common; ++j) {
        const Message& element_a = reflection->GetRepeatedMessage(a, field, j);
        const Message& element_b = reflection->GetRepeatedMessage(b, field, j);
        // Most elements of a large roadmap are untouched by a change: equal bytes settle
        // them without walking their fields (these messages have no maps, so equal messages
        // serialize alike).
        if (element_a.SerializeAsString() == element_b.SerializeAsString()) continue;
        Diff(element_a, element_b, absl::StrCat(path, "[", j, "]"), out);
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
  Diff(before, after, "", out);
  return out;
}

}  // namespace metrocap::roadmaps
