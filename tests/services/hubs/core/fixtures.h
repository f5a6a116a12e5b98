#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/status/errors.h"

namespace metrocap::hubs {

// The field paths of a status's violations, in order.
inline std::vector<std::string> BadFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : FieldViolationsOf(status))
    fields.push_back(violation.field);
  return fields;
}

}  // namespace metrocap::hubs
