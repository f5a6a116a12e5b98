#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace metrocap::roadmaps::testing {

// A message from protobuf text format; fails the test on a typo.
template <typename T>
T Parse(absl::string_view text) {
  T message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(std::string(text), &message)) << text;
  return message;
}

// The field paths a status names.
inline std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : FieldViolationsOf(status)) {
    fields.push_back(violation.field);
  }
  return fields;
}

}  // namespace metrocap::roadmaps::testing
